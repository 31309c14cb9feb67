//! The audit chain's heads, signed with the node's key and kept outside its database.
//!
//! The threat: someone with write access to the database file drops the audit triggers, deletes
//! the events that show what they did, renumbers and rehashes the rest and rewrites the head. A
//! hash chain alone cannot tell: every link holds again. What they cannot do is sign a head with
//! the node's Ed25519 key, which lives in a file outside the database. The node signs its head
//! (`frontera audit anchor`, and a watch beside the server) and appends it to an anchors file
//! outside the database, and prints it for whoever keeps a copy (the hubs, once the exchange
//! carries anchors); `audit verify` holds the chain to every anchor it can see, so a rebuilt
//! chain fails at the first event an anchor named.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use frontera_domain::audit::{Anchor, ChainBreak, GENESIS, Verifier};
use ring::rand::SystemRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

use crate::audit::Verification;
use crate::{App, AppError};

/// The node's signing key. Its `Debug` form shows only the public half.
pub struct NodeKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeKey({})", self.public_hex())
    }
}

fn io(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("{}: {e}", path.display()))
}

impl NodeKey {
    /// The key in `path` (PKCS#8), made there, readable by its owner only, when there is none.
    pub fn load_or_create(path: &Path) -> Result<NodeKey, AppError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let made = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|e| io(path, e))?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(made.as_ref())
                            .and_then(|()| file.sync_all())
                            .map_err(|e| io(path, e))?;
                        made.as_ref().to_vec()
                    }
                    // Another process of the node made it first: that one is the key.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::read(path).map_err(|e| io(path, e))?
                    }
                    Err(e) => return Err(io(path, e)),
                }
            }
            Err(e) => return Err(io(path, e)),
        };
        let pair =
            Ed25519KeyPair::from_pkcs8(&bytes).map_err(|e| io(path, format!("not a node key: {e}")))?;
        Ok(NodeKey { pair })
    }

    /// The public key, hex.
    pub fn public_hex(&self) -> String {
        hex::encode(self.pair.public_key().as_ref())
    }
}

/// Whether `anchor` carries a valid signature by `public_key` (hex).
pub fn signed_by(anchor: &Anchor, public_key: &str) -> bool {
    let (Ok(key), Ok(signature)) = (hex::decode(public_key), hex::decode(&anchor.signature)) else {
        return false;
    };
    let message = Anchor::message(&anchor.node, anchor.seq, &anchor.hash, anchor.at);
    anchor.public_key == public_key
        && UnparsedPublicKey::new(&ED25519, key).verify(&message, &signature).is_ok()
}

/// Where the node signs and keeps its heads.
#[derive(Debug)]
pub struct Anchoring {
    /// The node's key.
    pub key: NodeKey,
    /// The file of anchors, one JSON object a line, appended to.
    pub file: PathBuf,
}

impl Anchoring {
    /// The node's key from `key_file` (made when missing) and its anchors in `anchors_file`.
    pub fn open(key_file: &Path, anchors_file: &Path) -> Result<Anchoring, AppError> {
        Ok(Anchoring { key: NodeKey::load_or_create(key_file)?, file: anchors_file.to_path_buf() })
    }

    /// The anchors kept in the file (none when it does not exist yet).
    pub fn kept(&self) -> Result<Vec<Anchor>, AppError> {
        read_anchors(&self.file)
    }
}

/// The anchors of a file, one JSON object a line; a line that is not one is named.
pub fn read_anchors(path: &Path) -> Result<Vec<Anchor>, AppError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(path, e)),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| io(path, format!("line {}: {e}", i + 1))))
        .collect()
}

impl App {
    /// Signs the audit chain's head now, appends it to the node's anchors file and answers it.
    pub async fn anchor_audit(&self) -> Result<Anchor, AppError> {
        let anchoring = self.anchoring()?;
        let (seq, hash) = self.store.audit_head().await?.unwrap_or((0, GENESIS.to_string()));
        let at = self.now();
        let message = Anchor::message(&self.node_id, seq, &hash, at);
        let anchor = Anchor {
            node: self.node_id.clone(),
            seq,
            hash,
            at,
            public_key: anchoring.key.public_hex(),
            signature: hex::encode(anchoring.key.pair.sign(&message).as_ref()),
        };
        let line = serde_json::to_string(&anchor).map_err(|e| AppError::Internal(e.to_string()))?;
        let path = &anchoring.file;
        let mut file =
            std::fs::OpenOptions::new().append(true).create(true).open(path).map_err(|e| io(path, e))?;
        writeln!(file, "{line}").and_then(|()| file.sync_all()).map_err(|e| io(path, e))?;
        Ok(anchor)
    }

    fn anchoring(&self) -> Result<&Arc<Anchoring>, AppError> {
        self.anchoring
            .as_ref()
            .ok_or_else(|| AppError::Internal("this node has no signing key configured".into()))
    }

    /// Walks the whole hash chain, holding it to every anchor the node keeps and to `also`
    /// (anchors kept elsewhere: a hub's, a printed copy). An anchor not signed by this node's
    /// key is a forgery and breaks the verification.
    pub async fn verify_audit_with(&self, also: &[Anchor]) -> Result<Verification, AppError> {
        let mut anchors = match &self.anchoring {
            Some(a) => a.kept()?,
            None => Vec::new(),
        };
        anchors.extend_from_slice(also);
        if let Some(forged) = anchors
            .iter()
            .find(|a| self.anchoring.as_ref().is_none_or(|mine| !signed_by(a, &mine.key.public_hex())))
        {
            return Ok(Verification::Broken(ChainBreak::Forged { seq: forged.seq }));
        }
        self.walk_audit(Verifier::anchored(&anchors)).await
    }

    /// Signs the head every `every` when it moved since the last anchor; runs beside the server.
    pub async fn watch_anchors(self, every: std::time::Duration) {
        let mut last = None;
        loop {
            tokio::time::sleep(every).await;
            match self.store.audit_head().await {
                Ok(head) if head.as_ref().map(|h| h.0) != last => match self.anchor_audit().await {
                    Ok(a) => last = Some(a.seq),
                    Err(e) => tracing::error!(error = %e, "signing the audit head"),
                },
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "reading the audit head"),
            }
        }
    }
}
