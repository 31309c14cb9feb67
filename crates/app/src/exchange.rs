//! The exchange between the two countries' hubs, for referrals that cross the border.
//!
//! A referral to a service in the other country, when this hub exchanges with that country's
//! hub, is handed over there: the packet goes (never the case, nor an override's reason), and
//! the other hub keeps it for the receiving organisation as a referral without a case. Each
//! step is taken on the hub of the side that takes it and sent to the other as a numbered
//! message, so both hubs hold the same lifecycle; personal data stays where the side that
//! holds it works.
//!
//! Messages are written to the outbox in the transaction of the change and delivered by a
//! background job, in order for each referral, retried with a growing pause while the other
//! hub cannot be reached, and given up (kept, with the reason) when it refuses one. The other
//! hub calls in with the token of an account of role `peer` made for it, whose country is its
//! own.

use std::time::Duration;

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::protection::{Event, Party, State};
use frontera_domain::{CountryCode, Rule, ValidationError};
use frontera_store::{Effects, Outgoing, ProtectionRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::protection::{Crossed, Referral};
use crate::{App, AppError};

/// A peer hub this hub exchanges with: its country, where it answers, and the token of the
/// account it made for this hub.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    /// The peer's country.
    pub country: CountryCode,
    /// Its base URL (`https://hub.example.org`).
    pub url: String,
    /// The token of the `peer` account it made for this hub.
    pub token: String,
    /// A test link only: allows an `http://` URL, over which the token travels in clear text.
    #[serde(default)]
    pub insecure: bool,
}

impl std::fmt::Debug for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret.
        f.debug_struct("Peer").field("country", &self.country).field("url", &self.url).finish_non_exhaustive()
    }
}

/// The hubs this one exchanges with.
#[derive(Debug, Clone, Default)]
pub struct Peers {
    peers: Vec<Peer>,
}

impl Peers {
    /// The peers, checked: each URL is http(s), each country once.
    pub fn new(peers: Vec<Peer>) -> Result<Peers, ValidationError> {
        for (i, p) in peers.iter().enumerate() {
            if !(p.url.starts_with("https://") || p.url.starts_with("http://")) {
                let rule = Rule::syntax("not an http(s) URL", "no es una URL http(s)");
                return Err(ValidationError::new(format!("peers[{i}].url"), rule));
            }
            // The peer token would cross the network in clear text.
            if p.url.starts_with("http://") && !p.insecure {
                let rule = Rule::syntax(
                    "an https:// URL (http:// only for a test link marked insecure = true)",
                    "una URL https:// (http:// solo para un enlace de prueba marcado insecure = true)",
                );
                return Err(ValidationError::new(format!("peers[{i}].url"), rule));
            }
            if p.token.trim().is_empty() {
                return Err(ValidationError::new(format!("peers[{i}].token"), Rule::Required));
            }
            if peers[..i].iter().any(|q| q.country == p.country) {
                let rule = Rule::syntax(
                    format!("{} is named twice", p.country),
                    format!("{} se nombra dos veces", p.country),
                );
                return Err(ValidationError::new(format!("peers[{i}].country"), rule));
            }
        }
        Ok(Peers { peers })
    }

    /// The peer hub of `country`, if this hub exchanges with it.
    pub fn peer(&self, country: CountryCode) -> Option<&Peer> {
        self.peers.iter().find(|p| p.country == country)
    }
}

/// A step taken on one hub, for the other: its number in the lifecycle (1 for the first step
/// after the request), the step, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepMessage {
    /// The step's number.
    pub number: usize,
    /// The step.
    pub event: Event,
    /// When it was taken.
    pub at: DateTime<Utc>,
}

/// The message that hands a referral over: the referral as the receiver may see it.
pub(crate) fn hand_over(referral: &Referral, peer: CountryCode) -> Result<Outgoing, AppError> {
    let sent = Referral {
        case_id: String::new(),
        consent_override: None,
        escalated_at: None,
        exchange: None,
        ..referral.clone()
    };
    Ok(Outgoing {
        peer,
        kind: "referral".into(),
        subject_id: referral.id.clone(),
        case_id: referral.case_id.clone(),
        body: serde_json::to_string(&sent).map_err(|e| AppError::Internal(e.to_string()))?,
    })
}

/// The longest pause between two tries of an undeliverable message.
const LONGEST_PAUSE: Duration = Duration::from_secs(3600);

/// The pause before the next try after `attempts` failed ones: 30 s, doubling, at most an hour.
fn pause(attempts: u32) -> chrono::Duration {
    let secs = 30u64.saturating_mul(1u64 << attempts.min(10)).min(LONGEST_PAUSE.as_secs());
    chrono::Duration::seconds(secs as i64)
}

/// The client that speaks to the other hubs: TLS through rustls on *ring*, the platform's
/// trusted roots, a 20-second limit on each call.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    // Installed once per process; a second install is refused, and harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build()
}

/// What a round of deliveries did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Delivered {
    /// Messages the other hub took.
    pub delivered: u32,
    /// Messages to try again later.
    pub retrying: u32,
    /// Messages the other hub refused (kept, given up).
    pub given_up: u32,
}

impl App {
    fn peer_actor(&self, actor: &Actor) -> Result<(), AppError> {
        let here = Resource::of(actor.scope.country);
        if can(actor, Action::Exchange, here).allowed() {
            Ok(())
        } else {
            Err(AppError::Forbidden("only the other country's hub hands over referrals".into()))
        }
    }

    /// Takes a referral the other country's hub hands over, for a receiving organisation of this
    /// country: kept without a case, its receiver's steps taken here. Handing the same referral
    /// over again changes nothing.
    pub async fn receive_referral(&self, actor: &Actor, referral: Referral) -> Result<(), AppError> {
        self.peer_actor(actor)?;
        let peer = actor.scope.country;
        if referral.sender.1 != peer {
            let rule = Rule::syntax(
                format!("a referral from {} handed over by the hub of {peer}", referral.sender.1),
                format!("una derivación de {} entregada por el nodo central de {peer}", referral.sender.1),
            );
            return Err(ValidationError::new("sender", rule).into());
        }
        if referral.receiver.1 == peer {
            let rule = Rule::syntax(
                "the receiver is in the sender's own country",
                "el destinatario está en el mismo país que el remitente",
            );
            return Err(ValidationError::new("receiver", rule).into());
        }
        // A hand-over starts as requested: the receiving side's steps are taken here, never
        // arrive ready-made from the sending hub.
        if referral.lifecycle.state != State::Requested || !referral.lifecycle.steps.is_empty() {
            let rule = Rule::syntax(
                "a referral handed over starts as requested, with no steps",
                "una derivación entregada empieza como solicitada, sin pasos",
            );
            return Err(ValidationError::new("lifecycle", rule).into());
        }
        if self.store.protection_record("referral", &referral.id).await?.is_some() {
            return Ok(());
        }
        // Kept without a case: it stands for its own, for retention (the receiver never sees it).
        let referral = Referral {
            case_id: referral.id.clone(),
            consent_override: None,
            escalated_at: None,
            exchange: Some(Crossed { peer, here: Party::Receiver }),
            ..referral
        };
        let state = referral.lifecycle.state;
        let record = ProtectionRecord {
            kind: "referral".into(),
            id: referral.id.clone(),
            case_id: referral.id.clone(),
            country: peer,
            organisation: referral.sender.0.clone(),
            counterpart: Some(referral.receiver.0.clone()),
            state: state.as_str().into(),
            due_at: state.awaits_answer().then(|| referral.lifecycle.answer_due().timestamp_micros()),
            record: serde_json::to_string(&referral).map_err(|e| AppError::Internal(e.to_string()))?,
            version: 1,
        };
        let event = AuditDraft::new(
            &actor.name,
            "referral.handed_over",
            "referral",
            &referral.id,
            Some(peer.as_str()),
            json!({"from": referral.sender.0, "to": referral.receiver.0, "priority": referral.lifecycle.priority}),
        );
        let notify = self.tell_referral(actor, &referral, Party::Receiver, "referral.request", None).await?;
        self.store
            .save_protection(&record, self.now(), event, &Effects { notify, ..Effects::default() })
            .await?;
        Ok(())
    }

    /// Takes a step the other hub's side took on a referral that crosses. A step already taken
    /// changes nothing; one that comes before the steps it follows is a conflict (sent again
    /// later); one the lifecycle refuses is refused.
    pub async fn receive_step(&self, actor: &Actor, id: &str, step: StepMessage) -> Result<(), AppError> {
        self.peer_actor(actor)?;
        let Some(r) = self.store.protection_record("referral", id).await? else {
            return Err(AppError::NotFound(format!("referral {id}")));
        };
        let referral: Referral =
            serde_json::from_str(&r.record).map_err(|e| AppError::Internal(format!("referral {id}: {e}")))?;
        let Some(crossed) = referral.exchange.filter(|c| c.peer == actor.scope.country) else {
            return Err(AppError::Forbidden(format!(
                "referral {id} is not shared with the hub of {}",
                actor.scope.country
            )));
        };
        let taken = referral.lifecycle.steps.len();
        if step.number <= taken {
            return Ok(());
        }
        if step.number > taken + 1 {
            return Err(AppError::Conflict(format!(
                "step {} of referral {id} comes before step {}",
                step.number,
                taken + 1
            )));
        }
        let side = match crossed.here {
            Party::Sender => Party::Receiver,
            Party::Receiver => Party::Sender,
        };
        self.apply_step(actor, r, referral, step.event, side, step.at, Vec::new()).await?;
        Ok(())
    }

    /// Delivers what the outbox holds that is due at `now`, in order for each referral: one
    /// message not delivered holds back the later ones about the same referral.
    pub async fn deliver_outbox(
        &self,
        client: &reqwest::Client,
        now: DateTime<Utc>,
    ) -> Result<Delivered, AppError> {
        let mut done = Delivered::default();
        let mut held: Vec<String> = Vec::new();
        for q in self.store.outbox().await? {
            let m = &q.message;
            if held.contains(&m.subject_id) {
                continue;
            }
            if q.next_at > now {
                held.push(m.subject_id.clone());
                continue;
            }
            let Some(peer) = self.exchange.peer(m.peer) else {
                let error = format!("this hub no longer exchanges with {}", m.peer);
                self.store.outbox_failed(q.id, &error, None, now).await?;
                done.given_up += 1;
                held.push(m.subject_id.clone());
                continue;
            };
            let base = peer.url.trim_end_matches('/');
            let url = match m.kind.as_str() {
                "referral" => format!("{base}/api/v1/exchange/referrals"),
                _ => format!("{base}/api/v1/exchange/referrals/{}/steps", m.subject_id),
            };
            let sent = client
                .post(&url)
                .bearer_auth(&peer.token)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(m.body.clone())
                .send()
                .await;
            let outcome = match sent {
                Ok(response) if response.status().is_success() => Ok(()),
                Ok(response) => {
                    let status = response.status();
                    let body = response.text().await.unwrap_or_default();
                    let code = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v["error"]["code"].as_str().map(String::from))
                        .unwrap_or_default();
                    // Refused for good: a bad message, a step the lifecycle refuses. Anything
                    // else (down, busy, a step ahead of its turn) may pass later.
                    let final_answer = status.is_client_error()
                        && !(status == reqwest::StatusCode::CONFLICT && code == "conflict")
                        && status != reqwest::StatusCode::TOO_MANY_REQUESTS
                        && status != reqwest::StatusCode::UNAUTHORIZED;
                    Err((format!("{url}: {status} {body}"), final_answer))
                }
                Err(e) => Err((format!("{url}: {e}"), false)),
            };
            match outcome {
                Ok(()) => {
                    self.store.outbox_delivered(q.id).await?;
                    done.delivered += 1;
                }
                Err((error, true)) => {
                    tracing::error!(%error, "the other hub refused a message; given up");
                    self.store.outbox_failed(q.id, &error, None, now).await?;
                    done.given_up += 1;
                    held.push(m.subject_id.clone());
                }
                Err((error, false)) => {
                    tracing::warn!(%error, attempts = q.attempts + 1, "a message to the other hub waits");
                    self.store.outbox_failed(q.id, &error, Some(now + pause(q.attempts)), now).await?;
                    done.retrying += 1;
                    held.push(m.subject_id.clone());
                }
            }
        }
        Ok(done)
    }

    /// The delivery job: empties the outbox every `every`, for as long as the node runs.
    pub async fn watch_outbox(self, every: Duration) {
        let client = match http_client() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "no HTTP client: nothing is handed to the other hub");
                return;
            }
        };
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match self.deliver_outbox(&client, self.now()).await {
                Ok(d) if d != Delivered::default() => tracing::info!(?d, "exchange outbox"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the exchange outbox failed; it tries again"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_an_hour_and_peers_are_checked() {
        assert_eq!(pause(0), chrono::Duration::seconds(30));
        assert_eq!(pause(1), chrono::Duration::seconds(60));
        assert_eq!(pause(30), chrono::Duration::seconds(3600));
        let p = |c: CountryCode, url: &str| Peer {
            country: c,
            url: url.into(),
            token: "t".into(),
            insecure: false,
        };
        assert!(Peers::new(vec![p(CountryCode::MEX, "https://hub.mx")]).is_ok());
        assert_eq!(
            Peers::new(vec![p(CountryCode::MEX, "http://hub.mx")]).unwrap_err().field,
            "peers[0].url",
            "the token would travel in clear text"
        );
        let test_link = Peer { insecure: true, ..p(CountryCode::MEX, "http://127.0.0.1:8081") };
        assert!(Peers::new(vec![test_link]).is_ok());
        assert_eq!(Peers::new(vec![p(CountryCode::MEX, "ftp://x")]).unwrap_err().field, "peers[0].url");
        let twice = Peers::new(vec![p(CountryCode::MEX, "https://a"), p(CountryCode::MEX, "https://b")]);
        assert_eq!(twice.unwrap_err().field, "peers[1].country");
    }
}
