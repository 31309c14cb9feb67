//! Frontera's domain: the types of a border-crossing record, their parse constructors and rules,
//! the ICAO 9303 machine-readable zone, the access policy, the audit hash chain, the rules
//! of protection (consent and the referral state machine) and of labour migration (permits and
//! the counter's check).
//!
//! Nothing here does IO or async work: every function is a pure transformation, so the rules can
//! be tested exhaustively and reused by every edge (API, CLI, import, sync).

pub mod access;
pub mod alert;
pub mod audit;
pub mod count;
pub mod country;
#[macro_use]
pub mod crossing;
pub mod directory;
pub mod document;
pub mod error;
pub mod informal;
pub mod labour;
pub mod mrz;
pub mod person;
pub mod port;
pub mod protection;
pub mod stay;

pub use access::{Action, Actor, Decision, Role, Scope};
pub use count::{AgeGroup, CountKey};
pub use country::CountryCode;
pub use crossing::{
    Category, Crossing, CrossingDraft, CrossingId, Direction, NewCrossing, PermittedStay, Provenance,
    Purpose, TransportMode,
};
pub use document::{DocumentKind, DocumentNumber, TravelDocument};
pub use error::{Lang, Rule, ValidationError};
pub use person::{PartialDate, Person, PersonId, PersonName, Sex, fold_name};
pub use port::{Port, PortId, PortKind, PortRegistry};
