//! SDMX: tables of crossings as SDMX-CSV 2.0 observations of the data structure definition
//! `FRONTERA:DSD_CROSSINGS(1.0)` (dataflow `FRONTERA:DF_CROSSINGS(1.0)`), which [`structure`]
//! writes as an SDMX-ML 2.1 structure message.
//!
//! Every observation names every dimension: one the table is not broken down by is `_T`, the
//! total. Age groups use SDMX's codes (`Y0T14`, …, `Y_GE65`, `_U`); `CONF_STATUS` says whether
//! a value is free (`F`), withheld as small (`C`) or withheld to protect another (`D`).

use std::fmt::Write as _;

use frontera_domain::{AgeGroup, Category, CountryCode, Direction, Rule, ValidationError};

use super::{ExportError, TOTAL};
use crate::view::View;

/// The agency that maintains the structures.
pub const AGENCY: &str = "FRONTERA";
/// The version of the structures.
pub const VERSION: &str = "1.0";
/// The dataflow the CSV's `STRUCTURE_ID` names.
pub const DATAFLOW: &str = "FRONTERA:DF_CROSSINGS(1.0)";

/// The dimensions of the structure, in its order: the SDMX id, the table's column it comes
/// from (`period` for whichever period the table has), the code list.
const DIMENSIONS: [(&str, &str, &str); 8] = [
    ("REF_AREA", "country", "CL_AREA"),
    ("PORT", "port", "CL_PORT"),
    ("DIRECTION", "direction", "CL_DIRECTION"),
    ("CITIZENSHIP", "nationality", "CL_AREA"),
    ("MIGR_CATEGORY", "category", "CL_MIGR_CATEGORY"),
    ("SEX", "sex", "CL_SEX"),
    ("AGE", "age_group", "CL_AGE"),
    ("TIME_PERIOD", "period", ""),
];

/// SDMX's code for an age group label (and the total).
fn age_code(label: &str) -> &str {
    match AgeGroup::parse(label) {
        Some(AgeGroup::Under15) => "Y0T14",
        Some(AgeGroup::From15To24) => "Y15T24",
        Some(AgeGroup::From25To34) => "Y25T34",
        Some(AgeGroup::From35To44) => "Y35T44",
        Some(AgeGroup::From45To54) => "Y45T54",
        Some(AgeGroup::From55To64) => "Y55T64",
        Some(AgeGroup::From65) => "Y_GE65",
        Some(AgeGroup::Unknown) => "_U",
        None => label,
    }
}

/// Writes a table of crossings of `country` (none: of every country the node holds, `_T`) as
/// SDMX-CSV 2.0. The table must have a period among its dimensions: an observation has a time.
pub fn write_csv(
    view: View<'_>,
    country: Option<CountryCode>,
    out: &mut dyn std::io::Write,
) -> Result<(), ExportError> {
    let dims = view.dimensions();
    let period = dims
        .iter()
        .position(|d| matches!(*d, "day" | "week" | "month" | "quarter" | "year"))
        .ok_or_else(|| {
            ValidationError::new(
                "by",
                Rule::syntax(
                    "an SDMX table needs a period (day, week, month, quarter or year)",
                    "un cuadro SDMX necesita un periodo (día, semana, mes, trimestre o año)",
                ),
            )
        })?;
    let columns: Vec<Option<usize>> = DIMENSIONS
        .iter()
        .map(|(_, column, _)| match *column {
            "period" => Some(period),
            c => dims.iter().position(|d| *d == c),
        })
        .collect();
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["STRUCTURE", "STRUCTURE_ID", "ACTION"];
    header.extend(DIMENSIONS.iter().map(|d| d.0));
    header.extend(["OBS_VALUE", "CONF_STATUS"]);
    w.write_record(&header)?;
    let area = country.map_or(TOTAL, |c| c.as_str());
    for line in view.lines() {
        // A total over the period is no observation in time.
        if line.key[period] == TOTAL {
            continue;
        }
        let mut record: Vec<&str> = vec!["dataflow", DATAFLOW, "I"];
        for ((id, _, _), column) in DIMENSIONS.iter().zip(&columns) {
            let value = match (id, column) {
                (&"REF_AREA", _) => area,
                (_, None) => TOTAL,
                (&"AGE", Some(i)) => age_code(&line.key[*i]),
                (_, Some(i)) => line.key[*i].as_str(),
            };
            record.push(value);
        }
        let count = line.count.map(|n| n.to_string()).unwrap_or_default();
        record.push(&count);
        record.push(line.status.sdmx());
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Whether `id` is a valid SDMX identifier.
fn is_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '$' | '-'))
}

fn names(out: &mut String, en: &str, es: &str) {
    let _ = write!(
        out,
        "<com:Name xml:lang=\"en\">{}</com:Name><com:Name xml:lang=\"es\">{}</com:Name>",
        esc(en),
        esc(es)
    );
}

fn codelist(out: &mut String, id: &str, (en, es): (&str, &str), codes: &[(String, String, String)]) {
    let _ = write!(out, "<str:Codelist id=\"{id}\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">");
    names(out, en, es);
    for (code, en, es) in codes.iter().filter(|c| is_id(&c.0)) {
        let _ = write!(out, "<str:Code id=\"{}\">", esc(code));
        names(out, en, es);
        out.push_str("</str:Code>");
    }
    out.push_str("</str:Codelist>");
}

fn concept_ref(id: &str) -> String {
    format!(
        "<str:ConceptIdentity><Ref id=\"{id}\" maintainableParentID=\"CS_FRONTERA\" maintainableParentVersion=\"{VERSION}\" agencyID=\"{AGENCY}\" class=\"Concept\" package=\"conceptscheme\"/></str:ConceptIdentity>"
    )
}

fn enumeration(codelist: &str) -> String {
    format!(
        "<str:LocalRepresentation><str:Enumeration><Ref id=\"{codelist}\" version=\"{VERSION}\" agencyID=\"{AGENCY}\" class=\"Codelist\" package=\"codelist\"/></str:Enumeration></str:LocalRepresentation>"
    )
}

/// The data structure definition of tables of crossings, with its dataflow, concepts and code
/// lists, as an SDMX-ML 2.1 structure message. `ports` are the node's (id, name); `prepared`
/// is the message's time stamp (RFC 3339).
pub fn structure(ports: &[(String, String)], prepared: &str) -> String {
    let total = || (TOTAL.to_string(), "Total".to_string(), "Total".to_string());
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<mes:Structure xmlns:mes=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" \
         xmlns:str=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure\" \
         xmlns:com=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\">",
    );
    let _ = write!(
        out,
        "<mes:Header><mes:ID>FRONTERA_STRUCTURES</mes:ID><mes:Test>false</mes:Test><mes:Prepared>{}</mes:Prepared><mes:Sender id=\"{AGENCY}\"/></mes:Header><mes:Structures>",
        esc(prepared)
    );
    // Dataflows.
    let _ = write!(
        out,
        "<str:Dataflows><str:Dataflow id=\"DF_CROSSINGS\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">"
    );
    names(&mut out, "Border crossings", "Cruces fronterizos");
    let _ = write!(
        out,
        "<str:Structure><Ref id=\"DSD_CROSSINGS\" version=\"{VERSION}\" agencyID=\"{AGENCY}\" class=\"DataStructure\" package=\"datastructure\"/></str:Structure></str:Dataflow>"
    );
    for (flow, dsd, en, es) in [
        ("DF_INFORMAL", "DSD_INFORMAL", "Informal crossings, estimated", "Cruces informales, estimados"),
        (
            "DF_TOTAL_FLOW",
            "DSD_TOTAL_FLOW",
            "Total flow: crossings recorded at the posts and informal crossings estimated",
            "Flujo total: cruces registrados en los puestos y cruces informales estimados",
        ),
    ] {
        let _ = write!(out, "<str:Dataflow id=\"{flow}\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">");
        names(&mut out, en, es);
        let _ = write!(
            out,
            "<str:Structure><Ref id=\"{dsd}\" version=\"{VERSION}\" agencyID=\"{AGENCY}\" class=\"DataStructure\" package=\"datastructure\"/></str:Structure></str:Dataflow>"
        );
    }
    out.push_str("</str:Dataflows>");
    // Code lists.
    out.push_str("<str:Codelists>");
    let mut areas: Vec<(String, String, String)> = CountryCode::all()
        .iter()
        .map(|c| (c.code.to_string(), c.name_en.to_string(), c.name_es.to_string()))
        .collect();
    areas.push(total());
    codelist(&mut out, "CL_AREA", ("Countries", "Países"), &areas);
    let mut port_codes: Vec<(String, String, String)> =
        ports.iter().map(|(id, name)| (id.clone(), name.clone(), name.clone())).collect();
    port_codes.push(total());
    codelist(&mut out, "CL_PORT", ("Ports of entry", "Puestos fronterizos"), &port_codes);
    let directions = [
        (Direction::Entry.as_str().to_string(), "Entry".to_string(), "Entrada".to_string()),
        (Direction::Exit.as_str().to_string(), "Exit".to_string(), "Salida".to_string()),
        total(),
    ];
    codelist(&mut out, "CL_DIRECTION", ("Direction", "Dirección"), &directions);
    let mut categories: Vec<(String, String, String)> = Category::ALL
        .iter()
        .map(|c| {
            let (en, es) = category_names(*c);
            (c.as_str().to_string(), en.to_string(), es.to_string())
        })
        .collect();
    categories.push(total());
    codelist(&mut out, "CL_MIGR_CATEGORY", ("Migratory category", "Categoría migratoria"), &categories);
    let sexes = [
        ("F".to_string(), "Female".to_string(), "Mujer".to_string()),
        ("M".to_string(), "Male".to_string(), "Hombre".to_string()),
        ("X".to_string(), "Unspecified".to_string(), "No especificado".to_string()),
        total(),
    ];
    codelist(&mut out, "CL_SEX", ("Sex", "Sexo"), &sexes);
    let mut ages: Vec<(String, String, String)> = AgeGroup::ALL
        .iter()
        .map(|a| {
            let label = a.as_str();
            let (en, es) = match a {
                AgeGroup::Unknown => ("Unknown".to_string(), "Desconocida".to_string()),
                _ => (format!("{label} years"), format!("{label} años")),
            };
            (age_code(label).to_string(), en, es)
        })
        .collect();
    ages.push(total());
    codelist(&mut out, "CL_AGE", ("Age group", "Grupo de edad"), &ages);
    let conf = [
        ("F".to_string(), "Free".to_string(), "Libre".to_string()),
        (
            "C".to_string(),
            "Confidential: fewer persons than the threshold".to_string(),
            "Confidencial: menos personas que el umbral".to_string(),
        ),
        (
            "D".to_string(),
            "Secondary confidentiality: withheld to protect another value".to_string(),
            "Confidencialidad secundaria: omitido para proteger otro valor".to_string(),
        ),
    ];
    codelist(&mut out, "CL_CONF_STATUS", ("Confidentiality status", "Estado de confidencialidad"), &conf);
    let triples = |codes: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        codes.iter().map(|(c, en, es)| (c.to_string(), en.to_string(), es.to_string())).collect()
    };
    codelist(
        &mut out,
        "CL_INFORMAL_MEASURE",
        ("What is estimated", "Qué se estima"),
        &triples(&[
            ("crossings", "One-way crossings", "Cruces en un sentido"),
            ("persons", "Distinct persons who crossed", "Personas distintas que cruzaron"),
        ]),
    );
    codelist(
        &mut out,
        "CL_BREAKDOWN",
        ("Breakdown", "Desglose"),
        &triples(&[
            (TOTAL, "None", "Ninguno"),
            ("direction", "Direction", "Dirección"),
            ("sex", "Sex, as seen", "Sexo, según se observa"),
            ("age", "Age group, as seen", "Grupo de edad, según se observa"),
            ("means", "Means of crossing", "Medio de cruce"),
            ("goods", "Goods carried", "Mercancías"),
            ("nationality", "Nationality, where declared", "Nacionalidad, donde se declara"),
            ("purpose", "Purpose, as interviewed", "Motivo, según la entrevista"),
            ("document", "Holds a document to cross at a post", "Tiene documento para cruzar por un puesto"),
        ]),
    );
    codelist(
        &mut out,
        "CL_OBS_STATUS",
        ("Observation status", "Estado de la observación"),
        &triples(&[
            ("A", "Normal value", "Valor normal"),
            ("E", "Estimated value", "Valor estimado"),
            ("M", "Missing value: no sample covers it", "Valor faltante: ninguna muestra lo cubre"),
        ]),
    );
    out.push_str("</str:Codelists>");
    // Concepts.
    let _ = write!(
        out,
        "<str:Concepts><str:ConceptScheme id=\"CS_FRONTERA\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">"
    );
    names(&mut out, "Frontera concepts", "Conceptos de Frontera");
    for (id, en, es) in [
        (
            "REF_AREA",
            "Reference area: the country that recorded the crossing",
            "Área de referencia: el país que registró el cruce",
        ),
        ("PORT", "Port of entry", "Puesto fronterizo"),
        ("DIRECTION", "Direction", "Dirección"),
        (
            "CITIZENSHIP",
            "Citizenship (nationality of the travel document)",
            "Nacionalidad (del documento de viaje)",
        ),
        ("MIGR_CATEGORY", "Migratory category", "Categoría migratoria"),
        ("SEX", "Sex", "Sexo"),
        ("AGE", "Age group on the day of the crossing", "Grupo de edad el día del cruce"),
        ("TIME_PERIOD", "Time period (the port's local calendar)", "Periodo (calendario local del puesto)"),
        ("OBS_VALUE", "Crossings", "Cruces"),
        ("CONF_STATUS", "Confidentiality status", "Estado de confidencialidad"),
        (
            "POINT_GROUP",
            "Group of informal crossing points (a stretch)",
            "Grupo de puntos de cruce informal (un tramo)",
        ),
        ("MEASURE", "What is estimated", "Qué se estima"),
        ("BREAKDOWN", "Breakdown", "Desglose"),
        ("BREAKDOWN_VALUE", "Value of the breakdown", "Valor del desglose"),
        ("STD_ERR", "Standard error of the estimate", "Error estándar de la estimación"),
        ("LOWER_BOUND", "Lower end of the 95% interval", "Extremo inferior del intervalo del 95 %"),
        ("UPPER_BOUND", "Upper end of the 95% interval", "Extremo superior del intervalo del 95 %"),
        ("DEG_FREEDOM", "Degrees of freedom of the interval", "Grados de libertad del intervalo"),
        ("COEF_VAR", "Coefficient of variation", "Coeficiente de variación"),
        ("OBS_STATUS", "Observation status", "Estado de la observación"),
        ("COMMENT_DSET", "How the figures were made", "Cómo se obtuvieron las cifras"),
        ("OFFICIAL_ENTRIES", "Entries recorded at the posts", "Entradas registradas en los puestos"),
        ("OFFICIAL_EXITS", "Exits recorded at the posts", "Salidas registradas en los puestos"),
        ("INFORMAL_SHARE", "Informal share of all crossings", "Proporción informal de todos los cruces"),
    ] {
        let _ = write!(out, "<str:Concept id=\"{id}\">");
        names(&mut out, en, es);
        out.push_str("</str:Concept>");
    }
    out.push_str("</str:ConceptScheme></str:Concepts>");
    // The data structure.
    let _ = write!(
        out,
        "<str:DataStructures><str:DataStructure id=\"DSD_CROSSINGS\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">"
    );
    names(&mut out, "Border crossings", "Cruces fronterizos");
    out.push_str("<str:DataStructureComponents><str:DimensionList id=\"DimensionDescriptor\">");
    for (position, (id, _, list)) in DIMENSIONS.iter().enumerate() {
        if *id == "TIME_PERIOD" {
            let _ = write!(
                out,
                "<str:TimeDimension id=\"TIME_PERIOD\" position=\"{}\">{}<str:LocalRepresentation><str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation></str:TimeDimension>",
                position + 1,
                concept_ref(id)
            );
        } else {
            let _ = write!(
                out,
                "<str:Dimension id=\"{id}\" position=\"{}\">{}{}</str:Dimension>",
                position + 1,
                concept_ref(id),
                enumeration(list)
            );
        }
    }
    out.push_str("</str:DimensionList><str:AttributeList id=\"AttributeDescriptor\">");
    let _ = write!(
        out,
        "<str:Attribute id=\"CONF_STATUS\" assignmentStatus=\"Conditional\">{}{}<str:AttributeRelationship><str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute>",
        concept_ref("CONF_STATUS"),
        enumeration("CL_CONF_STATUS")
    );
    let _ = write!(
        out,
        "</str:AttributeList><str:MeasureList id=\"MeasureDescriptor\"><str:PrimaryMeasure id=\"OBS_VALUE\">{}</str:PrimaryMeasure></str:MeasureList>",
        concept_ref("OBS_VALUE")
    );
    out.push_str("</str:DataStructureComponents></str:DataStructure>");
    let estimate_attributes: &[(&str, Option<&str>, bool)] = &[
        ("STD_ERR", None, false),
        ("LOWER_BOUND", None, false),
        ("UPPER_BOUND", None, false),
        ("DEG_FREEDOM", None, false),
        ("COEF_VAR", None, false),
        ("OBS_STATUS", Some("CL_OBS_STATUS"), false),
        ("COMMENT_DSET", None, true),
    ];
    data_structure(
        &mut out,
        "DSD_INFORMAL",
        ("Informal crossings, estimated", "Cruces informales, estimados"),
        &[
            ("REF_AREA", Some("CL_AREA")),
            ("POINT_GROUP", None),
            ("MEASURE", Some("CL_INFORMAL_MEASURE")),
            ("BREAKDOWN", Some("CL_BREAKDOWN")),
            ("BREAKDOWN_VALUE", None),
        ],
        estimate_attributes,
    );
    data_structure(
        &mut out,
        "DSD_TOTAL_FLOW",
        ("Total flow", "Flujo total"),
        &[("REF_AREA", Some("CL_AREA")), ("POINT_GROUP", None)],
        &[
            ("OFFICIAL_ENTRIES", None, false),
            ("OFFICIAL_EXITS", None, false),
            ("STD_ERR", None, false),
            ("LOWER_BOUND", None, false),
            ("UPPER_BOUND", None, false),
            ("INFORMAL_SHARE", None, false),
            ("OBS_STATUS", Some("CL_OBS_STATUS"), false),
            ("COMMENT_DSET", None, true),
        ],
    );
    out.push_str("</str:DataStructures>");
    out.push_str("</mes:Structures></mes:Structure>\n");
    out
}

/// A data structure whose dimensions are `dimensions` then `TIME_PERIOD`, with the primary
/// measure `OBS_VALUE` and `attributes` (`(id, code list, of the whole data set)`); a dimension
/// or attribute without a code list is free text, or a number for an observation's attribute.
fn data_structure(
    out: &mut String,
    id: &str,
    (en, es): (&str, &str),
    dimensions: &[(&str, Option<&str>)],
    attributes: &[(&str, Option<&str>, bool)],
) {
    let _ = write!(out, "<str:DataStructure id=\"{id}\" agencyID=\"{AGENCY}\" version=\"{VERSION}\">");
    names(out, en, es);
    out.push_str("<str:DataStructureComponents><str:DimensionList id=\"DimensionDescriptor\">");
    let text = |kind: &str| {
        format!("<str:LocalRepresentation><str:TextFormat textType=\"{kind}\"/></str:LocalRepresentation>")
    };
    for (position, (dim, list)) in dimensions.iter().enumerate() {
        let representation = list.map_or_else(|| text("String"), enumeration);
        let _ = write!(
            out,
            "<str:Dimension id=\"{dim}\" position=\"{}\">{}{representation}</str:Dimension>",
            position + 1,
            concept_ref(dim)
        );
    }
    let _ = write!(
        out,
        "<str:TimeDimension id=\"TIME_PERIOD\" position=\"{}\">{}{}</str:TimeDimension>",
        dimensions.len() + 1,
        concept_ref("TIME_PERIOD"),
        text("ObservationalTimePeriod")
    );
    out.push_str("</str:DimensionList><str:AttributeList id=\"AttributeDescriptor\">");
    for (attribute, list, whole) in attributes {
        let representation = list.map_or_else(|| text(if *whole { "String" } else { "Double" }), enumeration);
        let relationship = if *whole {
            "<str:None/>".to_string()
        } else {
            "<str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure>".to_string()
        };
        let _ = write!(
            out,
            "<str:Attribute id=\"{attribute}\" assignmentStatus=\"Conditional\">{}{representation}<str:AttributeRelationship>{relationship}</str:AttributeRelationship></str:Attribute>",
            concept_ref(attribute)
        );
    }
    let _ = write!(
        out,
        "</str:AttributeList><str:MeasureList id=\"MeasureDescriptor\"><str:PrimaryMeasure id=\"OBS_VALUE\">{}</str:PrimaryMeasure></str:MeasureList>",
        concept_ref("OBS_VALUE")
    );
    out.push_str("</str:DataStructureComponents></str:DataStructure>");
}

/// A category's names in English and Spanish.
pub fn category_names(c: Category) -> (&'static str, &'static str) {
    match c {
        Category::Visitor => ("Visitor", "Visitante"),
        Category::RegionalVisitor => ("Regional visitor", "Visitante regional"),
        Category::BorderWorker => ("Border worker", "Trabajador fronterizo"),
        Category::Resident => ("Foreign resident", "Residente extranjero"),
        Category::ReturningNational => ("Returning national", "Nacional que regresa"),
        Category::DepartingNational => ("Departing national", "Nacional que sale"),
        Category::Transit => ("Transit", "Tránsito"),
        Category::CrewDriver => ("Crew or driver", "Tripulación o conductor"),
        Category::Other => ("Other", "Otra"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::protect;
    use crate::export::tests::table;

    fn parse(text: &str) -> Vec<Vec<String>> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a record").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn every_observation_names_every_dimension_and_reads_back_as_the_table() {
        let t = table();
        let mut out = Vec::new();
        write_csv(View::Counted(&t), Some(CountryCode::BLZ), &mut out).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.starts_with(
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,PORT,DIRECTION,CITIZENSHIP,MIGR_CATEGORY,SEX,AGE,TIME_PERIOD,OBS_VALUE,CONF_STATUS\n"
        ));
        let rows = parse(&text);
        assert_eq!(rows.len(), t.rows.len());
        for (row, cell) in rows.iter().zip(&t.rows) {
            assert_eq!(&row[..4], ["dataflow", DATAFLOW, "I", "BLZ"]);
            assert_eq!((&row[6], &row[8], &row[10]), (&cell.key[1], &cell.key[2], &cell.key[0]));
            assert_eq!(
                (&row[4], &row[5], &row[7], &row[9]),
                (&TOTAL.into(), &TOTAL.into(), &TOTAL.into(), &TOTAL.into())
            );
            assert_eq!(row[11], cell.count.to_string());
            assert_eq!(row[12], "F");
        }
    }

    #[test]
    fn withheld_values_are_empty_and_marked_and_a_table_without_a_period_is_refused() {
        let t = table();
        let p = protect(&t, 5);
        let mut out = Vec::new();
        write_csv(View::Protected(&p), None, &mut out).expect("written");
        let rows = parse(&String::from_utf8(out).expect("UTF-8"));
        let small = rows.iter().find(|r| r[6] == "GTM" && r[8] == "F").expect("the small cell");
        assert_eq!((small[11].as_str(), small[12].as_str(), small[3].as_str()), ("", "C", TOTAL));
        assert!(rows.iter().any(|r| r[12] == "D"), "something protects it");
        assert!(rows.iter().all(|r| r[11].is_empty() == (r[12] != "F")));
        let by_port = crate::Table { dimensions: vec!["port"], rows: vec![] };
        let e = write_csv(View::Counted(&by_port), None, &mut Vec::new()).expect_err("no period");
        assert!(matches!(e, ExportError::Invalid(ref v) if v.field == "by"), "{e}");
    }

    #[test]
    fn the_structure_names_each_dimension_code_list_and_the_dataflow() {
        let xml = structure(&[("bz-santa-elena".into(), "Santa Elena".into())], "2026-11-28T00:00:00Z");
        for needle in [
            "<str:Dataflow id=\"DF_CROSSINGS\"",
            "<str:Codelist id=\"CL_PORT\"",
            "<str:Code id=\"bz-santa-elena\">",
            "<str:Code id=\"Y_GE65\">",
            "<str:Code id=\"_T\">",
            "<str:TimeDimension id=\"TIME_PERIOD\" position=\"8\">",
            "<str:PrimaryMeasure id=\"OBS_VALUE\">",
            "Côte d'Ivoire",
        ] {
            assert!(xml.contains(needle), "{needle}");
        }
        assert!(!xml.contains("& "), "escaped");
    }
}
