//! Options of the allocator the `meetql` binary and the benchmark use (mimalloc), set before the
//! first database is opened. A program embedding the library with another allocator need not
//! call [`configure`]; calling it anyway changes nothing but mimalloc's own (unused) settings.

/// mimalloc v3's `mi_option_arena_max_object_size` (mimalloc.h), which libmimalloc-sys does not
/// name; the assertion below catches a mimalloc whose options are numbered otherwise.
const ARENA_MAX_OBJECT_SIZE: libmimalloc_sys::mi_option_t = 45;
const _: () = assert!(libmimalloc_sys::_mi_option_last == 47, "mimalloc's options are numbered differently");

/// Objects above this size (KiB) come straight from the system rather than mimalloc's arenas.
pub const LARGEST_ARENA_OBJECT_KIB: i64 = 256;

/// Sets mimalloc's options for MeetQL. sled allocates its page table (a few zeroed MB) and log
/// buffers at open; taken from mimalloc's arenas those are zeroed by hand, page by page, while a
/// larger object taken straight from the system arrives zeroed and untouched until used.
/// The records, strings and buffers of a query are far smaller, so they keep mimalloc's arenas,
/// which are advised as transparent huge pages: a query that reads 87,809 records of a 1M
/// database took 14.5k page faults with them against 48.8k on 4 KiB pages, and 0.59 s against
/// 0.63 s (BENCHMARKS.md, "Transparent huge pages again"). With the 256 KiB limit, `meetql
/// query 'meetings count'` on 200k meetings peaks at 21 MB of RSS; with mimalloc's default
/// limit, at 57 MB.
pub fn configure() {
    // SAFETY: sets one numeric option; mimalloc reads it whenever it allocates a large object.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_MAX_OBJECT_SIZE, LARGEST_ARENA_OBJECT_KIB as _) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_largest_arena_object_is_set() {
        super::configure();
        // SAFETY: reads one numeric option.
        let got = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_MAX_OBJECT_SIZE) };
        assert_eq!(got as i64, super::LARGEST_ARENA_OBJECT_KIB);
    }
}
