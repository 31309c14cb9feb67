//! The alert lists of each country, held in memory as a screening index.
//!
//! Built from the store on first use, and built again when the lists change: at once for a
//! change made through this process, and within [`RECHECK`] for one made by another process
//! (the store's [`ALERTS_VERSION`] tells). A build runs off the async threads, one at a time; a
//! screening that arrives while one runs uses the index in use until the new one replaces it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use frontera_domain::CountryCode;
use frontera_domain::alert::{AlertKind, HitAction, NameQuality};
use frontera_matching::screening::{Entry, Index};
use frontera_store::{ALERTS_VERSION, AlertQuery, Store};

use crate::AppError;

/// How long a process trusts its lists before asking the store whether another process changed
/// them.
pub const RECHECK: Duration = Duration::from_secs(2);

/// What screening needs of an entry besides what the index compares.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    /// The list.
    pub list: String,
    /// The reference.
    pub reference: String,
    /// Its kind.
    pub kind: AlertKind,
    /// What a hit asks for.
    pub action: HitAction,
    /// Its names as written, the primary one first.
    pub names: Vec<String>,
    /// How much the list trusts each name.
    pub qualities: Vec<NameQuality>,
    /// In force from.
    pub valid_from: Option<NaiveDate>,
    /// In force until.
    pub valid_until: Option<NaiveDate>,
}

impl EntryInfo {
    /// Whether the entry is in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        frontera_domain::alert::in_force(self.valid_from, self.valid_until, day)
    }
}

/// One country's lists, indexed.
#[derive(Debug, Default)]
pub struct Lists {
    /// The store's version of the lists this was built from.
    pub version: Option<String>,
    /// The index.
    pub index: Index,
    /// Each indexed entry's list, reference and the rest, by its position in the index.
    pub info: Vec<EntryInfo>,
    /// Each list's threshold.
    pub thresholds: HashMap<String, f64>,
    /// The number of entries in force on a day, for the last day asked.
    in_force: std::sync::Mutex<Option<(NaiveDate, u64)>>,
}

impl Lists {
    /// The threshold of a list (1.0, nothing is a hit, for a list this node does not know).
    pub fn threshold(&self, list: &str) -> f64 {
        self.thresholds.get(list).copied().unwrap_or(1.0)
    }

    /// How many entries are in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> u64 {
        let mut cached = self.in_force.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match *cached {
            Some((d, n)) if d == day => n,
            _ => {
                let n = self.info.iter().filter(|i| i.in_force(day)).count() as u64;
                *cached = Some((day, n));
                n
            }
        }
    }

    /// The lowest threshold of any list.
    pub fn lowest_threshold(&self) -> f64 {
        self.thresholds.values().copied().fold(1.0, f64::min)
    }
}

struct Held {
    lists: Arc<Lists>,
    checked: Instant,
}

/// Every country's lists this process screens against.
#[derive(Default)]
pub struct Screener {
    held: RwLock<HashMap<CountryCode, Held>>,
    building: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener").finish_non_exhaustive()
    }
}

impl Screener {
    /// A country's lists as they stand in the store (within [`RECHECK`]).
    pub async fn lists(&self, store: &dyn Store, country: CountryCode) -> Result<Arc<Lists>, AppError> {
        let held = self.held(country);
        if let Some((lists, checked)) = &held
            && checked.elapsed() < RECHECK
        {
            return Ok(Arc::clone(lists));
        }
        let version = store.meta(ALERTS_VERSION).await?;
        if let Some((lists, _)) = held {
            if lists.version == version {
                self.install(country, Arc::clone(&lists));
                return Ok(lists);
            }
            if self.building.try_lock().is_err() {
                return Ok(lists);
            }
        }
        self.rebuild(store, country).await
    }

    /// Build a country's lists again from the store, now (after a change this process made).
    pub async fn rebuild(&self, store: &dyn Store, country: CountryCode) -> Result<Arc<Lists>, AppError> {
        let _one_at_a_time = self.building.lock().await;
        let version = store.meta(ALERTS_VERSION).await?;
        // Another task may have built this version while this one waited.
        if let Some((lists, _)) = self.held(country)
            && lists.version == version
        {
            return Ok(lists);
        }
        let thresholds: HashMap<String, f64> = store
            .alert_lists(Some(country))
            .await?
            .into_iter()
            .map(|l| (l.settings.name, l.settings.threshold))
            .collect();
        let stored = store
            .alerts(&AlertQuery { country: Some(country), include_retired: false, ..AlertQuery::default() })
            .await?;
        let lists = tokio::task::spawn_blocking(move || {
            let mut entries = Vec::with_capacity(stored.len());
            let mut info = Vec::with_capacity(stored.len());
            for s in stored {
                entries.push(Entry::of(&s.entry));
                let e = s.entry;
                info.push(EntryInfo {
                    names: e.display_names(),
                    qualities: e.names.iter().map(|n| n.quality).collect(),
                    list: s.list,
                    reference: e.reference,
                    kind: e.kind,
                    action: e.action,
                    valid_from: e.valid_from,
                    valid_until: e.valid_until,
                });
            }
            Lists { version, index: Index::build(entries), info, thresholds, in_force: Default::default() }
        })
        .await
        .map_err(|e| AppError::Internal(format!("building the screening index: {e}")))?;
        let lists = Arc::new(lists);
        self.install(country, Arc::clone(&lists));
        Ok(lists)
    }

    fn held(&self, country: CountryCode) -> Option<(Arc<Lists>, Instant)> {
        let held = self.held.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        held.get(&country).map(|h| (Arc::clone(&h.lists), h.checked))
    }

    fn install(&self, country: CountryCode, lists: Arc<Lists>) {
        let mut held = self.held.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        held.insert(country, Held { lists, checked: Instant::now() });
    }
}
