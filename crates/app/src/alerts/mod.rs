//! Alert lists: reading them from the formats their keepers publish.

pub mod un_xml;
