//! Production is recognised from the parsed base URL however it is spelled, by the one
//! function every guard uses: a write with `--base-url https://API.younium.com` is refused
//! without `--yes` exactly as with `--env production`. Nothing is sent: the guard runs before
//! any network, and these hosts are not reachable from the tests anyway.

use crate::common;

use std::process::Stdio;

fn call_delete(base_url: &str) -> (Option<i32>, String) {
    let out = common::binary()
        .args([
            "call",
            "DELETE",
            "/Accounts/A-000001",
            "--base-url",
            base_url,
            "--client-id",
            "x",
            "--legal-entity",
            "Acme AB",
        ])
        .env("YOUNIUM_SECRET", "y")
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui.toml")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_spelling_of_production_is_guarded() {
    for spelling in [
        "https://api.younium.com",
        "https://API.younium.com",
        "https://api.younium.com:443",
        "https://api.younium.com/",
        "https://Api.Younium.Com:443/",
        "https://api.us.younium.com",
        "https://API.US.younium.com:443/",
    ] {
        let (code, stderr) = call_delete(spelling);
        assert_eq!(code, Some(2), "{spelling}: {stderr}");
        assert!(
            stderr.contains("refusing to send DELETE /Accounts/A-000001 to PRODUCTION"),
            "{spelling}: {stderr}"
        );
    }
}

#[test]
fn base_urls_with_credentials_query_or_fragment_are_refused_without_echoing_a_password() {
    for bad in [
        "https://user:hunter2@api.sandbox.younium.com",
        "https://api.sandbox.younium.com/?x=1",
        "https://api.sandbox.younium.com/#top",
    ] {
        let (code, stderr) = call_delete(bad);
        assert_eq!(code, Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("not a usable base URL"), "{bad}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
}
