//! Panics of a library caught where they are known to happen, turned into
//! errors: rust_xlsxwriter panics when a sheet's temporary file cannot be
//! written (a full disk) in its constant-memory mode. While [`catch`] runs,
//! the binary's panic hook stays quiet (it asks [`active`]).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic on this thread now is one [`catch`] turns into an error.
pub fn active() -> bool {
    CATCHING.with(Cell::get)
}

/// Runs `f`; a panic in it becomes `Err` with its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_owned())
    })
}

/// A caught panic's message as an I/O error: a full disk keeps its kind
/// (the message names the OS error) so that it is said as one.
pub fn as_io(message: String) -> std::io::Error {
    if message.contains("No space left") || message.contains("os error 28") {
        std::io::Error::new(std::io::ErrorKind::StorageFull, message)
    } else {
        std::io::Error::other(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_flag_is_put_back() {
        assert!(!active());
        let r: Result<(), String> = catch(|| {
            assert!(active());
            std::panic::panic_any(
                "Couldn't write: No space left on device (os error 28)".to_owned(),
            )
        });
        let e = as_io(r.unwrap_err());
        assert_eq!(e.kind(), std::io::ErrorKind::StorageFull);
        assert!(!active());
        assert_eq!(catch(|| 7), Ok(7));
    }
}
