//! younium-tui

pub mod simulator;
