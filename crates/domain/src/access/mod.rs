//! Who acts, and the access policy: one function, [`can`], decides every access to every record.
//!
//! The threat: personal data collected by one country leaking to the other country's officers, to
//! analysts, or to anyone without a need to see it. Every use case asks `can` before it acts, and
//! nothing else grants access: no other code compares an actor's role.

mod actor;
mod policy;

pub use actor::{Actor, Role, Scope, UserId, parse_user_name, protection_pool};
pub use policy::{Action, Decision, Resource, can};
