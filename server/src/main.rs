//! The `linli-server` command: see `linli_server::cli`.

/// mimalloc, not glibc's malloc: see server/Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc 3's `mimalloc.h`; the
/// binding names only the older options). The test below checks that it still holds the default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays with the process before it goes back to the system. mimalloc's 1 s
/// returned it between two bursts of pushes, and every burst then paid the page faults again; a quiet
/// server still gives it back.
const PURGE_DELAY_MS: std::ffi::c_long = 5_000;

fn main() -> std::process::ExitCode {
    // SAFETY: sets a number in mimalloc's option table; any value is valid for this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    linli_server::cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_where_it_is_set() {
        // SAFETY: reads mimalloc's option table.
        let (major, delay) = unsafe {
            (
                libmimalloc_sys::mi_version() / 10_000,
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
            )
        };
        assert_eq!(major, 3, "mimalloc 3's option numbers");
        // mimalloc's default purge delay (its neighbours in the table default to 1 and 0).
        assert_eq!(delay, 1000);
    }
}
