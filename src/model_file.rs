//! The model file: magic, format version, SHA-256 of the payload, payload length, bincode payload.
//! Written to a temporary file in the target directory and renamed, so a crash never leaves half a
//! model behind and an existing model is replaced atomically.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

use crate::data::Stance;
use crate::error::{Error, Result};
use crate::model::StanceModel;

mod format5;

const MAGIC: &[u8; 8] = b"STANCEMD";
/// Format 6 added the analyzer's `lexicon_sides` and `target_words`; format 5 is still read.
pub const FORMAT_VERSION: u32 = 6;
const HEADER_LEN: usize = 8 + 4 + 32 + 8;

pub fn to_bytes(model: &StanceModel) -> Result<Vec<u8>> {
    let payload = bincode::serialize(model)
        .map_err(|e| Error::Training(format!("cannot serialize the model: {e}")))?;
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(&payload));
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// Checks every layer of the file before trusting it; `name` is used in messages.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<StanceModel> {
    let bad = |message: String| Error::file(name, message);
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("is not a stance model file".into()));
    }
    if bytes.len() < HEADER_LEN {
        return Err(bad("model file is truncated (incomplete header)".into()));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or_default());
    if version != FORMAT_VERSION && version != format5::VERSION {
        return Err(bad(format!(
            "model format version {version} is not supported (this stance reads versions {} and {FORMAT_VERSION}); retrain the model",
            format5::VERSION
        )));
    }
    let checksum = &bytes[12..44];
    let length = u64::from_le_bytes(bytes[44..52].try_into().unwrap_or_default()) as usize;
    let payload = &bytes[HEADER_LEN..];
    if payload.len() < length {
        return Err(bad(format!(
            "model file is truncated ({} of {length} payload bytes)",
            payload.len()
        )));
    }
    if payload.len() > length {
        return Err(bad("model file has trailing bytes after the model".into()));
    }
    if Sha256::digest(payload).as_slice() != checksum {
        return Err(bad("model file is corrupted (checksum mismatch)".into()));
    }
    let model = if version == format5::VERSION {
        format5::deserialize(payload)
    } else {
        bincode::deserialize::<StanceModel>(payload)
    }
    .map_err(|e| bad(format!("model payload cannot be read: {e}")))?;
    validate(&model).map_err(|problem| bad(format!("model is inconsistent: {problem}")))?;
    Ok(model)
}

/// A checksum proves the bytes are the ones written, not that a writer wrote sense: check every
/// size and number the scorer will index or compute with.
fn validate(model: &StanceModel) -> std::result::Result<(), String> {
    let n = model.vocabulary.terms.len();
    if model.vocabulary.idf.len() != n {
        return Err(format!(
            "{} idf values for {n} features",
            model.vocabulary.idf.len()
        ));
    }
    if model.labels != Stance::ALL {
        return Err("unexpected label set".into());
    }
    let numbers_ok = |v: &[f32]| v.iter().all(|x| x.is_finite());
    if !numbers_ok(&model.vocabulary.idf) || !numbers_ok(&model.vocabulary.block_weights) {
        return Err("idf or block weights are not finite".into());
    }
    for (name, linear) in std::iter::once(("pooled", &model.pooled))
        .chain(model.targets.iter().map(|(t, m)| (t.as_str(), m)))
    {
        if linear.weights.len() != 3 * n {
            return Err(format!(
                "{name} model has {} weights for {n} features",
                linear.weights.len()
            ));
        }
        if !numbers_ok(&linear.weights) || !numbers_ok(&linear.intercept) {
            return Err(format!("{name} model has weights that are not finite"));
        }
    }
    let a = &model.metadata.options.analyzer;
    if !(1..=5).contains(&a.ngram_max)
        || a.char_max > 10
        || a.char_min > a.char_max
        || a.context_window > 1000
    {
        return Err("analyzer options are out of range".into());
    }
    Ok(())
}

pub fn load(path: &Path) -> Result<StanceModel> {
    if path.is_dir() {
        return Err(Error::file(path, "is a directory, not a model file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&path.display().to_string(), &bytes)
}

pub fn save(model: &StanceModel, path: &Path) -> Result<()> {
    write_atomically(path, &to_bytes(model)?)
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".stance-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    make_readable(file.as_file(), path)?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Temporary files are created private (0600); a model or score file is an ordinary file (0644).
pub fn make_readable(file: &std::fs::File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    let _ = (file, path);
    Ok(())
}

/// Lowercase hex SHA-256 of some bytes (training files' fingerprints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
