//! Throttling of logins and of requests that carry no valid credentials.
//!
//! The threats: a guesser at the login form, from one address or from many; an attacker who
//! wants a real user locked out of their counter; and a flood of logins that makes the node hash
//! passwords (Argon2id, 19 MiB each) until its memory runs out. The answers:
//!
//! - **Every attempt is counted when it is admitted**, before its password is checked, under one
//!   lock: forty guesses sent at once are forty attempts, and only the first few are checked.
//!   A success clears the failures admitted before it, never those admitted after it.
//! - **Growing delays, not a lock**: per account *and address*, a few failures are free, then
//!   each further attempt waits 30 s, 1 min, 2 min, … up to 15 min after the last failure. An
//!   attacker slows themselves down, not the account's owner at another desk.
//! - **Per account from every address** the same, after more failures (a guesser with many
//!   addresses), waived for an address the account last logged in from: the officer at their
//!   own counter still gets in.
//! - **Per address**, a bucket of attempts for the login form and for API calls without a valid
//!   token, whatever name they try.
//! - **A bound on hashing at once**: the rest wait their turn holding no hash memory, so the
//!   node's memory stays flat under any flood.
//!
//! Unknown names go through exactly the same counting and the same hashing (of a decoy), so
//! neither the answer nor its timing says which names exist. The counts live in the node's
//! memory: a restart forgives, and the store's count of failures stays as the record.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Failures from one address on one account before the delays begin.
pub const FREE_PER_ADDRESS: u32 = 5;
/// Failures on one account from every address before the delays begin for all of them.
pub const FREE_PER_ACCOUNT: u32 = 20;
/// The first delay, doubled with every further failure.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
/// The longest delay.
pub const LONGEST_DELAY: Duration = Duration::from_secs(15 * 60);
/// Attempts an address may make at once (logins and token-less API calls together).
pub const ADDRESS_BURST: f64 = 30.0;
/// Attempts an address regains per second.
pub const ADDRESS_REFILL_PER_SECOND: f64 = 0.5;
/// After this long without a failure, an account's (or a pair's) failures are forgotten.
const FORGIVEN_AFTER: Duration = Duration::from_secs(60 * 60);
/// Beyond this many entries in a table, the stale ones are dropped.
const MAX_ENTRIES: usize = 100_000;

/// The address the node's own console and tests log in from.
pub const CONSOLE_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// When the next attempt may be admitted, past `free` failures.
    fn next_allowed(&self, free: u32) -> Option<Instant> {
        let over = self.count.checked_sub(free)?;
        let delay = FIRST_DELAY.saturating_mul(1u32.checked_shl(over.min(16)).unwrap_or(u32::MAX));
        Some(self.last + delay.min(LONGEST_DELAY))
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug, Default)]
struct Counts {
    pairs: HashMap<(String, IpAddr), Failures>,
    accounts: HashMap<String, Failures>,
    trusted: HashMap<(String, IpAddr), Instant>,
    addresses: HashMap<IpAddr, Bucket>,
}

fn prune<K: Eq + std::hash::Hash, V>(map: &mut HashMap<K, V>, now: Instant, last: impl Fn(&V) -> Instant) {
    if map.len() >= MAX_ENTRIES {
        map.retain(|_, v| now.duration_since(last(v)) < LONGEST_DELAY);
    }
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
}

/// An attempt admitted: what was counted before it, so that its outcome settles only its own.
#[derive(Debug)]
pub struct Ticket {
    name: String,
    address: IpAddr,
    pair_before: u32,
    account_before: u32,
}

/// The node's throttle. One per node, shared by every request.
#[derive(Debug)]
pub struct Throttle {
    hashing: Semaphore,
    counts: Mutex<Counts>,
}

impl Default for Throttle {
    fn default() -> Self {
        // Two hashes per core keep both cores busy; each holds 19 MiB while it runs.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Throttle { hashing: Semaphore::new((2 * cores).max(2)), counts: Mutex::default() }
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Throttle {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic cannot happen while the lock is held (no code that panics runs under it), so
        // a poisoned lock still holds consistent counts.
        self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Admits a login attempt for `name` from `address`, counting it as a failure until it
    /// succeeds; or answers how long to wait.
    pub fn admit(&self, name: &str, address: IpAddr) -> Result<Ticket, Duration> {
        let now = Instant::now();
        let name = key(name);
        let mut counts = self.counts();
        take_token(&mut counts, address, now)?;
        let forget = |f: Option<Failures>| f.filter(|f| now.duration_since(f.last) < FORGIVEN_AFTER);
        let pair = forget(counts.pairs.get(&(name.clone(), address)).copied());
        let account = forget(counts.accounts.get(&name).copied());
        let trusted = counts.trusted.contains_key(&(name.clone(), address));
        let wait = [
            pair.and_then(|f| f.next_allowed(FREE_PER_ADDRESS)),
            account.filter(|_| !trusted).and_then(|f| f.next_allowed(FREE_PER_ACCOUNT)),
        ]
        .into_iter()
        .flatten()
        .max()
        .filter(|at| *at > now);
        if let Some(at) = wait {
            return Err(at - now);
        }
        let (pair_before, account_before) = (pair.map_or(0, |f| f.count), account.map_or(0, |f| f.count));
        prune(&mut counts.pairs, now, |f| f.last);
        prune(&mut counts.accounts, now, |f| f.last);
        counts.pairs.insert((name.clone(), address), Failures { count: pair_before + 1, last: now });
        counts.accounts.insert(name.clone(), Failures { count: account_before + 1, last: now });
        Ok(Ticket { name, address, pair_before, account_before })
    }

    /// The attempt failed: it stays counted, its delay running from now. Answers how long the
    /// next attempt from its address must wait, if it must.
    pub fn failed(&self, ticket: &Ticket) -> Option<Duration> {
        let now = Instant::now();
        let mut counts = self.counts();
        let pair = counts.pairs.get_mut(&(ticket.name.clone(), ticket.address)).map(|f| {
            f.last = now;
            *f
        });
        if let Some(f) = counts.accounts.get_mut(&ticket.name) {
            f.last = now;
        }
        pair.and_then(|f| f.next_allowed(FREE_PER_ADDRESS)).map(|at| at - now)
    }

    /// The attempt succeeded: the failures admitted before it are cleared, those admitted while
    /// it was being checked stay; the address becomes one the account logs in from.
    pub fn succeeded(&self, ticket: &Ticket) {
        let now = Instant::now();
        let mut counts = self.counts();
        let settle = |f: &mut Failures, before: u32| f.count = f.count.saturating_sub(before + 1);
        if let Some(f) = counts.pairs.get_mut(&(ticket.name.clone(), ticket.address)) {
            settle(f, ticket.pair_before);
        }
        if let Some(f) = counts.accounts.get_mut(&ticket.name) {
            settle(f, ticket.account_before);
        }
        prune(&mut counts.trusted, now, |at| *at);
        counts.trusted.insert((ticket.name.clone(), ticket.address), now);
    }

    /// Whether `address` was the last to log in to `name` (a lock raised from elsewhere is
    /// waived for it).
    pub fn trusted(&self, name: &str, address: IpAddr) -> bool {
        self.counts().trusted.contains_key(&(key(name), address))
    }

    /// Forgets every failure on `name` (a new password set by its owner or an administrator).
    pub fn forgive(&self, name: &str) {
        let name = key(name);
        let mut counts = self.counts();
        counts.accounts.remove(&name);
        counts.pairs.retain(|(n, _), _| *n != name);
    }

    /// Counts a request from `address` that carried no valid credentials; answers how long to
    /// wait when the address has used its attempts.
    pub fn unauthenticated(&self, address: IpAddr) -> Result<(), Duration> {
        take_token(&mut self.counts(), address, Instant::now())
    }

    /// A turn to hash a password; waits while as many hashes as the node allows are running.
    pub async fn hashing(&self) -> Option<SemaphorePermit<'_>> {
        self.hashing.acquire().await.ok()
    }
}

fn take_token(counts: &mut Counts, address: IpAddr, now: Instant) -> Result<(), Duration> {
    prune(&mut counts.addresses, now, |b| b.at);
    let bucket = counts.addresses.entry(address).or_insert(Bucket { tokens: ADDRESS_BURST, at: now });
    let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * ADDRESS_REFILL_PER_SECOND;
    bucket.tokens = refilled.min(ADDRESS_BURST);
    bucket.at = now;
    if bucket.tokens < 1.0 {
        return Err(Duration::from_secs_f64((1.0 - bucket.tokens) / ADDRESS_REFILL_PER_SECOND));
    }
    bucket.tokens -= 1.0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
    }

    #[test]
    fn twenty_guesses_at_once_are_twenty_attempts_and_only_the_first_few_are_checked() {
        let throttle = Throttle::default();
        let admitted: Vec<_> =
            (0..20).filter_map(|_| throttle.admit("officer.bz", address(1)).ok()).collect();
        assert_eq!(admitted.len(), FREE_PER_ADDRESS as usize);
        // The right password sent with them, admitted first, clears only itself: the four
        // admitted after it stay counted, so one more attempt is admitted, then none.
        throttle.succeeded(&admitted[0]);
        assert!(throttle.admit("officer.bz", address(1)).is_ok());
        assert!(throttle.admit("officer.bz", address(1)).is_err());
    }

    #[test]
    fn a_guesser_slows_only_themselves_and_the_owner_at_their_counter_gets_in() {
        let throttle = Throttle::default();
        let owner = throttle.admit("officer.bz", address(1)).unwrap();
        throttle.succeeded(&owner);
        for guesser in 2..=40 {
            while let Ok(t) = throttle.admit("officer.bz", address(guesser)) {
                throttle.failed(&t);
            }
        }
        assert!(throttle.admit("officer.bz", address(41)).is_err(), "a new address waits behind them");
        let again = throttle.admit("officer.bz", address(1)).expect("the owner's counter is not locked out");
        throttle.succeeded(&again);
    }

    #[test]
    fn unknown_names_are_counted_like_known_ones_and_an_address_runs_out_of_attempts() {
        let throttle = Throttle::default();
        let tried = (0..100).take_while(|i| throttle.admit(&format!("name{i}"), address(9)).is_ok()).count();
        assert_eq!(tried, ADDRESS_BURST as usize);
        assert!(throttle.unauthenticated(address(9)).is_err());
        assert!(throttle.unauthenticated(address(10)).is_ok());
    }

    #[test]
    fn delays_grow_to_fifteen_minutes() {
        let at = Instant::now();
        let after = |count| Failures { count, last: at }.next_allowed(5).map(|t| t - at);
        assert_eq!(after(4), None);
        assert_eq!(after(5), Some(FIRST_DELAY));
        assert_eq!(after(6), Some(FIRST_DELAY * 2));
        assert_eq!(after(40), Some(LONGEST_DELAY));
    }
}
