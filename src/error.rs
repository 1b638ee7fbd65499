//! The library's one error type. Every variant reads as a sentence a user can act on.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem at a known place in an input file.
    #[error("{file}:{line}: {message}")]
    Input {
        file: String,
        line: usize,
        message: String,
    },
    /// A problem with a whole file (missing, unreadable, empty, not a model).
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// Command-line options that contradict each other or name nothing. Raised by the command
    /// line (src/cli) only: the library says `Invalid` and leaves flags to the CLI's wording.
    #[error("{0}")]
    Usage(String),
    /// A setting or request the library cannot work with (too few folds, a reader asked for a
    /// format it does not read that way).
    #[error("{0}")]
    Invalid(String),
    /// `load_model(None)` in a build without an embedded default model.
    #[error("this build has no embedded default model (models/default.stance was missing at build time)")]
    NoDefaultModel,
    /// The data cannot train a model (one class only, no rows).
    #[error("cannot train: {0}")]
    Training(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn input(file: &str, line: usize, message: impl Into<String>) -> Self {
        Error::Input {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn file(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::File {
            path: path.as_ref().display().to_string(),
            message: message.into(),
        }
    }

    /// An I/O error on `path`, worded for people rather than errno.
    pub fn io(path: impl AsRef<Path>, err: std::io::Error) -> Self {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
            _ => err.to_string(),
        };
        Error::file(path, message)
    }
}
