//! Stays, overstays and migrants: the tables drawn from each traveller's history rather than
//! from counted crossings. Each is worked out from the raw records when asked.

use chrono::{Duration, NaiveDate};
use frontera_domain::access::Actor;
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, Lang, Rule, ValidationError};
use frontera_stats::commuting;
use frontera_stats::migrants::{self, Flow, MigrationRule};
use frontera_stats::stays::{self, Identity, Movement, OverstayRate, Span, Stay};
use frontera_stats::{View, export, protect};
use serde::{Deserialize, Serialize};

use super::{
    CrossingStats, TableFormat, TableScope, about, day, days, export_failed, labour_scope, table_scope,
};
use crate::formats::Progress;
use crate::{App, AppError};

/// Which table of travellers' histories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Study {
    /// Lengths of the stays that ended.
    Stays,
    /// Expected departures and how they went.
    Overstays,
    /// Crossings classified by the 12/16-month rule.
    Migrants,
    /// Border workers by how they commute: daily, weekly, seasonal, occasional.
    Commuting,
    /// Border workers by the round trips they made each month.
    Circularity,
}

impl Study {
    /// The name in commands, addresses and audit events.
    pub fn as_str(self) -> &'static str {
        match self {
            Study::Stays => "stays",
            Study::Overstays => "overstays",
            Study::Migrants => "migrants",
            Study::Commuting => "commuting",
            Study::Circularity => "circularity",
        }
    }

    fn dimensions(self) -> &'static [&'static str] {
        match self {
            Study::Stays | Study::Overstays => stays::STAY_DIMENSIONS,
            Study::Migrants => migrants::MIGRANT_DIMENSIONS,
            Study::Commuting | Study::Circularity => commuting::COMMUTING_DIMENSIONS,
        }
    }
}

/// What a table of stays, overstays or migrants asks for, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StudyRequest {
    /// A comma-separated subset of `month, quarter, year, category, nationality, sex,
    /// age_group`.
    pub by: Option<String>,
    /// The first local day covered, `YYYY-MM-DD`: of the exit (stays), of the end of the
    /// permitted stay (overstays), of the crossing (migrants).
    pub from: Option<String>,
    /// The last local day covered.
    pub to: Option<String>,
    /// The last day the records are taken to cover, `YYYY-MM-DD` (default: today); later
    /// crossings are left out.
    pub as_of: Option<String>,
    /// The country whose travellers are studied (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always applied to another country's table).
    #[serde(default)]
    pub public: bool,
    /// The smallest count disclosure control shows (default 5).
    pub threshold: Option<u64>,
    /// Months of presence (or absence) that make a change of residence (default 12).
    pub present_months: Option<u32>,
    /// The window they are counted in (default 16).
    pub window_months: Option<u32>,
    /// The language of the definitions (`en` or `es`; default `en`).
    pub lang: Option<String>,
}

/// What a figure counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Definition {
    /// The value or column it defines.
    pub name: String,
    /// The definition.
    pub text: String,
}

/// What the records lack, as far as these tables go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quality {
    /// Crossings read.
    pub crossings: u64,
    /// Documents crossed on.
    pub documents: u64,
    /// Travellers those documents belong to (documents linked by name, birth date, sex and
    /// nationality).
    pub travellers: u64,
    /// Stays whose entry and exit were on different documents.
    pub document_changes: u64,
    /// Exits with no entry before them.
    pub exits_without_entry: u64,
    /// Entries followed by another entry: the exit between them is missing.
    pub exits_not_recorded: u64,
    /// Travellers in the country on the last day covered.
    pub open_stays: u64,
}

/// A table of stays, overstays or migrants, with what it means.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudyTable {
    /// Which table.
    pub study: Study,
    /// The country studied.
    pub country: CountryCode,
    /// The first day covered.
    pub from: Option<NaiveDate>,
    /// The last day covered.
    pub to: Option<NaiveDate>,
    /// The last day the records are taken to cover.
    pub as_of: NaiveDate,
    /// The rule, for migrants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<MigrationRule>,
    /// The table, as counted or after disclosure control (`disclosure`, `dimensions`, `rows`).
    #[serde(flatten)]
    pub table: CrossingStats,
    /// Overstays: the rate of each group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates: Option<Vec<OverstayRate>>,
    /// What the values of the table mean.
    pub definitions: Vec<Definition>,
    /// What the records lack.
    pub quality: Quality,
}

impl Study {
    /// The title of its table.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Study::Stays, Lang::En) => "Lengths of stay",
            (Study::Stays, Lang::Es) => "Duración de las estancias",
            (Study::Overstays, Lang::En) => "Expected departures and overstays",
            (Study::Overstays, Lang::Es) => "Salidas esperadas y estancias vencidas",
            (Study::Migrants, Lang::En) => "Migrants by the 12/16-month rule",
            (Study::Migrants, Lang::Es) => "Migrantes según la regla de 12/16 meses",
            (Study::Commuting, Lang::En) => "Border workers by commuting pattern",
            (Study::Commuting, Lang::Es) => "Trabajadores fronterizos según su patrón de desplazamiento",
            (Study::Circularity, Lang::En) => "Border workers by round trips a month",
            (Study::Circularity, Lang::Es) => {
                "Trabajadores fronterizos según sus viajes de ida y vuelta al mes"
            }
        }
    }
}

impl StudyTable {
    /// The table as a file in `format` (not SDMX-CSV: its structure is that of crossings),
    /// labels in `lang` (the definitions are in the language the table was asked in).
    pub fn render(&self, format: TableFormat, lang: Lang) -> Result<Vec<u8>, AppError> {
        let mut out = Vec::new();
        match format {
            TableFormat::Json => {
                serde_json::to_writer_pretty(&mut out, self)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                out.push(b'\n');
            }
            TableFormat::Csv => self.write_csv(&mut out)?,
            TableFormat::SdmxCsv => {
                return Err(ValidationError::new(
                    "format",
                    Rule::OneOf { allowed: &["csv", "hxl", "xlsx", "json"] },
                )
                .into());
            }
            TableFormat::Hxl => {
                let tag = match self.study {
                    Study::Migrants => "#x_crossings",
                    Study::Commuting | Study::Circularity => "#x_workers",
                    Study::Stays | Study::Overstays => "#x_stays",
                };
                export::hxl::write_csv(self.table.view(), tag, lang, &mut out).map_err(export_failed)?;
            }
            TableFormat::Xlsx => {
                let title = self.study.title(lang);
                let sheet = export::xlsx::Sheet { name: self.study.as_str(), title, view: self.table.view() };
                let about =
                    about(Some(self.country), self.from, self.to, &self.table, Some(self.as_of), lang);
                let definitions: Vec<(String, String)> =
                    self.definitions.iter().map(|d| (d.name.clone(), d.text.clone())).collect();
                out = export::xlsx::workbook(&[sheet], &about, &definitions, lang).map_err(export_failed)?;
            }
        }
        Ok(out)
    }

    /// Writes the table as CSV: for overstays one line per group with each outcome, the
    /// expected departures and the rate (empty where withheld); otherwise as
    /// [`CrossingStats::write_csv`].
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> Result<(), AppError> {
        let Some(rates) = &self.rates else { return self.table.write_csv(out) };
        let io = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
        let mut w = csv::Writer::from_writer(out);
        let dims = self.table.dimensions();
        let groups = &dims[..dims.len().saturating_sub(1)];
        let measures =
            ["expected", "on_time", "late_exit", "overstaying", "exit_not_recorded", "overstay_rate"];
        w.write_record(groups.iter().copied().chain(measures)).map_err(io)?;
        for r in rates {
            let cell = |c: frontera_stats::Cell| c.shown().map_or(String::new(), |n| n.to_string());
            let values = [
                cell(r.expected),
                cell(r.on_time),
                cell(r.late_exit),
                cell(r.overstaying),
                cell(r.exit_not_recorded),
                r.rate.map_or(String::new(), |x| format!("{x:.4}")),
            ];
            w.write_record(r.key.iter().cloned().chain(values)).map_err(io)?;
        }
        w.flush().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
    }
}

/// A country's travellers' histories: the crossings (sorted by traveller and instant) and the
/// stays made of them.
pub(crate) struct Histories {
    pub(crate) movements: Vec<Movement>,
    pub(crate) stays: Vec<Stay>,
    pub(crate) quality: Quality,
}

impl App {
    /// Reads the crossings of `country` up to `as_of` (its ports' local day), links documents
    /// to travellers and pairs entries with exits.
    pub(crate) async fn histories(
        &self,
        country: CountryCode,
        as_of: NaiveDate,
        progress: &dyn Progress,
    ) -> Result<Histories, AppError> {
        progress.phase("read", 1);
        // A day later in UTC covers every port's local `as_of`; the rest is dropped below.
        let before = (as_of + Duration::days(2)).and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let facts = self.store.movements(country, before).await?;
        progress.advance(1);
        progress.phase("link", facts.holders.len() as u64);
        let identities: Vec<Identity> = facts
            .holders
            .iter()
            .map(|h| Identity {
                name_key: h.name_key.clone(),
                birth_date: h.birth_date.and_then(|b| b.as_date()),
                sex: h.sex,
                nationality: h.nationality,
            })
            .collect();
        let travellers = stays::link(&identities);
        progress.advance(identities.len() as u64);
        drop(identities);
        progress.phase("pair", facts.rows.len() as u64);
        let zones: Vec<chrono_tz::Tz> = facts
            .ports
            .iter()
            .map(|p| self.ports.get(p).map_or(chrono_tz::Tz::UTC, |p| p.time_zone))
            .collect();
        let mut movements = Vec::with_capacity(facts.rows.len());
        for chunk in facts.rows.chunks(65_536) {
            for r in chunk {
                let Some(at) = chrono::DateTime::from_timestamp_micros(r.occurred_at) else { continue };
                let day = at.with_timezone(&zones[usize::from(r.port)]).date_naive();
                if day > as_of {
                    continue;
                }
                let holder = &facts.holders[r.holder as usize];
                movements.push(Movement {
                    traveller: travellers[r.holder as usize],
                    document: r.holder,
                    at: r.occurred_at,
                    day,
                    direction: r.direction,
                    category: r.category,
                    nationality: holder.nationality,
                    sex: holder.sex,
                    birth_date: holder.birth_date.and_then(|b| b.earliest()),
                    permitted_stay_days: r.permitted_stay_days,
                });
            }
            progress.advance(chunk.len() as u64);
        }
        let stays = stays::stays(&mut movements);
        let mut quality = Quality {
            crossings: movements.len() as u64,
            documents: facts.holders.len() as u64,
            travellers: travellers.iter().max().map_or(0, |t| u64::from(*t) + 1),
            ..Quality::default()
        };
        for s in &stays {
            quality.document_changes += u64::from(s.document_changed());
            quality.exits_without_entry += u64::from(s.entry.is_none());
            match s.end {
                stays::End::ExitNotRecorded { .. } => quality.exits_not_recorded += 1,
                stays::End::Open => quality.open_stays += 1,
                stays::End::Exited => {}
            }
        }
        Ok(Histories { movements, stays, quality })
    }

    /// A table of the stays, overstays or migrants of a country's travellers, worked out from
    /// the raw records as they stand on `as_of`. Who may see it, and when it goes through
    /// disclosure control, as for [`App::crossing_stats`]. Audited.
    pub async fn study(
        &self,
        actor: &Actor,
        study: Study,
        request: &StudyRequest,
        progress: &dyn Progress,
    ) -> Result<StudyTable, AppError> {
        let by = stays::parse_by(request.by.as_deref().unwrap_or(""), study.dimensions())?;
        let (from, to) = days(&request.from, &request.to)?;
        let as_of = day(&request.as_of, "as_of")?.unwrap_or_else(|| self.now().date_naive());
        let lang = match request.lang.as_deref().map(str::trim) {
            None | Some("") | Some("en") => Lang::En,
            Some("es") => Lang::Es,
            Some(_) => {
                return Err(ValidationError::new("lang", Rule::OneOf { allowed: &["en", "es"] }).into());
            }
        };
        let rule =
            MigrationRule::new(request.present_months.unwrap_or(12), request.window_months.unwrap_or(16))?;
        let TableScope { country, public, threshold } = match study {
            Study::Commuting | Study::Circularity => {
                labour_scope(self, actor, request.country.as_deref(), request.public, request.threshold)?
            }
            Study::Stays | Study::Overstays | Study::Migrants => {
                table_scope(self, actor, request.country.as_deref(), request.public, request.threshold, None)?
            }
        };
        let country = country.unwrap_or(actor.scope.country);
        let h = self.histories(country, as_of, progress).await?;
        let span = Span { from, to };
        progress.phase("count", h.stays.len() as u64);
        let table = match study {
            Study::Stays => stays::length_of_stay(&h.stays, &by, span),
            Study::Overstays => stays::overstays(&h.stays, &by, span, as_of),
            Study::Migrants => {
                let events = migrants::classify(&h.movements, &h.stays, country, rule, as_of);
                migrants::migrants(&events, &by, span)
            }
            Study::Commuting => commuting::commuting(&h.stays, &by, span, as_of),
            Study::Circularity => commuting::circularity(&h.stays, &by, span),
        };
        progress.advance(h.stays.len() as u64);
        let event = AuditDraft::new(
            &actor.name,
            &format!("stats.{}", study.as_str()),
            "table",
            by.join(","),
            Some(country.as_str()),
            serde_json::json!({
                "from": from, "to": to, "as_of": as_of, "public": public,
                "threshold": public.then_some(threshold), "cells": table.rows.len(),
                "rule": (study == Study::Migrants).then_some(rule),
            }),
        );
        self.store.append_audit(event).await?;
        let table = if public {
            CrossingStats::Controlled { table: protect(&table, threshold) }
        } else {
            CrossingStats::None { table }
        };
        let rates = (study == Study::Overstays).then(|| {
            stays::overstay_rates(&match &table {
                CrossingStats::None { table } => View::Counted(table),
                CrossingStats::Controlled { table } => View::Protected(table),
            })
        });
        Ok(StudyTable {
            study,
            country,
            from,
            to,
            as_of,
            rule: (study == Study::Migrants).then_some(rule),
            definitions: definitions(study, rule, lang),
            table,
            rates,
            quality: h.quality,
        })
    }
}

/// What each value of a study's table means.
pub(super) fn definitions(study: Study, rule: MigrationRule, lang: Lang) -> Vec<Definition> {
    let d = |name: &str, text: String| Definition { name: name.to_string(), text };
    let es = lang == Lang::Es;
    match study {
        Study::Stays => vec![d(
            "length",
            if es {
                "Días en el país de cada estancia terminada, contando el día de entrada y el de salida: cada entrada enlazada con la siguiente salida de la misma persona en este país (por documento y, si lo renovó, por nombre, fecha de nacimiento, sexo y nacionalidad). El periodo es el de la salida."
            } else {
                "Days in the country of each stay that ended, the days of entry and exit both counted: each entry linked to the same traveller's next exit from this country (by document and, where it was renewed, by name, birth date, sex and nationality). The period is the exit's."
            }
            .to_string(),
        )],
        Study::Overstays => [
            ("on_time", "Left within the permitted stay.", "Salió dentro de la estancia autorizada."),
            ("late_exit", "Left after the permitted stay ended.", "Salió después de terminada la estancia autorizada."),
            (
                "overstaying",
                "No exit recorded and the permitted stay has ended: a suspected overstay.",
                "Sin salida registrada y con la estancia autorizada vencida: presunta estancia irregular.",
            ),
            (
                "exit_not_recorded",
                "Entered again after the permitted stay ended with no exit recorded: when they left is unknown.",
                "Volvió a entrar después de vencida la estancia sin salida registrada: se desconoce cuándo salió.",
            ),
            (
                "overstay_rate",
                "(Late exits + overstaying) ÷ expected departures, by the month the permitted stay ended.",
                "(Salidas tardías + estancias vencidas) ÷ salidas esperadas, por el mes en que terminó la estancia autorizada.",
            ),
        ]
        .into_iter()
        .map(|(name, en, es_text)| d(name, if es { es_text } else { en }.to_string()))
        .collect(),
        Study::Commuting => [
            ("daily", "In and out within two calendar days, four round trips a month or more.", "Entra y sale en dos días naturales como máximo, cuatro viajes de ida y vuelta al mes o más."),
            ("weekly", "Stays of three to eight days (a working week), two round trips a month or more.", "Estancias de tres a ocho días (una semana laboral), dos viajes de ida y vuelta al mes o más."),
            ("seasonal", "A stay of 28 days or more (a harvest, a season); one still open counts to the last day covered.", "Una estancia de 28 días o más (una zafra, una temporada); la que sigue abierta cuenta hasta el último día cubierto."),
            ("occasional", "Any other border worker: few trips, irregular lengths.", "Cualquier otro trabajador fronterizo: pocos viajes, duraciones irregulares."),
            ("pattern", "A border worker is a traveller with a stay in the country begun or ended as a border worker (travellers linked by document, then by name, birth date, sex and nationality). Each is counted once per period of the table (once over the whole span when it has none), by their stays begun in it; the typical length is the median of the stays that ended.", "Un trabajador fronterizo es una persona con una estancia en el país iniciada o terminada como trabajador fronterizo (personas enlazadas por documento y luego por nombre, fecha de nacimiento, sexo y nacionalidad). Cada uno se cuenta una vez por periodo de la tabla (una vez en todo el intervalo si no lo tiene), según sus estancias iniciadas en él; la duración típica es la mediana de las estancias terminadas."),
        ]
        .into_iter()
        .map(|(name, en, es_text)| d(name, if es { es_text } else { en }.to_string()))
        .collect(),
        Study::Circularity => vec![d(
            "trips",
            if es {
                "Viajes de ida y vuelta (estancias terminadas) que cada trabajador fronterizo hizo en cada mes natural con una estancia iniciada, en grupos: cada trabajador cuenta una vez al mes (una tabla por trimestre o año cuenta meses-trabajador)."
            } else {
                "Round trips (stays that ended) each border worker made in each calendar month with a stay begun, in groups: a worker counts once a month (a table by quarter or year counts worker-months)."
            }
            .to_string(),
        )],
        Study::Migrants => {
            let mut out: Vec<Definition> =
                Flow::ALL.into_iter().map(|f| d(f.as_str(), f.definition(rule, lang))).collect();
            out.push(d(
                "provisional",
                if es {
                    format!("La ventana de {} meses no ha terminado: la cifra supone que la persona sigue donde los registros la vieron por última vez.", rule.window_months)
                } else {
                    format!("The {}-month window has not closed: the figure assumes the traveller stays where the records last saw them.", rule.window_months)
                },
            ));
            out
        }
    }
}
