//! Several labeled files read as one training or evaluation set, with the checks across them:
//! duplicate ids, and one statement labeled toward one target with two stances.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{read_file_with, Example, Format, Need};
use crate::error::{Error, Result};

/// Labeled files read together.
pub struct Labeled {
    /// Every valid row, in file order.
    pub examples: Vec<Example>,
    /// Valid rows per file.
    pub rows_per_file: Vec<usize>,
    /// SHA-256 of each file's bytes, as read (each file is read once).
    pub sha256_per_file: Vec<String>,
    /// The rows left out (with `skip_invalid`), each as the error that named it.
    pub skipped: Vec<Error>,
    /// What looks wrong but does not stop training: each kind with its places.
    pub warnings: Vec<Warning>,
}

/// One kind of suspicious rows ("duplicate ids", "conflicting labels") and where they are.
pub struct Warning {
    pub what: &'static str,
    pub items: Vec<String>,
}

/// Reads several labeled files into one list, in order. With `skip_invalid`, bad rows are
/// left out (and listed); with none valid left, it is still an error.
pub fn read_labeled(
    files: &[PathBuf],
    format: Option<Format>,
    skip_invalid: bool,
) -> Result<Labeled> {
    let mut examples = Vec::new();
    let mut origin: Vec<(usize, usize)> = Vec::new();
    let mut skipped = Vec::new();
    let (mut per_file, mut hashes) = (Vec::new(), Vec::new());
    for (f, file) in files.iter().enumerate() {
        let (rows, sha256) = read_file_with(
            file,
            format,
            Need::Labeled,
            skip_invalid.then_some(&mut skipped),
        )?;
        per_file.push(rows.len());
        hashes.push(sha256);
        origin.extend(rows.iter().map(|e| (f, e.line)));
        examples.extend(rows.into_iter().map(|e| Example { source: f, ..e }));
    }
    let place = |i: usize| format!("{}:{}", files[origin[i].0].display(), origin[i].1);
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut labels: HashMap<(&str, &str), usize> = HashMap::new();
    let (mut duplicate_ids, mut conflicts) = (Vec::new(), Vec::new());
    for (i, e) in examples.iter().enumerate() {
        if let Some(id) = e.id.as_deref() {
            if let Some(&first) = ids.get(id) {
                duplicate_ids.push(format!("id {id:?} at {} and {}", place(first), place(i)));
            } else {
                ids.insert(id, i);
            }
        }
        let key = (e.text.as_str(), e.target.as_deref().unwrap_or_default());
        match labels.get(&key) {
            Some(&first) if examples[first].stance != e.stance => conflicts.push(format!(
                "{} and {} label the same statement toward {} differently ({} vs {})",
                place(first),
                place(i),
                key.1,
                examples[first].stance.map_or("?", |s| s.name()),
                e.stance.map_or("?", |s| s.name()),
            )),
            Some(_) => {}
            None => {
                labels.insert(key, i);
            }
        }
    }
    let warnings = [
        ("duplicate ids", duplicate_ids),
        ("conflicting labels", conflicts),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(what, items)| Warning { what, items })
    .collect();
    Ok(Labeled {
        examples,
        rows_per_file: per_file,
        sha256_per_file: hashes,
        skipped,
        warnings,
    })
}
