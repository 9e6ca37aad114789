//! Running a profile's secret command (`secret = { command = [...] }`): no shell, stdin
//! closed, a time limit, and both outputs read while it runs, each to a size limit, so a
//! command that prints a lot neither fills a pipe and stalls until the time limit, nor fills
//! memory. Its first stdout line is the secret; stdout is never shown (it holds the secret).

use std::io::Read;
use std::process::{Child, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::SecretError;
use crate::younium::Secret;

/// The most of a command's stdout kept: a secret is one short line.
const STDOUT_LIMIT: usize = 64 * 1024;
/// The most of its stderr kept, for the first line of an error.
const STDERR_LIMIT: usize = 8 * 1024;

/// What was read from a pipe: its first `limit` bytes, and whether there was more.
struct Drained {
    kept: Zeroizing<Vec<u8>>,
    more: bool,
}

/// Reads `pipe` to its end on a thread, keeping at most `limit` bytes (the rest is read and
/// dropped, so the command never waits on a full pipe).
fn drain(mut pipe: impl Read + Send + 'static, limit: usize) -> JoinHandle<Drained> {
    std::thread::spawn(move || {
        let mut kept = Zeroizing::new(Vec::new());
        let mut more = false;
        let mut buf = Zeroizing::new([0u8; 8192]);
        loop {
            match pipe.read(&mut buf[..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = limit.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    more |= n > room;
                }
            }
        }
        Drained { kept, more }
    })
}

/// Runs `command` (no shell) and takes its first stdout line as the secret.
pub fn run_secret_command(command: &[String], timeout: Duration) -> Result<Secret, SecretError> {
    let (program, args) = command.split_first().ok_or(SecretError::EmptyCommand)?;
    let name = || program.clone();
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SecretError::Spawn {
            program: name(),
            reason: e.to_string(),
        })?;
    let out = child.stdout.take().map(|p| drain(p, STDOUT_LIMIT));
    let err = child.stderr.take().map(|p| drain(p, STDERR_LIMIT));
    let status = wait(&mut child, timeout, program)?;
    let joined = |h: Option<JoinHandle<Drained>>| {
        h.and_then(|h| h.join().ok()).unwrap_or(Drained {
            kept: Zeroizing::new(Vec::new()),
            more: false,
        })
    };
    let (out, err) = (joined(out), joined(err));
    if !status.success() {
        // stderr may help; stdout is never shown, it could hold the secret.
        let err = String::from_utf8_lossy(&err.kept);
        return Err(SecretError::Failed {
            program: name(),
            status: status.to_string(),
            reason: err.lines().next().unwrap_or("").trim().to_string(),
        });
    }
    first_line(&out, program)
}

/// Waits for the command to end within `timeout`; past it the command is killed.
fn wait(child: &mut Child, timeout: Duration, program: &str) -> Result<ExitStatus, SecretError> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SecretError::TimedOut {
                    program: program.to_string(),
                    timeout,
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                return Err(SecretError::Wait {
                    program: program.to_string(),
                    reason: e.to_string(),
                });
            }
        }
    }
}

/// The first line of stdout as the secret: empty is an error, and so is a first line that did
/// not end within what was kept.
fn first_line(out: &Drained, program: &str) -> Result<Secret, SecretError> {
    let end = out.kept.iter().position(|&b| b == b'\n');
    if end.is_none() && out.more {
        return Err(SecretError::TooLong {
            program: program.to_string(),
            limit: STDOUT_LIMIT,
        });
    }
    let line = &out.kept[..end.unwrap_or(out.kept.len())];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = Zeroizing::new(String::from_utf8_lossy(line).into_owned());
    if text.trim().is_empty() {
        return Err(SecretError::Empty {
            program: program.to_string(),
        });
    }
    Ok(Secret::new(text.to_string()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    /// A command that prints more than a pipe holds is read as it runs: its first line is the
    /// secret, at once, not a time-out after the limit.
    #[test]
    fn a_command_that_prints_a_lot_is_read_while_it_runs() {
        let started = Instant::now();
        let secret = run_secret_command(
            &sh("printf 's3cret\\n'; head -c 300000 /dev/zero | tr '\\0' x"),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(secret.expose(), "s3cret");
        assert!(started.elapsed() < Duration::from_secs(10));
        let long = run_secret_command(
            &sh("head -c 300000 /dev/zero | tr '\\0' x"),
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(matches!(long, SecretError::TooLong { .. }), "{long}");
        let noisy = run_secret_command(
            &sh("head -c 300000 /dev/zero | tr '\\0' e >&2; echo ok"),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(noisy.expose(), "ok");
    }
}
