//! The allocator, in one place. mimalloc serves every binary that links the crate (the app,
//! its tests and benches): a jq run over a 65 MB body builds and frees millions of small values,
//! about twice as fast as with glibc's allocator (see `cargo bench --bench viewer -- invoices`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option numbers (`mi_option_t` in mimalloc.h, v2); the sys crate names only some.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the allocator up for a long-running viewer: arenas committed as used (not up front)
/// and freed memory handed back to the OS at once (not after a delay), so the resident size
/// follows what is held. Call before the allocator starts (the binary does it from a
/// constructor on Linux). With mimalloc's defaults the merged 10,000 invoices (22 MB) left the
/// app at 94 MiB resident; set first thing in `main`, 82 MiB, because the first arena was
/// already committed; set before mimalloc starts, 56 MiB (`cargo bench --bench process --
/// all-pages`). An option the user set in the environment (`MIMALLOC_PURGE_DELAY`, …) is left
/// as set. Reads the environment only: safe before `main`.
pub fn configure() {
    for (option, value, variable) in [
        (ARENA_EAGER_COMMIT, 0, "MIMALLOC_ARENA_EAGER_COMMIT"),
        (PURGE_DELAY, 0, "MIMALLOC_PURGE_DELAY"),
    ] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: mi_option_set writes one option value; it may be called at any time.
            unsafe { libmimalloc_sys::mi_option_set(option, value) }
        }
    }
}

/// Hands freed heap memory back to the OS at once, so the resident size falls back after a
/// large body is replaced or a large parsed jq input is dropped (mimalloc would otherwise keep
/// it a while for reuse).
pub fn release_free_memory() {
    // SAFETY: mi_collect only frees memory the allocator holds unused; it may be called at any
    // time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
