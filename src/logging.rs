//! Logs go to a file under the platform's state directory, never to the terminal (the UI owns
//! it). Nothing logged carries a secret or a whole token: the code logs URLs without query
//! strings, statuses and sizes, and secrets are a type whose Debug/Display print `***`.

use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// `YOUNIUM_TUI_LOG`: the filter (default `info`), e.g. `debug` or `younium_tui=trace`.
pub const LOG_ENV: &str = "YOUNIUM_TUI_LOG";
/// `YOUNIUM_TUI_LOG_FILE`: another file to log to.
pub const LOG_FILE_ENV: &str = "YOUNIUM_TUI_LOG_FILE";

/// Where logs go: `$YOUNIUM_TUI_LOG_FILE`, else `<state dir>/younium-tui.log`.
pub fn log_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(LOG_FILE_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("com", "younium", "younium-tui")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("younium-tui.log"))
}

/// Starts logging to the file. Failing to open it is not fatal: the app runs without logs.
pub fn init() -> Option<PathBuf> {
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}
