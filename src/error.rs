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
    /// Options that contradict each other or name nothing.
    #[error("{0}")]
    Usage(String),
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
