//! Verifying the audit trail.

use frontera_domain::audit::{ChainBreak, Verifier};

use crate::{App, AppError};

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event is intact and linked; this many were checked.
    Intact(u64),
    /// The chain breaks here.
    Broken(ChainBreak),
}

impl App {
    /// Walk the whole hash chain from the first event, page by page.
    pub async fn verify_audit(&self) -> Result<Verification, AppError> {
        let mut verifier = Verifier::default();
        let mut after = 0;
        loop {
            let events = self.store.audit_events(after, 5_000).await?;
            let Some(last) = events.last() else { break };
            after = last.seq;
            for event in &events {
                if let Err(broken) = verifier.next(event) {
                    return Ok(Verification::Broken(broken));
                }
            }
        }
        let head = self.store.audit_head().await?;
        Ok(match verifier.finish(head.as_ref().map(|(s, h)| (*s, h.as_str()))) {
            Ok(n) => Verification::Intact(n),
            Err(broken) => Verification::Broken(broken),
        })
    }
}
