//! Reading an input's bytes once, whatever it is (a file, a pipe, a FIFO, stdin): lines longer
//! than a limit are an error naming the line, so that `/dev/zero` or a file with no newline
//! cannot grow memory without bound, and the bytes can be hashed as they pass (training files'
//! fingerprints) instead of being read a second time.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The longest line any reader accepts, in bytes.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// The error a `Tracked` reader raises for an overlong line (inside an `io::Error`).
#[derive(Debug)]
pub struct LineTooLong {
    pub line: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "is longer than {} MiB, the limit for one line (is this a text file?)",
            MAX_LINE_BYTES >> 20
        )
    }
}

impl std::error::Error for LineTooLong {}

impl LineTooLong {
    /// The overlong line of an I/O error, if that is what it is.
    pub fn of(err: &std::io::Error) -> Option<&LineTooLong> {
        err.get_ref()?.downcast_ref::<LineTooLong>()
    }
}

/// The error of a failed read of `name`: an overlong line names its line, anything else the file.
pub fn read_error(name: &str, err: std::io::Error) -> Error {
    match LineTooLong::of(&err) {
        Some(long) => Error::input(name, long.line, long.to_string()),
        None => Error::io(name, err),
    }
}

/// A reader that counts lines, refuses overlong ones and, if asked, hashes what it reads.
pub struct Tracked<R> {
    inner: R,
    /// The line being read (1-based).
    line: usize,
    /// Bytes of that line read so far.
    run: usize,
    hasher: Option<Sha256>,
}

impl<R: Read> Tracked<R> {
    pub fn new(inner: R) -> Self {
        Tracked {
            inner,
            line: 1,
            run: 0,
            hasher: None,
        }
    }

    /// Also hashes the bytes read (SHA-256), for `sha256_hex`.
    pub fn hashed(inner: R) -> Self {
        Tracked {
            hasher: Some(Sha256::new()),
            ..Tracked::new(inner)
        }
    }

    /// Lowercase hex SHA-256 of everything read (empty if not hashing).
    pub fn sha256_hex(self) -> String {
        self.hasher.map_or_else(String::new, |h| {
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        })
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let data = &buf[..n];
        if let Some(hasher) = &mut self.hasher {
            hasher.update(data);
        }
        let mut rest = data;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            if self.run + i > MAX_LINE_BYTES {
                break;
            }
            self.line += 1;
            self.run = 0;
            rest = &rest[i + 1..];
        }
        self.run += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        if self.run > MAX_LINE_BYTES {
            let line = self.line;
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                LineTooLong { line },
            ));
        }
        Ok(n)
    }
}

/// The whole of `path` (`-`: stdin), read once, and the SHA-256 of its bytes.
pub fn read_all(path: &Path) -> Result<(Vec<u8>, String)> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let sha256 = if path.as_os_str() == "-" {
        let mut reader = Tracked::hashed(std::io::stdin().lock());
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| read_error("stdin", e))?;
        reader.sha256_hex()
    } else {
        if path.is_dir() {
            return Err(Error::file(path, "is a directory, not a file"));
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = Tracked::hashed(file);
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(&name, e))?;
        reader.sha256_hex()
    };
    Ok((bytes, sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_line_is_an_error_naming_it() {
        let mut bytes = b"short\nalso short\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        let mut out = Vec::new();
        let err = Tracked::new(&bytes[..]).read_to_end(&mut out).unwrap_err();
        assert_eq!(LineTooLong::of(&err).map(|l| l.line), Some(3));
        // Long lines under the limit, split over many reads, pass.
        let fine = [vec![b'y'; MAX_LINE_BYTES], b"\nz\n".to_vec()].concat();
        let mut out = Vec::new();
        Tracked::new(std::io::BufReader::with_capacity(1000, &fine[..]))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len(), fine.len());
    }

    #[test]
    fn the_hash_is_of_the_bytes_read() {
        let mut reader = Tracked::hashed(&b"abc"[..]);
        std::io::copy(&mut reader, &mut std::io::sink()).unwrap();
        assert_eq!(
            reader.sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
