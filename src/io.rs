//! Writing outputs (models, reports, score files) so that they never destroy: a regular file, or
//! a path that does not exist yet, is replaced atomically (written to an unnamed temporary file
//! in the same directory, synced, made 0644, then linked and renamed over the path); a symlink is
//! resolved and its target replaced; a device, FIFO or socket is written to directly. A run that
//! is killed before the end leaves the old file as it was and no temporary file behind.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output being written; nothing is visible at its path until `commit`.
pub struct OutputFile {
    /// The path as given, for messages.
    shown: PathBuf,
    file: File,
    kind: Kind,
    /// Bytes written so far, and how many of them the disk was already asked to take.
    written: u64,
    handed_to_disk: u64,
}

/// How much written output waits before the disk is asked to start taking it (`write`).
const WRITEBACK_STEP: u64 = 8 << 20;

enum Kind {
    /// Replaced at `commit` by renaming the temporary file over `dest`.
    Replace { dest: PathBuf, temp: Temp },
    /// A device, FIFO or socket: written in place.
    Direct,
}

enum Temp {
    /// Linux's `O_TMPFILE`: no name until it is linked at `commit`, so a killed run leaves nothing.
    Unnamed,
    /// Elsewhere (or where the file system lacks `O_TMPFILE`): a hidden named file, removed
    /// when dropped.
    Named(tempfile::TempPath),
}

impl OutputFile {
    /// Opens `path` for writing by the rules above.
    pub fn create(path: &Path) -> Result<OutputFile> {
        let shown = path.to_path_buf();
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(Error::file(path, "is a directory; give a file name")),
            Ok(m) if !m.is_file() => {
                // A device, FIFO or socket (through any symlinks): write to it as it is.
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                Ok(OutputFile {
                    shown,
                    file,
                    kind: Kind::Direct,
                    written: 0,
                    handed_to_disk: 0,
                })
            }
            Ok(_) => {
                // A regular file, perhaps behind symlinks: replace the file they point to.
                let dest = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
                Self::replacing(shown, dest)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dest = resolve_dangling(path).map_err(|e| Error::io(path, e))?;
                Self::replacing(shown, dest)
            }
            Err(e) => Err(Error::io(path, e)),
        }
    }

    fn replacing(shown: PathBuf, dest: PathBuf) -> Result<OutputFile> {
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::file(&shown, "its directory does not exist"));
        }
        let (file, temp) = match unnamed_temp(&dir) {
            Some(file) => (file, Temp::Unnamed),
            None => {
                let named = tempfile::Builder::new()
                    .prefix(".stance-")
                    .suffix(".tmp")
                    .tempfile_in(&dir)
                    .map_err(|e| Error::io(&dir, e))?;
                let (file, path) = named.into_parts();
                (file, Temp::Named(path))
            }
        };
        Ok(OutputFile {
            shown,
            file,
            kind: Kind::Replace { dest, temp },
            written: 0,
            handed_to_disk: 0,
        })
    }

    /// The path as the user gave it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Makes the output visible: synced to disk, 0644, then renamed over the destination (or,
    /// written in place, just flushed).
    pub fn commit(self) -> Result<()> {
        let OutputFile {
            shown, file, kind, ..
        } = self;
        let (dest, temp) = match kind {
            Kind::Direct => return Ok(()), // a pipe or device has nothing to sync or rename
            Kind::Replace { dest, temp } => (dest, temp),
        };
        file.sync_all().map_err(|e| Error::io(&shown, e))?;
        make_readable(&file, &shown)?;
        match temp {
            Temp::Named(path) => path.persist(&dest).map_err(|e| Error::io(&shown, e.error)),
            Temp::Unnamed => link_and_rename(&file, &dest).map_err(|e| Error::io(&shown, e)),
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if matches!(self.kind, Kind::Replace { .. })
            && self.written - self.handed_to_disk >= WRITEBACK_STEP
        {
            start_writeback(&self.file, self.handed_to_disk, self.written);
            self.handed_to_disk = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Asks the kernel to start writing bytes `from..to` of `file` to disk, without waiting, so
/// that the sync at `commit` waits for the last few megabytes rather than the whole output
/// (on a large score file it took 4 % of the run). A hint: on failure, or off Linux, `commit`'s
/// sync does all the work and reports any error.
fn start_writeback(file: &File, from: u64, to: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for the duration of the call; the call reads no memory.
        unsafe {
            libc::sync_file_range(
                file.as_raw_fd(),
                from as libc::off64_t,
                (to - from) as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, from, to);
}

/// A hash of `value` that is the same in every run (SipHash with fixed keys): what tells one
/// vocabulary's or vector set's memoized ids apart from another's, not a checksum.
pub fn fingerprint(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Lowercase hex SHA-256 of some bytes (a vectors file's or a model payload's fingerprint).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` as the whole output at `path` (models, reports).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = OutputFile::create(path)?;
    out.write_all(bytes).map_err(|e| Error::io(path, e))?;
    out.commit()
}

/// Where a path that does not exist will be created: itself, or, for a symlink that points
/// nowhere yet, the path it points to (so the link survives).
fn resolve_dangling(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Temporary files are created private; a model, report or score file is an ordinary 0644 file.
fn make_readable(file: &File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    let _ = (file, path);
    Ok(())
}

#[cfg(target_os = "linux")]
fn unnamed_temp(dir: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_TMPFILE)
        .open(dir)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn unnamed_temp(_dir: &Path) -> Option<File> {
    None
}

/// Gives the unnamed file a hidden name beside `dest` and renames it over `dest`.
#[cfg(target_os = "linux")]
fn link_and_rename(file: &File, dest: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    let dir = dest.parent().unwrap_or(Path::new("."));
    let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    for attempt in 0..100u32 {
        let name = dir.join(format!(
            ".stance-{}-{}-{attempt}.tmp",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        let target = CString::new(name.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                source.as_ptr(),
                libc::AT_FDCWD,
                target.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if linked == 0 {
            return std::fs::rename(&name, dest).inspect_err(|_| {
                let _ = std::fs::remove_file(&name);
            });
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(error);
        }
    }
    Err(std::io::Error::other("no free temporary name"))
}

#[cfg(not(target_os = "linux"))]
fn link_and_rename(_file: &File, _dest: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("unnamed temporary files need Linux"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".stance-"))
            .collect()
    }

    #[test]
    fn a_regular_file_is_replaced_whole_and_an_unfinished_one_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let mut out = OutputFile::create(&path).unwrap();
        out.write_all(b"half").unwrap();
        drop(out); // never committed: a failed run
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert!(leftovers(dir.path()).is_empty());
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(leftovers(dir.path()).is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn an_output_handed_to_disk_early_is_still_invisible_until_committed_and_then_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.jsonl");
        std::fs::write(&path, "old").unwrap();
        // Uneven pieces, past several writeback steps.
        let pieces: Vec<Vec<u8>> = (0..40u8)
            .map(|i| vec![b'a' + i % 26; (WRITEBACK_STEP as usize) / 7 + i as usize])
            .collect();
        let total: usize = pieces.iter().map(Vec::len).sum();
        assert!(total as u64 > 4 * WRITEBACK_STEP);
        let mut out = OutputFile::create(&path).unwrap();
        pieces.iter().for_each(|p| out.write_all(p).unwrap());
        assert!(out.handed_to_disk >= 4 * WRITEBACK_STEP);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        out.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), pieces.concat());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (target, link) = (dir.path().join("real.txt"), dir.path().join("link.txt"));
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        // A link to a file that does not exist yet creates that file.
        let dangling = dir.path().join("later.txt");
        std::os::unix::fs::symlink("made.txt", &dangling).unwrap();
        write_file(&dangling, b"made").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("made.txt")).unwrap(),
            "made"
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_directory_is_a_clear_error() {
        let err = write_file(Path::new("/nonexistent-dir/x.model"), b"x").unwrap_err();
        assert!(
            err.to_string().contains("its directory does not exist"),
            "{err}"
        );
    }
}
