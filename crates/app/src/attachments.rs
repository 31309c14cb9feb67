//! Files attached to a protection case: a medical certificate, a signed consent, a photo of a
//! document. Only those who work the case attach or read them (never a referral's receiver:
//! the packet is all that crosses); every read is audited. The node decides what a file is
//! from its first bytes, not from what the sender claims, and keeps only kinds a browser shows
//! safely: PDF, PNG, JPEG and plain text.

use frontera_domain::audit::AuditDraft;
use frontera_domain::{Actor, Rule, ValidationError};
pub use frontera_store::Attachment;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::protection::refused;
use crate::{App, AppError};

/// The largest file a case takes, in bytes (10 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The error of a file over [`MAX_ATTACHMENT_BYTES`], wherever it is found too large.
pub fn too_large() -> ValidationError {
    let mib = MAX_ATTACHMENT_BYTES / (1024 * 1024);
    ValidationError::new(
        "file",
        Rule::syntax(format!("larger than {mib} MiB"), format!("mayor de {mib} MiB")),
    )
}

/// The longest file name kept, in characters.
const MAX_NAME: usize = 120;

/// What a file is, from its first bytes: `None` when it is none of the kinds kept.
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    if content.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if std::str::from_utf8(content).is_ok_and(|t| !t.contains('\0')) {
        Some("text/plain; charset=utf-8")
    } else {
        None
    }
}

/// A file name as kept: its last path component, without control characters, cut to
/// [`MAX_NAME`] characters.
fn clean_name(name: &str) -> Result<String, ValidationError> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
    if clean.is_empty() || clean == "." || clean == ".." {
        return Err(ValidationError::new("name", Rule::Required));
    }
    if clean.chars().count() > MAX_NAME {
        return Err(ValidationError::new("name", Rule::TooLong { max: MAX_NAME }));
    }
    Ok(clean)
}

impl App {
    /// Attaches a file to a case the actor works (not a closed one). `claimed` is the media
    /// type the sender gave, if any: a file that is not what it claims is refused.
    pub async fn attach(
        &self,
        actor: &Actor,
        case_id: &str,
        name: &str,
        claimed: Option<&str>,
        content: &[u8],
    ) -> Result<Attachment, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        if case.closed_at.is_some() {
            return Err(refused(
                format!("case {case_id} is closed"),
                format!("el caso {case_id} está cerrado"),
            ));
        }
        let name = clean_name(name)?;
        if content.is_empty() {
            return Err(ValidationError::new("file", Rule::Required).into());
        }
        if content.len() > MAX_ATTACHMENT_BYTES {
            return Err(too_large().into());
        }
        let Some(media_type) = sniff(content) else {
            let rule = Rule::syntax(
                "not a PDF, PNG, JPEG or plain-text file",
                "no es un archivo PDF, PNG, JPEG ni de texto simple",
            );
            return Err(ValidationError::new("file", rule).into());
        };
        let essence = |t: &str| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if let Some(claimed) =
            claimed.map(essence).filter(|c| !c.is_empty() && c != "application/octet-stream")
            && claimed != essence(media_type)
        {
            let rule = Rule::syntax(
                format!("said to be {claimed} but is {}", essence(media_type)),
                format!("se declara {claimed} pero es {}", essence(media_type)),
            );
            return Err(ValidationError::new("file", rule).into());
        }
        let attachment = Attachment {
            id: Uuid::now_v7().to_string(),
            case_id: case.id.clone(),
            name,
            media_type: media_type.to_string(),
            size: content.len() as u64,
            sha256: hex::encode(Sha256::digest(content)),
            added_by: actor.name.clone(),
            added_at: self.now(),
        };
        let event = AuditDraft::new(
            &actor.name,
            "case.attach",
            "attachment",
            &attachment.id,
            Some(case.country.as_str()),
            json!({"case": case.id, "media_type": attachment.media_type, "size": attachment.size, "sha256": attachment.sha256}),
        );
        self.store.save_attachment(&attachment, content, event).await?;
        Ok(attachment)
    }

    /// A case's attachments (names, kinds, sizes), for those who work it.
    pub async fn case_attachments(&self, actor: &Actor, case_id: &str) -> Result<Vec<Attachment>, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        Ok(self.store.attachments(&case.id).await?)
    }

    /// One attachment with its content, for those who work its case; the read is audited.
    pub async fn read_attachment(
        &self,
        actor: &Actor,
        case_id: &str,
        id: &str,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        let Some((attachment, content)) =
            self.store.attachment(id).await?.filter(|(a, _)| a.case_id == case.id)
        else {
            return Err(AppError::NotFound(format!("attachment {id} of case {case_id}")));
        };
        let event = AuditDraft::new(
            &actor.name,
            "case.attachment_read",
            "attachment",
            id,
            Some(case.country.as_str()),
            json!({"case": case.id}),
        );
        self.store.append_audit(event).await?;
        Ok((attachment, content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_what_its_first_bytes_say_and_its_name_loses_its_path() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff("informe médico".as_bytes()), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff(b"MZ\x90\x00\x03"), None, "an executable");
        assert_eq!(sniff(&[0xC3, 0x28]), None, "not UTF-8");
        assert_eq!(clean_name("C:\\Users\\ana\\certificado.pdf").unwrap(), "certificado.pdf");
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.txt").unwrap(), "ab.txt");
        assert_eq!(clean_name("dir/").unwrap_err().field, "name");
        assert_eq!(clean_name(&"x".repeat(121)).unwrap_err().field, "name");
    }
}
