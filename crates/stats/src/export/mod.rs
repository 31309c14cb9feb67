//! Tables as files other systems read: SDMX-CSV 2.0 with the data structure definition it
//! names ([`sdmx`]), HXL-tagged CSV ([`hxl`]) and XLSX workbooks with a sheet of definitions
//! ([`xlsx`]). The writers format; they open nothing.

pub mod hxl;
pub mod sdmx;
pub mod xlsx;

use std::fmt;

use frontera_domain::{Lang, ValidationError};

/// Why a table could not be written.
#[derive(Debug)]
pub enum ExportError {
    /// The table cannot take this form (an SDMX table without a period, …).
    Invalid(ValidationError),
    /// The sink failed.
    Write(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Invalid(e) => write!(f, "{}", e.message(Lang::En)),
            ExportError::Write(e) => write!(f, "writing the table: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<ValidationError> for ExportError {
    fn from(e: ValidationError) -> Self {
        ExportError::Invalid(e)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Write(e.to_string())
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Write(e.to_string())
    }
}

/// The label and definition of a column (a dimension, or `count`), in `lang`.
pub fn describe(name: &str, lang: Lang) -> (&'static str, &'static str) {
    let (en, es) = match name {
        "day" => {
            (("Day", "The local calendar day at the port."), ("Día", "El día calendario local en el puesto."))
        }
        "week" => (
            ("Week", "The ISO 8601 week (Monday to Sunday) of the local day at the port."),
            ("Semana", "La semana ISO 8601 (de lunes a domingo) del día local en el puesto."),
        ),
        "month" => (("Month", "The calendar month."), ("Mes", "El mes calendario.")),
        "quarter" => (("Quarter", "The calendar quarter."), ("Trimestre", "El trimestre calendario.")),
        "year" => (("Year", "The calendar year."), ("Año", "El año calendario.")),
        "country" => (
            ("Country", "The country that runs the port and holds the record."),
            ("País", "El país que opera el puesto y guarda el registro."),
        ),
        "port" => (
            ("Port", "The port of entry where the crossing was recorded."),
            ("Puesto", "El puesto fronterizo donde se registró el cruce."),
        ),
        "direction" => (
            ("Direction", "Entry into the country that runs the port, or exit from it."),
            ("Dirección", "Entrada al país que opera el puesto, o salida de él."),
        ),
        "nationality" => (
            (
                "Nationality",
                "The traveller's nationality as the travel document states it (ISO 3166-1 alpha-3).",
            ),
            ("Nacionalidad", "La nacionalidad del viajero según su documento de viaje (ISO 3166-1 alfa-3)."),
        ),
        "category" => (
            ("Category", "The traveller's migratory category at the crossing."),
            ("Categoría", "La categoría migratoria del viajero en el cruce."),
        ),
        "sex" => (
            ("Sex", "Sex as the travel document records it: F, M or X (unspecified)."),
            ("Sexo", "Sexo según el documento de viaje: F, M o X (no especificado)."),
        ),
        "age_group" => (
            ("Age group", "Age in completed years on the day of the crossing; unknown without a birth date."),
            (
                "Grupo de edad",
                "Edad en años cumplidos el día del cruce; desconocida sin fecha de nacimiento.",
            ),
        ),
        "length" => (
            ("Length of stay (days)", "Days in the country, the days of entry and exit both counted."),
            ("Duración de la estancia (días)", "Días en el país, contando el día de entrada y el de salida."),
        ),
        "outcome" => (
            ("Outcome", "How the stay ended against the permitted stay."),
            ("Resultado", "Cómo terminó la estancia respecto de la autorizada."),
        ),
        "flow" => (
            ("Flow", "The crossing classified by the 12/16-month rule."),
            ("Flujo", "El cruce clasificado según la regla de 12/16 meses."),
        ),
        "status" => (
            ("Status", "Final, or provisional while the window is open."),
            ("Estado", "Definitiva, o provisional mientras la ventana sigue abierta."),
        ),
        "pattern" => (
            ("Commuting pattern", "How the border worker crosses: daily, weekly, seasonal or occasional."),
            (
                "Patrón de desplazamiento",
                "Cómo cruza el trabajador fronterizo: diario, semanal, de temporada u ocasional.",
            ),
        ),
        "trips" => (
            ("Round trips a month", "Round trips (stays that ended) the border worker made in the month."),
            (
                "Viajes de ida y vuelta al mes",
                "Viajes de ida y vuelta (estancias terminadas) del trabajador fronterizo en el mes.",
            ),
        ),
        "count" => (
            ("Count", "How many; withheld (x) where disclosure control requires it, never shown as zero."),
            ("Cantidad", "Cuántos; omitida (x) donde el control de divulgación lo exige, nunca como cero."),
        ),
        _ => (("", ""), ("", "")),
    };
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// The key value of a total, as SDMX spells it too.
pub use crate::disclosure::TOTAL;

#[cfg(test)]
pub(crate) mod tests {
    use crate::table::{Row, Table};

    /// A small table of crossings by month, nationality and sex, with one small cell.
    pub(crate) fn table() -> Table {
        let row = |m: &str, n: &str, s: &str, count| Row {
            key: vec![m.to_string(), n.to_string(), s.to_string()],
            count,
        };
        Table {
            dimensions: vec!["month", "nationality", "sex"],
            rows: vec![
                row("2026-03", "BLZ", "F", 120),
                row("2026-03", "BLZ", "M", 131),
                row("2026-03", "GTM", "F", 2),
                row("2026-03", "GTM", "M", 40),
                row("2026-03", "MEX", "F", 77),
                row("2026-03", "MEX", "M", 80),
            ],
        }
    }

    #[test]
    fn every_column_has_a_label_and_definition_in_both_languages() {
        for name in ["day", "week", "month", "port", "nationality", "age_group", "length", "flow", "count"] {
            for lang in [frontera_domain::Lang::En, frontera_domain::Lang::Es] {
                let (label, text) = super::describe(name, lang);
                assert!(!label.is_empty() && !text.is_empty(), "{name}");
            }
        }
        assert_ne!(
            super::describe("sex", frontera_domain::Lang::En),
            super::describe("sex", frontera_domain::Lang::Es)
        );
    }
}
