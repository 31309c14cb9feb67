//! The demo's protection work: a service directory of both countries (fictional organisations
//! in real towns), and a few cases at different stages, so that every protection screen has
//! something to show.

use frontera_domain::access::Actor;
use frontera_domain::protection::Event;

use super::DemoUser;
use crate::protection::{CaseDraft, ConsentDraft, ReferralDraft};
use crate::{App, AppError};

/// The demo directory, HSDS 3.0 JSON.
const DIRECTORY: &str = include_str!("directory.json");

/// What the demo's protection work holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoProtection {
    /// Services in the directory.
    pub services: usize,
    /// Cases opened now (none when the demo's cases are there already).
    pub cases: usize,
}

impl App {
    /// Loads the demo directory (unchanged when it is there): what the demo's providers'
    /// accounts name as their organisations. Answers its number of services.
    pub(crate) async fn load_demo_directory(&self, console: &Actor) -> Result<usize, AppError> {
        let part = crate::directory::read_hsds(DIRECTORY, frontera_domain::CountryCode::BLZ)
            .map_err(|e| AppError::Internal(format!("the demo directory: {e}")))?;
        self.save_directory(console, &part, "demo").await?;
        Ok(part.services.len())
    }

    /// Loads the demo directory (unchanged when it is there) and, on a node with no cases yet,
    /// opens the demo cases as the demo users: a child alone referred to a children's centre
    /// across the border and accepted there, an asylum seeker referred to legal aid and waiting
    /// for an answer, an older man with a task set.
    pub async fn load_demo_protection(
        &self,
        console: &Actor,
        users: &[DemoUser],
    ) -> Result<DemoProtection, AppError> {
        let services = self.load_demo_directory(console).await?;
        let mut done = DemoProtection { services, cases: 0 };
        let any = frontera_store::ProtectionQuery { kind: Some("case".into()), ..Default::default() };
        if !self.store.protection_records(&any).await?.is_empty() {
            return Ok(done);
        }
        let mut actors = Vec::new();
        for name in ["officer.bz", "protection.bz", "provider.mx", "provider.bz"] {
            let Some(user) = users.iter().find(|u| u.name == name) else {
                return Err(AppError::Internal(format!("no demo user {name}")));
            };
            actors.push(self.authenticate(&user.token).await?);
        }
        let [officer, protection, centre, clinic] =
            <[Actor; 4]>::try_from(actors).map_err(|_| AppError::Internal("the demo users".into()))?;
        let some = |s: &str| Some(s.to_string());

        // A boy alone on the bus from Belize City, referred across the bridge and taken in.
        let boy = CaseDraft {
            given_names: some("Luis Alberto"),
            surnames: some("Chan Pop"),
            birth_date: some("2013-05"),
            sex: some("M"),
            nationality: some("GTM"),
            languages: vec!["es".into(), "kek".into()],
            profiles: vec!["unaccompanied_child".into()],
            risk: some("high"),
            caregiver_informed: Some(false),
            note: some("Travelling alone to meet an uncle in Cancún; no phone number for him."),
            ..CaseDraft::default()
        };
        let case = self.open_case(&officer, &boy).await?;
        let consent = ConsentDraft {
            guardian_name: some("Rosa Pop Caal"),
            guardian_relationship: some("mother, by telephone from Guatemala"),
            purpose: some("shelter, care and family tracing"),
            service_kinds: vec!["child_protection".into(), "shelter".into()],
            data: vec!["identity".into(), "needs".into(), "contact".into()],
            ..ConsentDraft::default()
        };
        self.add_consent(&protection, &case.id, &consent).await?;
        let referral = ReferralDraft {
            service_at_location: some("sal-mx-ninez-chetumal"),
            priority: some("emergency"),
            reason: some("A child alone needs a safe place tonight and his family found."),
            data: vec!["identity".into(), "needs".into(), "contact".into()],
            ..ReferralDraft::default()
        };
        let sent = self.refer(&protection, &case.id, &referral).await?;
        for event in [Event::Receive, Event::Accept] {
            self.act_on_referral(&centre, &sent.id, event).await?;
        }
        done.cases += 1;

        // A pregnant woman asking for asylum, referred to legal aid; no answer yet.
        let woman = CaseDraft {
            given_names: some("María José"),
            surnames: some("Hernández López"),
            birth_date: some("1998-11-02"),
            sex: some("F"),
            nationality: some("HND"),
            languages: vec!["es".into()],
            profiles: vec!["asylum".into(), "pregnant".into()],
            risk: some("medium"),
            note: some("Fled threats in San Pedro Sula; seven months pregnant."),
            ..CaseDraft::default()
        };
        let case = self.open_case(&officer, &woman).await?;
        let consent = ConsentDraft {
            purpose: some("asylum advice and antenatal care"),
            organisations: vec!["org-bz-legal".into(), "org-bz-health".into()],
            data: vec!["identity".into(), "needs".into()],
            ..ConsentDraft::default()
        };
        self.add_consent(&protection, &case.id, &consent).await?;
        let referral = ReferralDraft {
            service_at_location: some("sal-bz-legal-corozal"),
            priority: some("urgent"),
            reason: some("Wishes to apply for asylum; needs advice before her hearing."),
            data: vec!["identity".into(), "needs".into()],
            ..ReferralDraft::default()
        };
        let sent = self.refer(&protection, &case.id, &referral).await?;
        self.act_on_referral(&clinic, &sent.id, Event::Receive).await?;
        done.cases += 1;

        // An older man with a medical need, a task set for the week.
        let man = CaseDraft {
            given_names: some("José Ángel"),
            surnames: some("Mendoza"),
            birth_date: some("1951"),
            sex: some("M"),
            nationality: some("SLV"),
            profiles: vec!["older_person".into(), "medical".into()],
            risk: some("low"),
            note: some("Needs his diabetes medicine; has run out."),
            ..CaseDraft::default()
        };
        let case = self.open_case(&protection, &man).await?;
        let due = (self.now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
        self.add_case_task(&protection, &case.id, "Take him to the health post in Orange Walk", &due).await?;
        done.cases += 1;
        Ok(done)
    }
}
