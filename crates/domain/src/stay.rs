//! A traveller's stays on one side of the border, from their entries and exits: how many days
//! they spent, and how long their permitted stay still runs.

use chrono::{Duration, NaiveDate};

use crate::crossing::{Crossing, Direction};

/// One stay: an entry and the exit that ended it. Either may be missing from the record (an
/// exit with no entry before it, a stay still open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay<'a> {
    /// The entry that began it.
    pub entry: Option<&'a Crossing>,
    /// The exit that ended it; `None` while the traveller is still in the country.
    pub exit: Option<&'a Crossing>,
    /// Calendar days present, the days of entry and exit both counted; `None` when the entry is
    /// not on record.
    pub days: Option<i64>,
}

/// Where a traveller's permitted stay stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemainingStay {
    /// The last day the traveller may be in the country.
    pub until: NaiveDate,
    /// Days from today to that day: negative once overstayed.
    pub remaining_days: i64,
}

/// A traveller's stays, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline<'a> {
    /// The stays.
    pub stays: Vec<Stay<'a>>,
    /// Days present over every stay whose entry is on record.
    pub days_spent: i64,
    /// Whether the latest crossing is an entry.
    pub inside: bool,
    /// The permitted stay of the open stay, when its entry granted one.
    pub permitted: Option<RemainingStay>,
}

impl<'a> Timeline<'a> {
    /// The timeline of `crossings` (one person's, oldest first) as of `today`, each crossing
    /// dated by `local_date` (its port's calendar day).
    pub fn of(
        crossings: &'a [Crossing],
        today: NaiveDate,
        local_date: impl Fn(&Crossing) -> NaiveDate,
    ) -> Timeline<'a> {
        let days = |from: &Crossing, to: NaiveDate| (to - local_date(from)).num_days() + 1;
        let mut stays = Vec::new();
        let mut open: Option<&Crossing> = None;
        for c in crossings {
            match c.direction {
                Direction::Entry => {
                    // An entry after an entry: the exit between them is not on record.
                    if let Some(entry) = open.replace(c) {
                        stays.push(Stay { entry: Some(entry), exit: None, days: None });
                    }
                }
                Direction::Exit => {
                    let entry = open.take();
                    let days = entry.map(|e| days(e, local_date(c)));
                    stays.push(Stay { entry, exit: Some(c), days });
                }
            }
        }
        let mut permitted = None;
        if let Some(entry) = open {
            stays.push(Stay { entry: Some(entry), exit: None, days: Some(days(entry, today).max(1)) });
            permitted = entry.permitted_stay_days.map(|granted| {
                let until = local_date(entry) + Duration::days(i64::from(granted));
                RemainingStay { until, remaining_days: (until - today).num_days() }
            });
        }
        let days_spent = stays.iter().filter_map(|s| s.days).sum();
        Timeline { stays, days_spent, inside: open.is_some(), permitted }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::crossing::{CrossingDraft, DocumentDraft, PersonDraft, Provenance};
    use crate::port::PortRegistry;

    fn crossing(direction: &str, day: u32, stay: Option<u16>) -> Crossing {
        let at = format!("2026-03-{day:02}T15:00:00Z");
        let draft = CrossingDraft {
            port_id: Some("bz-santa-elena".into()),
            direction: Some(direction.into()),
            category: Some("visitor".into()),
            occurred_at: Some(at.clone()),
            permitted_stay_days: stay.filter(|_| direction == "entry").map(i64::from),
            document: Some(DocumentDraft {
                kind: Some("passport".into()),
                number: Some("G12345678".into()),
                issuing_state: Some("MEX".into()),
                expiry_date: None,
            }),
            person: Some(PersonDraft {
                given_names: Some("Ana".into()),
                first_surname: Some("Pech".into()),
                sex: Some("F".into()),
                nationality: Some("MEX".into()),
                ..PersonDraft::default()
            }),
            ..CrossingDraft::default()
        };
        let now = DateTime::parse_from_rfc3339("2026-04-30T00:00:00Z").unwrap().with_timezone(&Utc);
        let new = draft.parse(&PortRegistry::builtin(), now).unwrap();
        let provenance = Provenance {
            recorded_by: "o".into(),
            node_id: "n".into(),
            recorded_at: now,
            processing_ms: None,
        };
        Crossing::from_new(new, provenance)
    }

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    #[test]
    fn stays_count_the_days_of_entry_and_exit_and_the_open_stay_until_today() {
        let crossings = vec![
            crossing("exit", 1, None),
            crossing("entry", 3, Some(30)),
            crossing("exit", 5, None),
            crossing("entry", 10, Some(7)),
        ];
        let t = Timeline::of(&crossings, date(20), |c| c.occurred_at.date_naive());
        let days: Vec<Option<i64>> = t.stays.iter().map(|s| s.days).collect();
        assert_eq!(days, vec![None, Some(3), Some(11)]);
        assert!(t.stays[0].entry.is_none() && t.stays[2].exit.is_none());
        assert_eq!(t.days_spent, 14);
        assert!(t.inside);
        assert_eq!(t.permitted, Some(RemainingStay { until: date(17), remaining_days: -3 }));
    }

    #[test]
    fn after_an_exit_there_is_no_permitted_stay_and_a_missing_exit_leaves_a_stay_uncounted() {
        let crossings =
            vec![crossing("entry", 1, Some(30)), crossing("entry", 4, Some(30)), crossing("exit", 6, None)];
        let t = Timeline::of(&crossings, date(20), |c| c.occurred_at.date_naive());
        assert_eq!(t.stays.iter().map(|s| s.days).collect::<Vec<_>>(), vec![None, Some(3)]);
        assert!(!t.inside);
        assert_eq!(t.permitted, None);
        let t = Timeline::of(&crossings[..1], date(10), |c| c.occurred_at.date_naive());
        assert_eq!(t.permitted, Some(RemainingStay { until: date(31), remaining_days: 21 }));
        assert_eq!(t.days_spent, 10);
    }
}
