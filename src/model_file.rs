//! The model file: magic, format version, SHA-256 of the payload, payload length, bincode payload
//! (the metadata and options as JSON, then the numbers: vocabulary, weights, word vectors).
//! Saved through `crate::io`, so a crash never leaves half a model behind and an existing model
//! is replaced atomically.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
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
/// No model comes near this (the default is 7 MB); a header that claims more is corrupt.
const MAX_PAYLOAD: u64 = 4 << 30;

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
        let p: PayloadIn =
            bincode::deserialize(payload).map_err(|e| unreadable(payload_error(e)))?;
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
        legacy::deserialize(version, payload).map_err(|e| unreadable(payload_error(e)))?
    };
    validate(&model).map_err(|problem| bad(format!("model is inconsistent: {problem}")))?;
    Ok(model)
}

/// What went wrong in a payload, in words: bincode's I/O errors say only "io error: …".
fn payload_error(e: bincode::Error) -> String {
    match e.as_ref() {
        bincode::ErrorKind::Io(_) => {
            "it ends before the model does (written by a broken writer, or cut)".to_string()
        }
        other => other.to_string(),
    }
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

/// Reads a model file, its header first: a file that is not a model (say `/dev/zero`) is refused
/// before more than the header is read, and the payload is read only up to its stated length.
pub fn load(path: &Path) -> Result<StanceModel> {
    use std::io::Read;
    if path.is_dir() {
        return Err(Error::file(path, "is a directory, not a model file"));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(HEADER_LEN);
    let mut reader = file.take(HEADER_LEN as u64);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let header_ok = bytes.len() == HEADER_LEN && &bytes[..MAGIC.len()] == MAGIC;
    if header_ok {
        let length = u64::from_le_bytes(bytes[44..52].try_into().unwrap_or_default());
        if length > MAX_PAYLOAD {
            return Err(Error::file(
                path,
                format!("model file claims a {length}-byte payload, more than any stance model; it is corrupted"),
            ));
        }
        // One byte more than stated, so that trailing bytes are noticed.
        let mut file = reader.into_inner().take(length + 1);
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    }
    from_bytes(&name, &bytes)
}

pub fn save(model: &StanceModel, path: &Path) -> Result<()> {
    crate::io::write_file(path, &to_bytes(model)?)
}
