//! Build script: packs the code an idle app runs together in the release binary.
//!
//! The kernel maps an executable's pages 64 KiB at a time around each first touch, so the
//! ~1,800 functions that start-up, the first frame, the token exchange and the idle countdown
//! run, spread over 16 MB of code, used to keep most of the binary resident (19 MiB idle; 9.6
//! with them first). `assets/link-order.txt` lists them (mangled, as `benches/link-order.sh`
//! records them from a real run under callgrind) and the linker puts them first. A name that
//! no longer matches (after a dependency update) is skipped; re-run the script to bring the
//! list up to date.
//!
//! Release builds for x86-64 Linux (glibc) with rustc 1.90 or later only, where rustc links
//! with LLD by default, and not when the rustflags choose a linker; set
//! `YOUNIUM_TUI_NO_LINK_ORDER=1` when linking with a linker that has no
//! `--symbol-ordering-file` (GNU ld) another way.

fn main() {
    println!("cargo:rerun-if-changed=assets/link-order.txt");
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo:rerun-if-env-changed=YOUNIUM_TUI_NO_LINK_ORDER");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let wanted = var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("PROFILE") == "release"
        && std::env::var_os("YOUNIUM_TUI_NO_LINK_ORDER").is_none()
        && !var("CARGO_ENCODED_RUSTFLAGS").contains("link")
        && rustc_links_with_lld();
    let order = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("assets/link-order.txt");
    if wanted && order.is_file() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// rustc 1.90 and later link x86-64 Linux binaries with its own LLD unless told otherwise.
fn rustc_links_with_lld() -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("--version").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&out.stdout);
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    version.starts_with("rustc 1.") && minor.is_some_and(|m| m >= 90)
}
