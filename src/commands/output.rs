//! How the headless commands write: results to stdout, where a reader that stops early
//! (`| head`) ends the output quietly, and everything not written by us through
//! [`crate::sanitize`].

use std::fmt::Display;
use std::io::{self, ErrorKind, Write};

use serde::Serialize;

use crate::sanitize;

/// `Ok` for a write that failed because the reader went away: it has what it wanted, and the
/// command's status should say how the command went, not that `head` closed the pipe.
pub fn quiet_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes a human report to stdout. Its cells are sanitised where they are formatted (so
/// tables keep their columns); the whole text goes through [`sanitize::multi_line`] once more
/// so that nothing unsafe reaches the terminal whatever a report forgot.
pub fn print_text(text: &str) -> io::Result<()> {
    write_stdout(&sanitize::multi_line(text))
}

/// Writes `value` to stdout as pretty JSON, one document and a newline. Valid JSON whatever
/// the strings hold (see [`sanitize::json`]).
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    write_stdout(&format!("{}\n", sanitize::json(&text)))?;
    Ok(())
}

/// Writes one line to stderr, sanitised: messages mix our words with the server's. A failed
/// write to stderr is ignored, as there is nowhere left to report it.
pub fn say(line: impl Display) {
    let text = line.to_string();
    let _ = writeln!(io::stderr().lock(), "{}", sanitize::multi_line(&text));
}

fn write_stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    quiet_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}
