//! The app's integration tests, one binary (see "Delete Cargo Integration Tests"): a module
//! per area, linked once, sharing the helpers in `common`. Run one area with
//! `cargo test --test app <module>::`, e.g. `cargo test --test app tui_snapshots::`.

mod common;

mod all_pages;
mod all_pages_exact;
mod broken_bodies;
mod builder_model;
mod call_all_pages;
mod call_validate;
mod catalog_asset;
mod diff;
mod doctor;
mod e2e_pages_history_pty;
mod e2e_pty;
mod e2e_schema_pty;
mod e2e_viewer_pty;
mod exact;
mod export;
mod flows;
mod foundation;
mod headless;
mod headless_safety;
mod history;
mod hostile_answers;
mod jq;
mod narrow_layout;
mod parser_properties;
mod production_guard;
mod profiles;
mod readme_keys;
mod safety_props;
mod saved_requests;
mod secret_scan;
mod sending_path;
mod settings;
mod simulator_bad_bodies;
mod simulator_big;
mod simulator_http;
mod simulator_spec;
mod simulator_v3;
mod theme;
mod tui_all_pages;
mod tui_find;
mod tui_fold;
mod tui_history;
mod tui_history_box;
mod tui_jq;
mod tui_keymap;
mod tui_request_schema;
mod tui_response_schema;
mod tui_save_as;
mod tui_seams;
mod tui_snapshots;
mod tui_update;
mod tui_v3;
