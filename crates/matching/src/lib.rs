//! Frontera's matching: how two names, two documents or two persons are compared when a
//! traveller is screened against alert lists or linked across records.
//!
//! Names are first reduced to tokens (`normalize`): accents, case and punctuation dropped,
//! particles set aside. Tokens are compared exactly, by a phonetic key made for the Spanish and
//! English names of this border (`phonetic`), as a name cut short at an MRZ field's width, or
//! by string similarity for typos (`similarity`). `name` aligns the tokens of two names in any
//! order, so that swapped surnames, a dropped second surname or given names in another order
//! still meet, and says how each token matched. No IO happens here.

pub mod name;
pub mod normalize;
pub mod phonetic;
pub mod screening;
pub mod similarity;

pub use name::{How, NameMatch, TokenMatch, compare_names};
pub use normalize::NameTokens;
