//! The panes. Each owns its state, its keys and its drawing; what a key means for the rest
//! of the app comes back as a small event enum that `update` acts on.

pub mod catalog;
pub mod connection;
pub mod overlays;
pub mod request;
pub mod response;
pub mod token;
