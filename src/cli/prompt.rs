//! Secrets typed at the terminal: a passphrase, a PIN.

use std::io::Write;

use anyhow::{Result, anyhow};

/// Reads a secret typed on the terminal (a passphrase, a PIN) after
/// `prompt` on stderr, without echo; Esc or Ctrl-C gives `cancelled` as
/// the error. The caller has checked that stdin is a terminal.
pub fn read_secret(prompt: &str, cancelled: &str) -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    terminal::enable_raw_mode()?;
    // Overwritten with zeros when dropped: only the trimmed copy handed
    // back lives on (callers keep it in a `Zeroizing` too).
    let mut typed = zeroize::Zeroizing::new(String::new());
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(anyhow!(cancelled.to_owned()));
                }
                KeyCode::Esc => break Err(anyhow!(cancelled.to_owned())),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c) => typed.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    let _ = terminal::disable_raw_mode();
    eprintln!();
    result?;
    Ok(typed.trim().to_owned())
}
