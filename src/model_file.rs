//! The model file: magic, format version, SHA-256 of the payload, payload length, bincode payload
//! (the metadata and options as JSON, then the numbers: vocabulary, weights, word vectors).
//! Written to a temporary file in the target directory and renamed, so a crash never leaves half a
//! model behind and an existing model is replaced atomically.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::data::Stance;
use crate::error::{Error, Result};
use crate::features::Vocabulary;
use crate::model::{LinearModel, StanceModel};
use crate::vectors::WordVectors;

mod legacy;

const MAGIC: &[u8; 8] = b"STANCEMD";
/// Format 7 added word vectors and keeps the metadata as JSON, so that a new option needs no new
/// format; formats 5 and 6 are still read (`legacy`).
pub const FORMAT_VERSION: u32 = 7;
const HEADER_LEN: usize = 8 + 4 + 32 + 8;

/// The payload as written: `StanceModel` with its metadata as JSON.
#[derive(Serialize)]
struct PayloadOut<'a> {
    metadata: String,
    vocabulary: &'a Vocabulary,
    labels: &'a [Stance],
    pooled: &'a LinearModel,
    targets: &'a BTreeMap<String, LinearModel>,
    vectors: &'a Option<WordVectors>,
}

/// The payload as read, in `PayloadOut`'s order.
#[derive(Deserialize)]
struct PayloadIn {
    metadata: String,
    vocabulary: Vocabulary,
    labels: Vec<Stance>,
    pooled: LinearModel,
    targets: BTreeMap<String, LinearModel>,
    vectors: Option<WordVectors>,
}

pub fn to_bytes(model: &StanceModel) -> Result<Vec<u8>> {
    let cannot = |e: String| Error::Training(format!("cannot serialize the model: {e}"));
    let metadata = serde_json::to_string(&model.metadata).map_err(|e| cannot(e.to_string()))?;
    let payload = bincode::serialize(&PayloadOut {
        metadata,
        vocabulary: &model.vocabulary,
        labels: &model.labels,
        pooled: &model.pooled,
        targets: &model.targets,
        vectors: &model.vectors,
    })
    .map_err(|e| cannot(e.to_string()))?;
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
    if ![legacy::FORMAT_5, legacy::FORMAT_6, FORMAT_VERSION].contains(&version) {
        return Err(bad(format!(
            "model format version {version} is not supported (this stance reads versions {} to {FORMAT_VERSION}); retrain the model",
            legacy::FORMAT_5
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
    let unreadable = |e: String| bad(format!("model payload cannot be read: {e}"));
    let model = if version == FORMAT_VERSION {
        let p: PayloadIn = bincode::deserialize(payload).map_err(|e| unreadable(e.to_string()))?;
        StanceModel {
            metadata: serde_json::from_str(&p.metadata)
                .map_err(|e| unreadable(format!("metadata: {e}")))?,
            vocabulary: p.vocabulary,
            labels: p.labels,
            pooled: p.pooled,
            targets: p.targets,
            vectors: p.vectors,
        }
    } else {
        legacy::deserialize(version, payload).map_err(|e| unreadable(e.to_string()))?
    };
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
    if model.metadata.options.vectors.is_some() != model.vectors.is_some() {
        return Err("word vectors and their pooling options do not go together".into());
    }
    if let Some(vectors) = &model.vectors {
        vectors.check()?;
    }
    let width = model.width();
    for (name, linear) in std::iter::once(("pooled", &model.pooled))
        .chain(model.targets.iter().map(|(t, m)| (t.as_str(), m)))
    {
        if linear.weights.len() != 3 * width {
            return Err(format!(
                "{name} model has {} weights for {width} columns",
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
    if let Some(pooling) = &model.metadata.options.vectors {
        if !pooling.weight.is_finite() {
            return Err("the dense block's weight is not finite".into());
        }
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
