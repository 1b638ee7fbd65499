//! The `stance` command: parse arguments, call the library, map errors to exit codes
//! (0 success, 1 an evaluation threshold was missed, 2 bad usage or bad input).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("stance: error: {err}");
            ExitCode::from(2)
        }
    }
}
