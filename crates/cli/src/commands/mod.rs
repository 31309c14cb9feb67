//! One module per command group: its clap arguments and what it runs.

pub(crate) mod alerts;
pub(crate) mod audit;
pub(crate) mod bench;
pub(crate) mod directory;
pub(crate) mod informal;
pub(crate) mod labour;
pub(crate) mod mrz;
pub(crate) mod protection;
pub(crate) mod report;
pub(crate) mod serve;
pub(crate) mod stats;
pub(crate) mod transfer;
pub(crate) mod user;
