//! The allocator, in one place. mimalloc serves every binary that links the crate (the app,
//! its tests and benches): a jq run over a 65 MB body builds and frees millions of small values,
//! about twice as fast as with glibc's allocator (see `cargo bench --bench viewer -- invoices`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands freed heap memory back to the OS at once, so the resident size falls back after a
/// large body is replaced or a large parsed jq input is dropped (mimalloc would otherwise keep
/// it a while for reuse).
pub fn release_free_memory() {
    // SAFETY: mi_collect only frees memory the allocator holds unused; it may be called at any
    // time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
