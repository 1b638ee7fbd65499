//! The `stance` command: parse arguments, call the library, map errors to exit codes
//! (0 success, 1 an evaluation threshold was missed, 2 bad usage or bad input).

use clap::Parser;
use stance::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    restore_default_sigpipe();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("stance: error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `stance score ... | head` should end quietly when `head` closes the pipe, as Unix tools do,
/// instead of failing on every later write. Rust ignores SIGPIPE by default; restore it.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread starts; only resets a disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
