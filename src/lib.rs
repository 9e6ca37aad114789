//! younium-tui
