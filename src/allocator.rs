//! Options of the allocator the `meetql` binary and the benchmark use (mimalloc): [`configure`]
//! before the first database is opened, [`opened`] once it is. A program embedding the library
//! with another allocator need not call either; calling them anyway changes nothing but
//! mimalloc's own (unused) settings.

use std::sync::atomic::{AtomicI64, Ordering};

/// mimalloc v3's `mi_option_arena_max_object_size` (mimalloc.h), which libmimalloc-sys does not
/// name; the assertion below catches a mimalloc whose options are numbered otherwise.
const ARENA_MAX_OBJECT_SIZE: libmimalloc_sys::mi_option_t = 45;
const _: () = assert!(libmimalloc_sys::_mi_option_last == 47, "mimalloc's options are numbered differently");

/// Objects above this size (KiB) come straight from the system rather than mimalloc's arenas.
pub const LARGEST_ARENA_OBJECT_KIB: i64 = 256;

/// mimalloc's own limit, kept by [`configure`] for [`opened`] to put back.
static DEFAULT_LIMIT: AtomicI64 = AtomicI64::new(-1);

/// Sets mimalloc's options for opening a database. sled allocates its page table (a few zeroed
/// MB) and log buffers at open; taken from mimalloc's arenas those are zeroed by hand, page by
/// page, while a larger object taken straight from the system arrives zeroed and untouched until
/// used. With the 256 KiB limit, `meetql query 'meetings count'` on 200k meetings peaks at 21 MB
/// of RSS; with mimalloc's default limit, at 57 MB.
pub fn configure() {
    // SAFETY: reads and sets one numeric option; mimalloc reads it whenever it allocates a large
    // object.
    unsafe {
        let own = libmimalloc_sys::mi_option_get(ARENA_MAX_OBJECT_SIZE) as i64;
        let _ = DEFAULT_LIMIT.compare_exchange(-1, own, Ordering::Relaxed, Ordering::Relaxed);
        libmimalloc_sys::mi_option_set(ARENA_MAX_OBJECT_SIZE, LARGEST_ARENA_OBJECT_KIB as _);
    }
}

/// Puts mimalloc's own limit back once the database is open: what a query or an import allocates
/// later (a result of many rows, its output, a window of an import) then comes from the arenas,
/// which are advised as transparent huge pages, instead of fresh 4 KiB pages from the system,
/// each faulted in on first touch and unmapped when freed. In one process on 1M meetings, the
/// bench's `country in [a, b] and topic = Y` (25,082 rows) took 237–400 ms a run with the limit
/// kept and 211–291 ms with it put back (`examples/profile_query.rs`, two rounds on a loaded
/// machine). Does nothing before [`configure`].
pub fn opened() {
    let own = DEFAULT_LIMIT.load(Ordering::Relaxed);
    if own >= 0 {
        // SAFETY: sets one numeric option back to the value mimalloc had.
        unsafe { libmimalloc_sys::mi_option_set(ARENA_MAX_OBJECT_SIZE, own as _) };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_largest_arena_object_is_set() {
        super::configure();
        // SAFETY: reads one numeric option.
        let got = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_MAX_OBJECT_SIZE) };
        assert_eq!(got as i64, super::LARGEST_ARENA_OBJECT_KIB);
        super::opened();
        // SAFETY: reads one numeric option.
        let back = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_MAX_OBJECT_SIZE) };
        assert_ne!(back as i64, super::LARGEST_ARENA_OBJECT_KIB, "opened() puts mimalloc's own limit back");
        assert_eq!(back as i64, super::DEFAULT_LIMIT.load(std::sync::atomic::Ordering::Relaxed));
    }
}
