//! Ports of entry: official crossing points and informal ones watched for flow monitoring.
//!
//! The Belize–Mexico ports are compiled in; a node adds its own from a TOML file.

use std::collections::BTreeMap;
use std::fmt;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::country::CountryCode;
use crate::error::{Rule, ValidationError};

/// The id of a port: lower-case letters, digits and `-`, at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "bz-santa-elena"))]
pub struct PortId(String);

impl PortId {
    /// Parse a port id (its shape only; whether it exists is the registry's question).
    pub fn parse(text: &str) -> Result<PortId, Rule> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Rule::Required);
        }
        if text.len() > 40 {
            return Err(Rule::TooLong { max: 40 });
        }
        if !text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(Rule::Charset { allowed: "lower-case letters, digits and '-'" });
        }
        Ok(PortId(text.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PortId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PortId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PortId::parse(&value).map_err(|rule| rule.message_en())
    }
}

impl From<PortId> for String {
    fn from(value: PortId) -> Self {
        value.0
    }
}

/// What kind of crossing point a port is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PortKind {
    /// A road crossing.
    Land,
    /// A river crossing.
    River,
    /// A sea port.
    Sea,
    /// An airport.
    Air,
    /// An informal crossing point, watched for flow monitoring.
    Informal,
}

impl PortKind {
    /// Every kind's name.
    pub const NAMES: &'static [&'static str] = &["land", "river", "sea", "air", "informal"];

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            PortKind::Land => "land",
            PortKind::River => "river",
            PortKind::Sea => "sea",
            PortKind::Air => "air",
            PortKind::Informal => "informal",
        }
    }

    /// Parse one of `land`, `river`, `sea`, `air`, `informal`.
    pub fn parse(text: &str) -> Result<PortKind, Rule> {
        match text.trim() {
            "land" => Ok(PortKind::Land),
            "river" => Ok(PortKind::River),
            "sea" => Ok(PortKind::Sea),
            "air" => Ok(PortKind::Air),
            "informal" => Ok(PortKind::Informal),
            _ => Err(Rule::OneOf { allowed: Self::NAMES }),
        }
    }
}

/// A port of entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Port {
    /// Its id.
    pub id: PortId,
    /// Its name as used locally.
    pub name: String,
    /// The country whose officers work it.
    pub country: CountryCode,
    /// Road, river, sea, air or informal.
    pub kind: PortKind,
    /// The ports facing it across the border.
    pub paired_ports: Vec<PortId>,
    /// Its IANA time zone; instants are stored in UTC and shown in this zone.
    #[serde(serialize_with = "serialize_tz")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "America/Belize"))]
    pub time_zone: Tz,
    /// The state or district it lies in (ISO 3166-2), where travellers it admits are taken to
    /// be going unless they say otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Where it lies (WGS 84 latitude and longitude), for maps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
}

fn serialize_tz<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// The ports a node knows: the compiled-in Belize–Mexico ports and those of its configuration.
#[derive(Debug, Clone)]
pub struct PortRegistry {
    ports: BTreeMap<PortId, Port>,
}

#[derive(Deserialize)]
struct PortFile {
    #[serde(default)]
    port: Vec<PortEntry>,
}

#[derive(Deserialize)]
struct PortEntry {
    id: String,
    name: String,
    country: String,
    kind: String,
    #[serde(default)]
    paired_ports: Vec<String>,
    time_zone: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
}

impl PortRegistry {
    /// The Belize–Mexico ports, and the other ports by which travellers who crossed there leave.
    pub fn builtin() -> PortRegistry {
        const BZ: &str = "America/Belize";
        const QROO: &str = "America/Cancun";
        type Row = (&'static str, &'static str, CountryCode, PortKind, &'static [&'static str], &'static str);
        let rows: [Row; 10] = [
            (
                "bz-santa-elena",
                "Santa Elena (Corozal)",
                CountryCode::BLZ,
                PortKind::Land,
                &["mx-subteniente-lopez"],
                BZ,
            ),
            (
                "mx-subteniente-lopez",
                "Subteniente López (Chetumal)",
                CountryCode::MEX,
                PortKind::Land,
                &["bz-santa-elena"],
                QROO,
            ),
            ("bz-blue-creek", "Blue Creek", CountryCode::BLZ, PortKind::Land, &["mx-la-union"], BZ),
            ("mx-la-union", "La Unión", CountryCode::MEX, PortKind::Land, &["bz-blue-creek"], QROO),
            (
                "bz-san-pedro",
                "San Pedro (Ambergris Caye)",
                CountryCode::BLZ,
                PortKind::Sea,
                &["mx-chetumal-muelle"],
                BZ,
            ),
            (
                "bz-corozal-muelle",
                "Corozal (sea terminal)",
                CountryCode::BLZ,
                PortKind::Sea,
                &["mx-chetumal-muelle"],
                BZ,
            ),
            (
                "mx-chetumal-muelle",
                "Chetumal (muelle fiscal)",
                CountryCode::MEX,
                PortKind::Sea,
                &["bz-san-pedro", "bz-corozal-muelle"],
                QROO,
            ),
            // Where travellers who crossed this border leave the two countries otherwise: Belize's
            // western border with Guatemala and its international airport, and Cancún's airport.
            ("bz-benque-viejo", "Benque Viejo del Carmen", CountryCode::BLZ, PortKind::Land, &[], BZ),
            ("bz-pgia", "Philip Goldson International Airport", CountryCode::BLZ, PortKind::Air, &[], BZ),
            (
                "mx-cancun-aeropuerto",
                "Aeropuerto Internacional de Cancún",
                CountryCode::MEX,
                PortKind::Air,
                &[],
                QROO,
            ),
        ];
        let mut ports = BTreeMap::new();
        for (id, name, country, kind, paired, tz) in rows {
            let region = match id {
                "bz-santa-elena" | "bz-corozal-muelle" => "BZ-CZL",
                "bz-blue-creek" => "BZ-OW",
                "bz-san-pedro" | "bz-pgia" => "BZ-BZ",
                "bz-benque-viejo" => "BZ-CY",
                _ => "MX-ROO",
            };
            let location = match id {
                "bz-santa-elena" => [18.482, -88.402],
                "mx-subteniente-lopez" => [18.489, -88.398],
                "bz-blue-creek" => [17.893, -88.882],
                "mx-la-union" => [17.900, -88.879],
                "bz-san-pedro" => [17.921, -87.961],
                "bz-corozal-muelle" => [18.393, -88.389],
                "mx-chetumal-muelle" => [18.496, -88.297],
                "bz-benque-viejo" => [17.076, -89.139],
                "bz-pgia" => [17.539, -88.308],
                _ => [21.037, -86.877],
            };
            let port = Port {
                id: PortId(id.into()),
                name: name.into(),
                country,
                kind,
                paired_ports: paired.iter().map(|p| PortId((*p).into())).collect(),
                time_zone: tz.parse().unwrap_or(Tz::UTC),
                region: Some(region.into()),
                location: Some(location),
            };
            ports.insert(port.id.clone(), port);
        }
        PortRegistry { ports }
    }

    /// The built-in ports plus those of a TOML document with `[[port]]` tables
    /// (`id`, `name`, `country`, `kind`, `paired_ports`, `time_zone`, `region`, `latitude`,
    /// `longitude`).
    pub fn with_config(toml_text: &str) -> Result<PortRegistry, ValidationError> {
        let file: PortFile = toml::from_str(toml_text).map_err(|e| {
            ValidationError::new("ports", Rule::syntax(e.to_string(), format!("TOML no válido: {e}")))
        })?;
        let mut registry = PortRegistry::builtin();
        for (i, entry) in file.port.into_iter().enumerate() {
            let at = |field: &str| format!("port[{i}].{field}");
            let id = PortId::parse(&entry.id).map_err(|r| ValidationError::new(at("id"), r))?;
            let country = CountryCode::parse_field(&entry.country, &at("country"))?;
            let kind = PortKind::parse(&entry.kind).map_err(|r| ValidationError::new(at("kind"), r))?;
            let time_zone: Tz = entry.time_zone.parse().map_err(|_| {
                ValidationError::new(at("time_zone"), Rule::Charset { allowed: "an IANA time zone name" })
            })?;
            let paired_ports = entry
                .paired_ports
                .iter()
                .map(|p| PortId::parse(p).map_err(|r| ValidationError::new(at("paired_ports"), r)))
                .collect::<Result<Vec<_>, _>>()?;
            if entry.name.trim().is_empty() {
                return Err(ValidationError::new(at("name"), Rule::Required));
            }
            let region = entry
                .region
                .as_deref()
                .map(|r| {
                    crate::labour::parse_region(r).map_err(|rule| ValidationError::new(at("region"), rule))
                })
                .transpose()?
                .map(str::to_string);
            let location = match (entry.latitude, entry.longitude) {
                (None, None) => None,
                (Some(lat), Some(lon)) => {
                    if !(-90.0..=90.0).contains(&lat) {
                        return Err(ValidationError::new(
                            at("latitude"),
                            Rule::OutOfRange { min: -90, max: 90 },
                        ));
                    }
                    if !(-180.0..=180.0).contains(&lon) {
                        return Err(ValidationError::new(
                            at("longitude"),
                            Rule::OutOfRange { min: -180, max: 180 },
                        ));
                    }
                    Some([lat, lon])
                }
                (Some(_), None) => return Err(ValidationError::new(at("longitude"), Rule::Required)),
                (None, Some(_)) => return Err(ValidationError::new(at("latitude"), Rule::Required)),
            };
            let name = entry.name.trim().to_string();
            registry.ports.insert(
                id.clone(),
                Port { id, name, country, kind, paired_ports, time_zone, region, location },
            );
        }
        Ok(registry)
    }

    /// The port with this id, or `UnknownPort`.
    pub fn get(&self, id: &PortId) -> Option<&Port> {
        self.ports.get(id)
    }

    /// Parse a port id and look it up.
    pub fn resolve(&self, text: &str, field: &str) -> Result<&Port, ValidationError> {
        let id = PortId::parse(text).map_err(|r| ValidationError::new(field, r))?;
        self.ports.get(&id).ok_or_else(|| ValidationError::new(field, Rule::UnknownPort))
    }

    /// Every port, by id.
    pub fn all(&self) -> impl Iterator<Item = &Port> {
        self.ports.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_pairs_face_each_other() {
        let reg = PortRegistry::builtin();
        for port in reg.all() {
            for other in &port.paired_ports {
                let other = reg.get(other).unwrap();
                assert!(other.paired_ports.contains(&port.id), "{} ↔ {}", port.id, other.id);
                assert_ne!(other.country, port.country);
            }
        }
    }

    #[test]
    fn a_config_adds_ports_and_names_the_bad_field() {
        let reg = PortRegistry::with_config(
            "[[port]]\nid='gt-melchor'\nname='Melchor de Mencos'\ncountry='GTM'\nkind='land'\ntime_zone='America/Guatemala'\n",
        )
        .unwrap();
        assert!(reg.resolve("gt-melchor", "port_id").is_ok());
        let err = PortRegistry::with_config(
            "[[port]]\nid='x'\nname='X'\ncountry='QQQ'\nkind='land'\ntime_zone='UTC'\n",
        )
        .unwrap_err();
        assert_eq!(err.field, "port[0].country");
        assert_eq!(err.rule, Rule::UnknownCountry);
        let err = PortRegistry::builtin().resolve("nowhere", "port_id").unwrap_err();
        assert_eq!(err.rule, Rule::UnknownPort);
        // A place for the map: both coordinates, within range, or neither.
        let placed = PortRegistry::with_config(
            "[[port]]\nid='gt-melchor'\nname='M'\ncountry='GTM'\nkind='land'\ntime_zone='UTC'\nlatitude=17.09\nlongitude=-89.15\n",
        )
        .unwrap();
        assert_eq!(placed.resolve("gt-melchor", "p").unwrap().location, Some([17.09, -89.15]));
        let half = "[[port]]\nid='gt-melchor'\nname='M'\ncountry='GTM'\nkind='land'\ntime_zone='UTC'\nlatitude=17.09\n";
        assert_eq!(PortRegistry::with_config(half).unwrap_err().field, "port[0].longitude");
        let far = "[[port]]\nid='gt-melchor'\nname='M'\ncountry='GTM'\nkind='land'\ntime_zone='UTC'\nlatitude=97\nlongitude=1\n";
        assert_eq!(PortRegistry::with_config(far).unwrap_err().field, "port[0].latitude");
        assert!(PortRegistry::builtin().all().all(|p| p.location.is_some()), "every built-in port is placed");
    }
}
