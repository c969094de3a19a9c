//! Signals from outside while the console or the kiosk holds the terminal.
//! Those that end a program (a `kill`, a closed window, systemd stopping
//! the kiosk) first put the terminal back as it was: out of raw mode and
//! the alternate screen, the cursor shown; the exit status is then 128 +
//! the signal's number, as a shell reports it. The kiosk ignores the ones
//! it must survive: a worker at the keyboard cannot send them (raw mode
//! turns Ctrl-C, Ctrl-\ and Ctrl-Z into keys), but nothing from outside
//! may end a public screen but a stop or a hang-up.

/// Who holds the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Console,
    Kiosk,
}

#[cfg(unix)]
mod unix {
    use signal_hook::consts::signal::*;
    use signal_hook::iterator::{Handle, Signals};

    use super::Holder;

    /// The signals that end the program, after the terminal is restored.
    pub(super) fn ending(holder: Holder) -> &'static [i32] {
        match holder {
            Holder::Console => &[SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM],
            // A stop (systemd, shutdown) and a hang-up (the terminal is
            // gone): the service manager starts it again.
            Holder::Kiosk => &[SIGTERM, SIGHUP],
        }
    }

    /// The signals that are noted and otherwise ignored.
    pub(super) fn ignored(holder: Holder) -> &'static [i32] {
        match holder {
            // A stop from outside would leave the terminal raw under the
            // shell: the console goes on instead.
            Holder::Console => &[SIGTSTP, SIGTTIN, SIGTTOU],
            Holder::Kiosk => &[
                SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU,
            ],
        }
    }

    /// Watches the signals until dropped.
    pub struct Watch {
        handle: Handle,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl Watch {
        pub fn start(holder: Holder, restore: fn()) -> std::io::Result<Watch> {
            let ending = ending(holder);
            let all: Vec<i32> = ending.iter().chain(ignored(holder)).copied().collect();
            let mut signals = Signals::new(&all)?;
            let handle = signals.handle();
            let thread = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    for sig in signals.forever() {
                        if ending.contains(&sig) {
                            tracing::info!(signal = sig, "ended by a signal");
                            restore();
                            std::process::exit(128 + sig);
                        }
                        tracing::info!(signal = sig, "signal ignored");
                    }
                })?;
            Ok(Watch {
                handle,
                thread: Some(thread),
            })
        }
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            self.handle.close();
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }
}

#[cfg(unix)]
pub use unix::Watch;

/// Elsewhere, nothing is watched.
#[cfg(not(unix))]
pub struct Watch;

#[cfg(not(unix))]
impl Watch {
    pub fn start(_: Holder, _: fn()) -> std::io::Result<Watch> {
        Ok(Watch)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::unix::{ending, ignored};
    use super::*;
    use signal_hook::consts::signal::*;

    #[test]
    fn the_kiosk_survives_all_but_a_stop_and_a_hang_up() {
        assert_eq!(ending(Holder::Kiosk), &[SIGTERM, SIGHUP]);
        for sig in [SIGINT, SIGQUIT, SIGUSR1, SIGALRM, SIGTSTP] {
            assert!(ignored(Holder::Kiosk).contains(&sig), "{sig}");
        }
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGALRM] {
            assert!(ending(Holder::Console).contains(&sig), "{sig}");
        }
        // What cannot be caught is not asked for (registering them fails).
        for holder in [Holder::Console, Holder::Kiosk] {
            for sig in ending(holder).iter().chain(ignored(holder)) {
                assert!(!signal_hook::consts::FORBIDDEN.contains(sig), "{sig}");
            }
        }
    }
}
