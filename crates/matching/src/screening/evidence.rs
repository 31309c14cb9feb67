//! What birth dates, nationalities and document numbers say for or against a candidate.

use frontera_domain::{PartialDate, Sex};

/// How a traveller's birth date compares with an alert's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthEvidence {
    /// The same full date.
    Exact,
    /// Consistent as far as the less precise of the two goes (a year, or a year and month).
    Partial,
    /// The same year, and no more known on one side: weak, one person in some seventy of any
    /// age shares it.
    SameYear,
    /// The same year with day and month swapped (a common slip between date formats).
    DayMonthSwapped,
    /// Dates that cannot be the same.
    Conflicting,
    /// One side has no date.
    Unknown,
}

impl BirthEvidence {
    /// Compare a traveller's date with the dates an alert gives (the best of them).
    pub fn of(traveller: Option<&PartialDate>, alert: &[PartialDate]) -> BirthEvidence {
        let Some(t) = traveller else { return BirthEvidence::Unknown };
        alert.iter().map(|a| compare(t, a)).min_by_key(|e| e.rank()).unwrap_or(BirthEvidence::Unknown)
    }

    /// Better evidence ranks lower.
    pub(crate) fn rank(self) -> u8 {
        match self {
            BirthEvidence::Exact => 0,
            BirthEvidence::Partial => 1,
            BirthEvidence::SameYear => 1,
            BirthEvidence::DayMonthSwapped => 2,
            BirthEvidence::Unknown => 3,
            BirthEvidence::Conflicting => 4,
        }
    }

    /// What it adds to (or takes from) a name's score.
    pub fn weight(self) -> f64 {
        match self {
            BirthEvidence::Exact => 0.06,
            BirthEvidence::Partial => 0.03,
            BirthEvidence::SameYear => 0.01,
            BirthEvidence::DayMonthSwapped => 0.02,
            BirthEvidence::Unknown => 0.0,
            BirthEvidence::Conflicting => -0.3,
        }
    }
}

fn compare(t: &PartialDate, a: &PartialDate) -> BirthEvidence {
    if t.year() != a.year() {
        return BirthEvidence::Conflicting;
    }
    match (t.month(), a.month(), t.day(), a.day()) {
        (Some(tm), Some(am), Some(td), Some(ad)) if tm == am && td == ad => BirthEvidence::Exact,
        (Some(tm), Some(am), Some(td), Some(ad)) if tm == ad && td == am => BirthEvidence::DayMonthSwapped,
        (Some(tm), Some(am), _, _) if tm != am => {
            // A year and a month that differ agree only if one side swapped its day and month,
            // and then the year is all that is sure.
            let swapped = match (t.day(), a.day()) {
                (Some(td), None) => td == am,
                (None, Some(ad)) => ad == tm,
                _ => false,
            };
            if swapped { BirthEvidence::SameYear } else { BirthEvidence::Conflicting }
        }
        (Some(_), Some(_), Some(_), Some(_)) => BirthEvidence::Conflicting,
        (Some(_), Some(_), _, _) => BirthEvidence::Partial,
        _ => BirthEvidence::SameYear,
    }
}

/// How a traveller's nationality compares with an alert's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalityEvidence {
    /// One of the alert's nationalities.
    Same,
    /// None of them.
    Different,
    /// One side gives none.
    Unknown,
}

impl NationalityEvidence {
    /// Compare a traveller's nationality (a code) with an alert's (codes).
    pub fn of(traveller: Option<&str>, alert: &[String]) -> NationalityEvidence {
        match traveller {
            Some(t) if !alert.is_empty() => {
                if alert.iter().any(|a| a == t) {
                    NationalityEvidence::Same
                } else {
                    NationalityEvidence::Different
                }
            }
            _ => NationalityEvidence::Unknown,
        }
    }

    /// What it adds to (or takes from) a name's score, knowing how far the birth dates agree.
    /// Another nationality is a real sign of another person (most namesakes a list turns up
    /// hold another passport) but never proof (dual nationals, a nationality changed, a false
    /// passport): it outweighs a birth year agreeing. Where the whole date agrees, a namesake
    /// born that very day is rarer than a second passport, and it costs half as much.
    pub fn weight(self, birth: BirthEvidence) -> f64 {
        match self {
            NationalityEvidence::Same => 0.02,
            NationalityEvidence::Different
                if matches!(birth, BirthEvidence::Exact | BirthEvidence::DayMonthSwapped) =>
            {
                -0.05
            }
            NationalityEvidence::Different => -0.1,
            NationalityEvidence::Unknown => 0.0,
        }
    }
}

/// How a traveller's sex compares with an alert's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SexEvidence {
    /// The same.
    Same,
    /// Different: documents rarely get it wrong, lists now and then.
    Different,
    /// One side gives none, or gives neither female nor male.
    Unknown,
}

impl SexEvidence {
    /// Compare a traveller's sex with an alert's.
    pub fn of(traveller: Option<Sex>, alert: Option<Sex>) -> SexEvidence {
        match (traveller, alert) {
            (Some(t), Some(a)) if t != Sex::Unspecified && a != Sex::Unspecified => {
                if t == a {
                    SexEvidence::Same
                } else {
                    SexEvidence::Different
                }
            }
            _ => SexEvidence::Unknown,
        }
    }

    /// What it takes from a name's score (the same sex adds nothing: half of everyone shares it).
    pub fn weight(self) -> f64 {
        match self {
            SexEvidence::Different => -0.2,
            SexEvidence::Same | SexEvidence::Unknown => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn birth_dates_give_evidence_by_precision() {
        let of = |t: &str, a: &str| BirthEvidence::of(Some(&d(t)), &[d(a)]);
        assert_eq!(of("1971-03-14", "1971-03-14"), BirthEvidence::Exact);
        assert_eq!(of("1971-03-14", "1971"), BirthEvidence::SameYear);
        assert_eq!(of("1971-03-14", "1971-03"), BirthEvidence::Partial);
        assert_eq!(of("1971-03-04", "1971-04-03"), BirthEvidence::DayMonthSwapped);
        assert_eq!(of("1971-03-04", "1971-04"), BirthEvidence::SameYear, "a swap, if anything");
        assert_eq!(of("1971-03-14", "1971-03-15"), BirthEvidence::Conflicting);
        assert_eq!(of("1971-03-14", "1972"), BirthEvidence::Conflicting);
        assert_eq!(of("1971-03-14", "1971-05"), BirthEvidence::Conflicting);
        assert_eq!(BirthEvidence::of(None, &[d("1971")]), BirthEvidence::Unknown);
        assert_eq!(BirthEvidence::of(Some(&d("1971")), &[]), BirthEvidence::Unknown);
        // Several dates on the alert: the best one counts.
        assert_eq!(
            BirthEvidence::of(Some(&d("1964-07-01")), &[d("1962"), d("1964")]),
            BirthEvidence::SameYear
        );
    }

    #[test]
    fn nationality_counts_only_when_both_sides_give_one() {
        let alert = ["AFG".to_string(), "PAK".to_string()];
        assert_eq!(NationalityEvidence::of(Some("PAK"), &alert), NationalityEvidence::Same);
        assert_eq!(NationalityEvidence::of(Some("MEX"), &alert), NationalityEvidence::Different);
        assert_eq!(NationalityEvidence::of(None, &alert), NationalityEvidence::Unknown);
        assert_eq!(NationalityEvidence::of(Some("MEX"), &[]), NationalityEvidence::Unknown);
    }
}
