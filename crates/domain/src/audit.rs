//! The audit trail: every change and every read of personal data, append-only and hash-chained.
//!
//! The threat: someone with access to the database (an insider, a stolen backup restored and
//! edited) altering or deleting the record of who saw or changed what. Each event carries the hash
//! of the one before it, so editing or removing any stored event breaks the chain at that point,
//! and [`verify`] names the first broken event.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be appended; the store gives it its sequence number and hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditDraft {
    /// Who acted (a user name, or `cli:NAME` for the node's console).
    pub actor: String,
    /// What they did, as `noun.verb`: `crossing.record`, `crossing.read`, `user.add`, …
    pub action: String,
    /// The kind of record acted on.
    pub record_kind: String,
    /// The record's id (or a description of a set of records).
    pub record_id: String,
    /// The country holding the record, if any.
    pub country: Option<String>,
    /// Details, as compact JSON.
    pub detail: String,
}

impl AuditDraft {
    /// A new event; `detail` is serialised to compact JSON.
    pub fn new(
        actor: &str,
        action: &str,
        record_kind: &str,
        record_id: impl Into<String>,
        country: Option<&str>,
        detail: serde_json::Value,
    ) -> AuditDraft {
        AuditDraft {
            actor: actor.to_string(),
            action: action.to_string(),
            record_kind: record_kind.to_string(),
            record_id: record_id.into(),
            country: country.map(str::to_string),
            detail: detail.to_string(),
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Its position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it was appended, in microseconds since the Unix epoch (exact, so hashes are stable).
    pub at_micros: i64,
    /// Who acted.
    pub actor: String,
    /// What they did.
    pub action: String,
    /// The kind of record.
    pub record_kind: String,
    /// The record's id.
    pub record_id: String,
    /// The country holding the record.
    pub country: Option<String>,
    /// Details, compact JSON.
    pub detail: String,
    /// The hash of the event before (or [`GENESIS`]).
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl AuditEvent {
    /// The event `draft` becomes when appended after `prev_hash` at position `seq`.
    pub fn seal(draft: AuditDraft, seq: i64, at: DateTime<Utc>, prev_hash: &str) -> AuditEvent {
        let mut event = AuditEvent {
            seq,
            at_micros: at.timestamp_micros(),
            actor: draft.actor,
            action: draft.action,
            record_kind: draft.record_kind,
            record_id: draft.record_id,
            country: draft.country,
            detail: draft.detail,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        event.hash = event.compute_hash();
        event
    }

    /// The hash of every field but `hash`: SHA-256 over length-prefixed fields, so no two events
    /// share an encoding.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut put = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        put(self.prev_hash.as_bytes());
        put(&self.seq.to_be_bytes());
        put(&self.at_micros.to_be_bytes());
        put(self.actor.as_bytes());
        put(self.action.as_bytes());
        put(self.record_kind.as_bytes());
        put(self.record_id.as_bytes());
        put(self.country.as_deref().unwrap_or("\u{0}").as_bytes());
        put(self.detail.as_bytes());
        hex::encode(h.finalize())
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ChainBreak {
    /// The event's content no longer matches its hash: it was altered.
    #[error("audit event {seq} was altered: its content does not match its hash")]
    Altered {
        /// The event.
        seq: i64,
    },
    /// The event does not follow the one before it: an event before it was altered or removed.
    #[error("audit event {seq} does not follow event {prev}: an event between them was removed or altered")]
    Unlinked {
        /// The event.
        seq: i64,
        /// The event before it in the store.
        prev: i64,
    },
    /// The event is not the one a head signed outside the database named: the chain was
    /// rebuilt (events removed, renumbered and rehashed, the head rewritten).
    #[error("audit event {seq} is not the event the head signed at {at} named: the chain was rebuilt")]
    Rebuilt {
        /// The event.
        seq: i64,
        /// When the head naming it was signed.
        at: String,
    },
    /// The chain is shorter than a head signed outside the database says it was.
    #[error(
        "the audit trail ends at event {last} but a head signed at {at} names event {seq}: the chain was cut or rebuilt"
    )]
    Shortened {
        /// The last stored event.
        last: i64,
        /// The event the signed head names.
        seq: i64,
        /// When it was signed.
        at: String,
    },
    /// A head kept outside the database does not carry this node's signature.
    #[error("a head of the audit trail (event {seq}) is not signed by this node's key: it was forged")]
    Forged {
        /// The event it names.
        seq: i64,
    },
    /// The last event is not the head the store recorded: events at the end were removed.
    #[error("the audit trail ends at event {last} but its head says {head}: events at the end were removed")]
    Truncated {
        /// The last stored event.
        last: i64,
        /// The head the store recorded.
        head: i64,
    },
}

impl ChainBreak {
    /// The finding in Spanish.
    pub fn message_es(&self) -> String {
        match self {
            ChainBreak::Altered { seq } => {
                format!("el evento de auditoría {seq} fue alterado: su contenido no coincide con su hash")
            }
            ChainBreak::Unlinked { seq, prev } => format!(
                "el evento de auditoría {seq} no sigue al evento {prev}: se eliminó o alteró un evento entre ambos"
            ),
            ChainBreak::Rebuilt { seq, at } => format!(
                "el evento de auditoría {seq} no es el que nombraba la cabeza firmada el {at}: la cadena fue reconstruida"
            ),
            ChainBreak::Shortened { last, seq, at } => format!(
                "la bitácora de auditoría termina en el evento {last} pero una cabeza firmada el {at} nombra el evento {seq}: la cadena fue cortada o reconstruida"
            ),
            ChainBreak::Forged { seq } => format!(
                "una cabeza de la bitácora (evento {seq}) no lleva la firma de la clave de este nodo: fue falsificada"
            ),
            ChainBreak::Truncated { last, head } => format!(
                "la bitácora de auditoría termina en el evento {last} pero su cabeza indica {head}: se eliminaron eventos del final"
            ),
        }
    }
}

/// A head of the audit chain signed with the node's key and kept outside its database (in the
/// node's anchors file, printed by `frontera audit anchor` for whoever keeps a copy, and later
/// at the hubs). Whoever can write the database can rebuild a hash chain end to end; they cannot
/// sign a head for the rebuilt one, so a rebuilt chain no longer holds the events its anchors
/// named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The node whose chain it is.
    pub node: String,
    /// The last event when it was signed.
    pub seq: i64,
    /// That event's hash.
    pub hash: String,
    /// When it was signed.
    pub at: DateTime<Utc>,
    /// The node's Ed25519 public key, hex.
    pub public_key: String,
    /// The Ed25519 signature of [`Anchor::message`], hex.
    pub signature: String,
}

impl Anchor {
    /// The bytes signed: a versioned, line-separated statement of the head.
    pub fn message(node: &str, seq: i64, hash: &str, at: DateTime<Utc>) -> Vec<u8> {
        format!("frontera-audit-anchor/1\n{node}\n{seq}\n{hash}\n{}", at.timestamp_micros()).into_bytes()
    }
}

/// Walks a chain event by event, in `seq` order.
#[derive(Debug)]
pub struct Verifier {
    prev_seq: i64,
    prev_hash: String,
    count: u64,
    anchors: std::collections::BTreeMap<i64, (String, String)>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier { prev_seq: 0, prev_hash: GENESIS.to_string(), count: 0, anchors: Default::default() }
    }
}

impl Verifier {
    /// A verifier that also holds the chain to these heads (their signatures checked already):
    /// each named event must still carry the hash it was signed with.
    pub fn anchored(anchors: &[Anchor]) -> Verifier {
        let anchors = anchors
            .iter()
            .map(|a| (a.seq, (a.hash.clone(), a.at.format("%Y-%m-%d %H:%M:%S UTC").to_string())))
            .collect();
        Verifier { anchors, ..Verifier::default() }
    }

    /// Check the next event.
    pub fn next(&mut self, event: &AuditEvent) -> Result<(), ChainBreak> {
        if event.compute_hash() != event.hash {
            return Err(ChainBreak::Altered { seq: event.seq });
        }
        if event.seq != self.prev_seq + 1 || event.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: event.seq, prev: self.prev_seq });
        }
        if let Some((hash, at)) = self.anchors.get(&event.seq)
            && *hash != event.hash
        {
            return Err(ChainBreak::Rebuilt { seq: event.seq, at: at.clone() });
        }
        self.prev_seq = event.seq;
        self.prev_hash.clone_from(&event.hash);
        self.count += 1;
        Ok(())
    }

    /// Check the end against the head the store recorded (`seq`, `hash`).
    pub fn finish(&self, head: Option<(i64, &str)>) -> Result<u64, ChainBreak> {
        if let Some((seq, (_, at))) = self.anchors.range(self.prev_seq + 1..).next() {
            return Err(ChainBreak::Shortened { last: self.prev_seq, seq: *seq, at: at.clone() });
        }
        if let Some((seq, hash)) = head
            && (seq != self.prev_seq || hash != self.prev_hash)
        {
            return Err(ChainBreak::Truncated { last: self.prev_seq, head: seq });
        }
        Ok(self.count)
    }
}

/// Verify a whole chain held in memory.
pub fn verify(events: &[AuditEvent], head: Option<(i64, &str)>) -> Result<u64, ChainBreak> {
    let mut v = Verifier::default();
    for e in events {
        v.next(e)?;
    }
    v.finish(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let d = AuditDraft::new(
                    "ana",
                    "crossing.read",
                    "crossing",
                    format!("c{seq}"),
                    Some("BLZ"),
                    serde_json::json!({}),
                );
                let e = AuditEvent::seal(
                    d,
                    seq,
                    DateTime::from_timestamp(1_700_000_000 + seq, 0).unwrap(),
                    &prev,
                );
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        let head = c.last().map(|e| (e.seq, e.hash.as_str()));
        assert_eq!(verify(&c, head), Ok(5));
    }

    #[test]
    fn an_altered_event_is_named() {
        let mut c = chain(5);
        c[2].actor = "mallory".into();
        assert_eq!(verify(&c, None), Err(ChainBreak::Altered { seq: 3 }));
    }

    #[test]
    fn a_removed_event_is_named_by_the_one_after_it() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c, None), Err(ChainBreak::Unlinked { seq: 3, prev: 1 }));
    }

    #[test]
    fn a_rehashed_forgery_breaks_the_link_to_the_next_event() {
        let mut c = chain(5);
        c[2].actor = "mallory".into();
        c[2].hash = c[2].compute_hash();
        assert_eq!(verify(&c, None), Err(ChainBreak::Unlinked { seq: 4, prev: 3 }));
    }

    #[test]
    fn removing_the_last_events_is_caught_by_the_head() {
        let c = chain(5);
        let head = (5, c[4].hash.clone());
        assert_eq!(verify(&c[..3], Some((head.0, &head.1))), Err(ChainBreak::Truncated { last: 3, head: 5 }));
    }
}
