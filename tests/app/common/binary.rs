//! The built binary, run to its end by a test, and the files a test gives it.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use younium_tui::simulator::demo;

/// Where the binary started by a test records its history (see [`super::pty::history_file`]).
pub fn test_history_file() -> PathBuf {
    super::pty::history_file()
}

/// The built binary, recording into [`test_history_file`] (a test may set its own).
pub fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_younium-tui"));
    cmd.env("YOUNIUM_TUI_HISTORY", test_history_file());
    cmd
}

/// The built binary signed in to the simulator at `base` with its demo client (the secret
/// from the environment, no config file, no environment or profile of the user's, stdin not
/// a terminal); the caller adds its arguments.
pub fn demo_binary(base: &str) -> Command {
    let mut cmd = binary();
    cmd.args(["--base-url", base, "--client-id", demo::CLIENT_ID])
        .env("YOUNIUM_SECRET", demo::SECRET)
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml")
        .env_remove("YOUNIUM_LEGAL_ENTITY")
        .env_remove("YOUNIUM_ENV")
        .env_remove("YOUNIUM_PROFILE")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to its end on a blocking thread (so a simulator on the test's runtime answers).
pub async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A stream's bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An empty directory of this test process in the temp directory, named after `name` (a name
/// of its own for each test that wants one).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("younium-tui-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
