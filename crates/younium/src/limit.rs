//! Size limits on what the program reads. Every server answer and every file is hostile
//! input: each is read with a limit, and going over it is an error that names the limit and
//! how to raise it, with nothing half-read kept.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

/// A size in bytes. Read as `512MB`, `1 GB`, `64KiB`, `1.5G` or a plain number of bytes
/// (units are multiples of 1024, upper or lower case); shown as `512 MiB`.
///
/// ```
/// use younium::limit::ByteSize;
/// let size: ByteSize = "1GB".parse().unwrap();
/// assert_eq!(size, ByteSize(1 << 30));
/// assert_eq!(size.to_string(), "1 GiB");
/// assert_eq!("4096".parse::<ByteSize>().unwrap().to_string(), "4 KiB");
/// assert_eq!(ByteSize(536_870_913).to_string(), "512.0 MiB");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;
const TIB: u64 = 1024 * GIB;

impl ByteSize {
    /// `n` KiB (`n` × 1024 bytes), for constants.
    pub const fn kib(n: u64) -> ByteSize {
        ByteSize(n * KIB)
    }

    /// `n` MiB (`n` × 1024² bytes), for constants.
    pub const fn mib(n: u64) -> ByteSize {
        ByteSize(n * MIB)
    }

    /// The size in bytes.
    pub fn bytes(self) -> u64 {
        self.0
    }

    /// True when `len` bytes do not fit.
    pub(crate) fn is_exceeded_by(self, len: u64) -> bool {
        len > self.0
    }
}

/// The largest API answer read by default (`--max-body` raises it).
pub const MAX_BODY: ByteSize = ByteSize::mib(512);
/// The largest token answer: a real one is a few kilobytes.
pub(crate) const MAX_TOKEN_ANSWER: ByteSize = ByteSize::mib(1);
/// The largest request body read from a file or stdin.
pub(crate) const MAX_REQUEST_BODY: ByteSize = ByteSize::mib(64);
/// The largest config file.
pub const MAX_CONFIG_FILE: ByteSize = ByteSize::mib(1);

/// The one way a size is written, for limits and for what is measured alike: binary units with
/// their IEC names (1 KiB = 1024 bytes, as the parser reads `KB` too), whole when the size is a
/// whole number of its unit (`512 MiB`), else to a tenth (`536.9 MiB`), so a measured size and the
/// limit it is held to are never in different units.
impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 4] = [(KIB, "KiB"), (MIB, "MiB"), (GIB, "GiB"), (TIB, "TiB")];
        let n = self.0;
        let Some(at) = UNITS.iter().rposition(|&(unit, _)| n >= unit) else {
            return f.pad(&format!("{n} B"));
        };
        let (unit, name) = UNITS[at];
        if n.is_multiple_of(unit) {
            return f.pad(&format!("{} {name}", n / unit));
        }
        let tenths = (u128::from(n) * 10 + u128::from(unit) / 2) / u128::from(unit);
        f.pad(&match UNITS.get(at + 1) {
            // 1023.96 KiB rounds to 1024.0 KiB: say 1.0 MiB instead.
            Some((_, next)) if tenths >= 10 * 1024 => format!("1.0 {next}"),
            _ => format!("{}.{} {name}", tenths / 10, tenths % 10),
        })
    }
}

impl ByteSize {
    /// The size of something held in memory (`body.len()`).
    pub fn of_len(len: usize) -> ByteSize {
        ByteSize(u64::try_from(len).unwrap_or(u64::MAX))
    }
}

/// Text that is not a size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a size: use e.g. 512MB, 1GB or a number of bytes")]
pub struct SizeError(pub String);

impl FromStr for ByteSize {
    type Err = SizeError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || SizeError(text.to_string());
        let trimmed = text.trim();
        let split = trimmed
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(split);
        let multiplier = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" | "byte" | "bytes" => 1,
            "k" | "kb" | "kib" => KIB,
            "m" | "mb" | "mib" => MIB,
            "g" | "gb" | "gib" => GIB,
            "t" | "tb" | "tib" => TIB,
            _ => return Err(invalid()),
        };
        if let Ok(whole) = number.parse::<u64>() {
            return whole
                .checked_mul(multiplier)
                .map(ByteSize)
                .ok_or_else(invalid);
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let bytes = value * multiplier as f64;
        if !bytes.is_finite() || bytes >= u64::MAX as f64 {
            return Err(invalid());
        }
        Ok(ByteSize(bytes as u64))
    }
}

/// In a config file: `max_body = "1GB"` or a number of bytes.
impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bytes(n) => Ok(ByteSize(n)),
            Raw::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// Something was larger than its limit; nothing of it was kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} is larger than the {limit} limit{}; {hint}", declared_text(*.declared))]
pub struct TooLarge {
    /// `the answer from http://…`, `the body file x.json`.
    pub what: String,
    /// The limit it passed.
    pub limit: ByteSize,
    /// The size announced up front (`Content-Length`, a file's length), if any.
    pub declared: Option<u64>,
    /// What to do about it.
    pub hint: String,
}

fn declared_text(declared: Option<u64>) -> String {
    declared
        .map(|n| format!(" (it is {})", ByteSize(n)))
        .unwrap_or_default()
}

/// A file could not be read whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Larger than the limit for its kind of file.
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    /// The file could not be opened or read.
    #[error("could not read {what}: {reason}")]
    Io {
        /// `the body file x.json`, `the config file …`.
        what: String,
        /// The I/O error's kind ([`FileError::is_not_found`] asks it).
        kind: std::io::ErrorKind,
        /// The I/O error as text.
        reason: String,
    },
    /// The bytes are not UTF-8.
    #[error("{what} is not UTF-8 text")]
    NotText {
        /// Which file.
        what: String,
    },
}

impl FileError {
    /// The file is not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FileError::Io { kind, .. } if *kind == std::io::ErrorKind::NotFound)
    }
}

/// Reads all of `reader`, refusing more than `limit` bytes. Memory stays bounded by the
/// limit however much the reader has to give: `/dev/zero` ends with an error, not with the
/// memory.
pub(crate) fn read_limited(
    reader: impl Read,
    limit: ByteSize,
    what: &str,
    hint: &str,
) -> Result<Vec<u8>, FileError> {
    let mut buf = Vec::new();
    // One byte past the limit tells "exactly the limit" from "more".
    reader
        .take(limit.0.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| io_error(what, &e))?;
    if limit.is_exceeded_by(buf.len() as u64) {
        return Err(FileError::TooLarge(TooLarge {
            what: what.to_string(),
            limit,
            declared: None,
            hint: hint.to_string(),
        }));
    }
    Ok(buf)
}

/// Reads the file at `path` whole, refusing one larger than `limit` (before reading, when
/// its length is known).
pub(crate) fn read_file(
    path: &Path,
    limit: ByteSize,
    what: &str,
    hint: &str,
) -> Result<Vec<u8>, FileError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(what, &e))?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && limit.is_exceeded_by(meta.len())
    {
        return Err(FileError::TooLarge(TooLarge {
            what: what.to_string(),
            limit,
            declared: Some(meta.len()),
            hint: hint.to_string(),
        }));
    }
    read_limited(file, limit, what, hint)
}

/// The file at `path` whole as UTF-8 text, refusing one larger than `limit` (before
/// reading, when its length is known). `what` names the file in errors, `hint` says what to do
/// about one too large.
pub fn read_text_file(
    path: &Path,
    limit: ByteSize,
    what: &str,
    hint: &str,
) -> Result<String, FileError> {
    let bytes = read_file(path, limit, what, hint)?;
    String::from_utf8(bytes).map_err(|_| FileError::NotText {
        what: what.to_string(),
    })
}

/// The body for `call --body FILE`: the file, or stdin for `-`, as text, at most 64 MiB.
pub fn read_request_body(path: &Path) -> Result<String, FileError> {
    let hint = "check that this is the file you meant to send";
    let bytes = if path.as_os_str() == "-" {
        read_limited(
            std::io::stdin().lock(),
            MAX_REQUEST_BODY,
            "the body on stdin",
            hint,
        )?
    } else {
        let what = format!("the body file {}", path.display());
        read_file(path, MAX_REQUEST_BODY, &what, hint)?
    };
    String::from_utf8(bytes).map_err(|_| FileError::NotText {
        what: "the body".into(),
    })
}

fn io_error(what: &str, e: &std::io::Error) -> FileError {
    FileError::Io {
        what: what.to_string(),
        kind: e.kind(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        for (text, bytes) in [
            ("512MB", 512 * MIB),
            ("1GB", GIB),
            ("1 gb", GIB),
            ("64KiB", 64 * KIB),
            ("1.5G", GIB + GIB / 2),
            ("123", 123),
            (" 8 m ", 8 * MIB),
            ("0", 0),
        ] {
            assert_eq!(text.parse::<ByteSize>(), Ok(ByteSize(bytes)), "{text}");
        }
        for bad in [
            "",
            "MB",
            "1XB",
            "-1",
            "1e30GB",
            "99999999999999999999",
            "1..2MB",
        ] {
            assert!(bad.parse::<ByteSize>().is_err(), "{bad}");
        }
        assert_eq!(MAX_BODY.to_string(), "512 MiB");
        assert_eq!(ByteSize(812).to_string(), "812 B");
        assert_eq!(ByteSize(1536).to_string(), "1.5 KiB");
        assert_eq!(ByteSize::kib(3).to_string(), "3 KiB");
        assert_eq!(ByteSize(12_400).to_string(), "12.1 KiB");
        assert_eq!(ByteSize(1_048_575).to_string(), "1.0 MiB");
        assert_eq!(ByteSize(u64::MAX).to_string(), "16777216.0 TiB");
        assert_eq!(format!("[{:>8}]", ByteSize(812)), "[   812 B]");
    }

    /// The review's case: a body of 562,950,000 bytes was shown as "536.9 MB" (decimal) beside a
    /// "512 MB" (binary) limit, as if it fitted. Now both are in one unit and the order shows.
    #[test]
    fn a_measured_size_and_its_limit_share_a_unit() {
        let body = ByteSize(562_950_000);
        assert!(MAX_BODY.is_exceeded_by(body.bytes()));
        assert_eq!(
            (body.to_string(), MAX_BODY.to_string()),
            ("536.9 MiB".into(), "512 MiB".into())
        );
        // Just under the limit reads under it, just over reads over it.
        assert_eq!(
            ByteSize(MAX_BODY.bytes() - 200_000).to_string(),
            "511.8 MiB"
        );
        assert_eq!(
            ByteSize(MAX_BODY.bytes() + 200_000).to_string(),
            "512.2 MiB"
        );
        // Every size reads back as itself, to the shown precision.
        for n in [
            1u64,
            1023,
            1024,
            1025,
            99_999,
            5 << 20,
            (5 << 20) + 77,
            3 << 30,
        ] {
            let back: ByteSize = ByteSize(n).to_string().parse().unwrap();
            let error = back.bytes().abs_diff(n) as f64 / n as f64;
            assert!(error < 0.05, "{n} -> {} -> {}", ByteSize(n), back.bytes());
        }
        assert_eq!(ByteSize(2 * TIB).to_string(), "2 TiB");
    }

    #[test]
    fn sizes_in_a_config_file() {
        #[derive(Deserialize)]
        struct T {
            a: ByteSize,
            b: ByteSize,
        }
        let t: T = toml_edit::de::from_str("a = \"2MB\"\nb = 100\n").unwrap();
        assert_eq!((t.a, t.b), (ByteSize::mib(2), ByteSize(100)));
        assert!(toml_edit::de::from_str::<T>("a = \"lots\"\nb = 1\n").is_err());
    }

    #[test]
    fn an_endless_reader_stops_at_the_limit() {
        let e =
            read_limited(std::io::repeat(0), ByteSize::kib(64), "the zeros", "stop").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the zeros is larger than the 64 KiB limit; stop"
        );
        let exact = read_limited(&[1u8; 16][..], ByteSize(16), "x", "").unwrap();
        assert_eq!(exact.len(), 16);
    }

    #[test]
    fn files_over_the_limit_are_refused_by_their_length() {
        let dir = std::env::temp_dir().join(format!("younium-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.json");
        std::fs::write(&path, vec![b' '; 2048]).unwrap();
        let e = read_file(&path, ByteSize::kib(1), "the big file", "hint").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the big file is larger than the 1 KiB limit (it is 2 KiB); hint"
        );
        assert!(
            read_file(&dir.join("none"), ByteSize(1), "x", "")
                .unwrap_err()
                .is_not_found()
        );
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_text_file(&path, ByteSize::kib(1), "the file", ""),
            Err(FileError::NotText { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn dev_zero_as_a_request_body_ends_with_a_message() {
        let e = read_request_body(Path::new("/dev/zero")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the body file /dev/zero is larger than the 64 MiB limit"),
            "{e}"
        );
    }
}
