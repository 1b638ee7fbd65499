//! Pretrained word vectors: the project's compact file (int8 codes with a scale per word), the
//! standard text format of GloVe, word2vec and fastText `.vec` files, and word look-up.
//!
//! Compact file, little-endian: magic `STANCEVC`, u32 version (1), u32 dimension, u32 word count,
//! each word as a u16 byte length and its UTF-8 bytes, one f32 scale per word, then the codes,
//! word by word. A value is `code × scale`. `scripts/data/fetch-glove` writes the bundled one.

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::path::Path;

use crate::error::{Error, Result};
use crate::folding::fold_into;

const MAGIC: &[u8; 8] = b"STANCEVC";
const VERSION: u32 = 1;
/// Dimensions above this are refused: no published vectors come near, and a bad header must
/// not allocate gigabytes.
pub const MAX_DIM: usize = 4096;
/// Words a model keeps by default: the most frequent of the file (files list words by frequency).
pub const DEFAULT_WORDS: usize = 100_000;

/// Word vectors as a model holds them: int8 codes with one scale per word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordVectors {
    /// The file they were read from, as given.
    pub origin: String,
    /// SHA-256 of that file.
    pub sha256: String,
    pub dim: usize,
    /// Folded words in file order, separated by '\n' (one string keeps the model file small).
    words: String,
    scales: Vec<f32>,
    codes: Vec<i8>,
    #[serde(skip)]
    index: HashMap<Box<str>, u32>,
}

impl WordVectors {
    /// Quantizes full-precision vectors (`values` holds `dim` numbers per word); a word that
    /// repeats after folding keeps its first, most frequent, vector.
    pub fn quantize(
        origin: &str,
        sha256: &str,
        dim: usize,
        words: &[String],
        values: &[f32],
    ) -> Self {
        let mut vectors = WordVectors::empty(origin, sha256, dim);
        let mut folded = String::new();
        for (word, v) in words.iter().zip(values.chunks_exact(dim)) {
            folded.clear();
            fold_into(word, &mut folded);
            if folded.is_empty()
                || folded.contains('\n')
                || vectors.index.contains_key(folded.as_str())
            {
                continue;
            }
            let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = max / 127.0;
            vectors.push(
                &folded,
                scale,
                v.iter().map(|&x| {
                    if scale > 0.0 {
                        (x / scale).round().clamp(-127.0, 127.0) as i8
                    } else {
                        0
                    }
                }),
            );
        }
        vectors
    }

    fn empty(origin: &str, sha256: &str, dim: usize) -> Self {
        WordVectors {
            origin: origin.to_string(),
            sha256: sha256.to_string(),
            dim,
            words: String::new(),
            scales: Vec::new(),
            codes: Vec::new(),
            index: HashMap::default(),
        }
    }

    fn push(&mut self, word: &str, scale: f32, codes: impl Iterator<Item = i8>) {
        if !self.words.is_empty() {
            self.words.push('\n');
        }
        self.words.push_str(word);
        self.index.insert(word.into(), self.scales.len() as u32);
        self.scales.push(scale);
        self.codes.extend(codes);
    }

    /// Restores the look-up table after deserialization.
    pub fn rebuild_index(&mut self) {
        self.index = self
            .words()
            .enumerate()
            .map(|(i, w)| (w.into(), i as u32))
            .collect();
    }

    /// What tells this set's rows from other sets' (`text::VectorRows`): a hash of its words
    /// in row order, computed on each call, so callers keep it.
    pub fn fingerprint(&self) -> u64 {
        crate::io::fingerprint(&self.words)
    }

    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.split('\n').filter(|w| !w.is_empty())
    }

    /// The first `n` words only.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len() {
            return;
        }
        let cut = self.words().take(n).map(|w| w.len() + 1).sum::<usize>();
        self.words.truncate(cut.saturating_sub(1));
        self.scales.truncate(n);
        self.codes.truncate(n * self.dim);
        self.rebuild_index();
    }

    /// The row of a folded word.
    pub fn get(&self, folded: &str) -> Option<u32> {
        self.index.get(folded).copied()
    }

    /// Adds the vector of row `row` to `sum`.
    pub fn add_to(&self, row: u32, sum: &mut [f32]) {
        let row = row as usize;
        let scale = self.scales[row];
        let codes = &self.codes[row * self.dim..(row + 1) * self.dim];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, as just checked.
            return unsafe { add_scaled_avx2(sum, codes, scale) };
        }
        add_scaled(sum, codes, scale);
    }

    /// Value `j` of row `row`.
    pub fn value(&self, row: u32, j: usize) -> f32 {
        self.codes[row as usize * self.dim + j] as f32 * self.scales[row as usize]
    }

    /// Problems that would make scoring index out of bounds or compute with non-numbers.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.dim == 0 || self.dim > MAX_DIM {
            return Err(format!("word vectors have dimension {}", self.dim));
        }
        if self.codes.len() != self.scales.len() * self.dim || self.words().count() != self.len() {
            return Err("word vectors have inconsistent sizes".into());
        }
        if !self.scales.iter().all(|s| s.is_finite()) {
            return Err("word vector scales are not finite".into());
        }
        Ok(())
    }

    /// The compact file's bytes.
    pub fn to_compact(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + self.words.len() + self.len() * (6 + self.dim));
        out.extend_from_slice(MAGIC);
        for n in [VERSION, self.dim as u32, self.len() as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for word in self.words() {
            out.extend_from_slice(&(word.len() as u16).to_le_bytes());
            out.extend_from_slice(word.as_bytes());
        }
        for s in &self.scales {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend(self.codes.iter().map(|&c| c as u8));
        out
    }

    /// Reads a compact file's bytes; `name` is used in messages and as the origin.
    pub fn from_compact(name: &str, bytes: &[u8]) -> Result<Self> {
        let bad = |message: &str| Error::file(name, format!("word vectors file {message}"));
        let mut reader = Bytes { bytes, at: 0 };
        if reader.take(8) != Some(MAGIC.as_slice()) {
            return Err(bad("has no STANCEVC header"));
        }
        let mut header = [0u32; 3];
        for h in &mut header {
            *h = reader.u32().ok_or_else(|| bad("is truncated (header)"))?;
        }
        let [version, dim, count] = header.map(|h| h as usize);
        if version != VERSION as usize {
            return Err(bad(&format!(
                "has version {version}; this stance reads version {VERSION}"
            )));
        }
        if dim == 0 || dim > MAX_DIM {
            return Err(bad(&format!(
                "has dimension {dim} (1 to {MAX_DIM} expected)"
            )));
        }
        // Each word takes at least 2 + 4 + dim bytes: a count the file cannot hold is corrupt.
        if count > bytes.len() / (6 + dim) {
            return Err(bad(&format!("is truncated ({count} words announced)")));
        }
        let mut vectors = WordVectors::empty(name, &crate::io::sha256_hex(bytes), dim);
        let mut words = Vec::with_capacity(count);
        for _ in 0..count {
            let len = reader.u16().ok_or_else(|| bad("is truncated (words)"))? as usize;
            let word = reader
                .take(len)
                .ok_or_else(|| bad("is truncated (words)"))?;
            let word =
                std::str::from_utf8(word).map_err(|_| bad("holds a word that is not UTF-8"))?;
            if word.is_empty() || word.contains('\n') {
                return Err(bad("holds an empty word or one with a line break"));
            }
            words.push(word);
        }
        let scales = reader
            .take(4 * count)
            .ok_or_else(|| bad("is truncated (scales)"))?;
        let codes = reader
            .take(dim * count)
            .ok_or_else(|| bad("is truncated (codes)"))?;
        if reader.at != bytes.len() {
            return Err(bad("has trailing bytes"));
        }
        for (i, word) in words.into_iter().enumerate() {
            if vectors.index.contains_key(word) {
                return Err(bad(&format!("lists the word {word:?} twice")));
            }
            let scale = f32::from_le_bytes(scales[4 * i..4 * i + 4].try_into().unwrap_or_default());
            if !scale.is_finite() {
                return Err(bad(&format!(
                    "has a scale for {word:?} that is not a number"
                )));
            }
            vectors.push(
                word,
                scale,
                codes[i * dim..(i + 1) * dim].iter().map(|&b| b as i8),
            );
        }
        Ok(vectors)
    }

    /// Reads the text format: `word v1 … vd` per line, after an optional `count dim` header.
    /// Reading stops after `max_words` distinct words, the most frequent in the usual files.
    pub fn from_text(
        name: &str,
        sha256: &str,
        input: impl BufRead,
        max_words: usize,
    ) -> Result<Self> {
        let mut words = Vec::new();
        let mut values = Vec::new();
        let mut dim = None;
        let mut line = String::new();
        let mut input = input;
        let mut number = 0;
        while words.len() < max_words {
            line.clear();
            let n = input.read_line(&mut line).map_err(|e| Error::io(name, e))?;
            if n == 0 {
                break;
            }
            number += 1;
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            let at = |message: String| Error::input(name, number, message);
            if number == 1 && fields.len() == 2 && fields.iter().all(|f| f.parse::<u64>().is_ok()) {
                let d: usize = fields[1].parse().map_err(|_| at("bad header".into()))?;
                if d == 0 || d > MAX_DIM {
                    return Err(at(format!(
                        "header gives dimension {d} (1 to {MAX_DIM} expected)"
                    )));
                }
                dim = Some(d);
                continue;
            }
            let d = *dim.get_or_insert(fields.len() - 1);
            if d == 0 || d > MAX_DIM {
                return Err(at(format!(
                    "a word with {d} numbers (1 to {MAX_DIM} expected)"
                )));
            }
            if fields.len() - 1 != d {
                return Err(at(format!(
                    "{} numbers after {:?}; the vectors have dimension {d}",
                    fields.len() - 1,
                    fields[0]
                )));
            }
            for field in &fields[1..] {
                let v: f32 = field
                    .parse()
                    .map_err(|_| at(format!("{field:?} is not a number")))?;
                if !v.is_finite() {
                    return Err(at(format!("{field:?} is not a finite number")));
                }
                values.push(v);
            }
            words.push(fields[0].to_string());
        }
        let dim = dim
            .filter(|_| !words.is_empty())
            .ok_or_else(|| Error::file(name, "holds no word vectors"))?;
        Ok(WordVectors::quantize(name, sha256, dim, &words, &values))
    }

    /// Reads either format, telling them apart by the compact file's magic bytes.
    pub fn read(path: &Path, max_words: usize) -> Result<Self> {
        if path.is_dir() {
            return Err(Error::file(path, "is a directory, not a word vectors file"));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        let mut vectors = if bytes.starts_with(MAGIC) {
            WordVectors::from_compact(&name, &bytes)?
        } else {
            let sha256 = crate::io::sha256_hex(&bytes);
            WordVectors::from_text(&name, &sha256, bytes.as_slice(), max_words)?
        };
        vectors.truncate(max_words);
        Ok(vectors)
    }

    /// The bundled GloVe 6B 50d vectors (models/glove-6b-50d.vectors), embedded at build time.
    pub fn bundled() -> Option<Self> {
        #[cfg(has_bundled_vectors)]
        {
            let bytes = include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/models/glove-6b-50d.vectors"
            ));
            WordVectors::from_compact(BUNDLED_NAME, bytes).ok()
        }
        #[cfg(not(has_bundled_vectors))]
        {
            None
        }
    }
}

/// The origin recorded for the bundled vectors.
pub const BUNDLED_NAME: &str = "models/glove-6b-50d.vectors (bundled)";

/// A cursor over bytes that answers `None` past the end instead of panicking.
struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
}

/// `sum += codes × scale`, element by element. Scoring adds a vector per word, the pooling's
/// costliest step.
#[inline(always)]
fn add_scaled(sum: &mut [f32], codes: &[i8], scale: f32) {
    for (s, &c) in sum.iter_mut().zip(codes) {
        *s += c as f32 * scale;
    }
}

/// `add_scaled` compiled for AVX2, eight values at a time: the same multiplications and
/// additions in the same order (AVX2 brings no fused multiply-add), so the same sums, bit for
/// bit, as on any other processor.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn add_scaled_avx2(sum: &mut [f32], codes: &[i8], scale: f32) {
    add_scaled(sum, codes, scale);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_avx2_sum_is_the_plain_sum_bit_for_bit() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return; // nothing to compare on this processor
        }
        // Codes over the whole i8 range, odd lengths (a tail after the eight-wide steps), and
        // scales whose products round.
        for dim in [1, 7, 50, 53, 300] {
            let codes: Vec<i8> = (0..dim).map(|i| (i * 37 % 256) as u8 as i8).collect();
            for scale in [0.0123f32, 1.0 / 3.0, 7.77e-3] {
                let start: Vec<f32> = (0..dim).map(|i| (i as f32).sin() * 0.1).collect();
                let (mut plain, mut wide) = (start.clone(), start);
                add_scaled(&mut plain, &codes, scale);
                // SAFETY: AVX2 is present, as checked above.
                unsafe { add_scaled_avx2(&mut wide, &codes, scale) };
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&plain), bits(&wide), "dim {dim}, scale {scale}");
            }
        }
    }

    fn text(content: &str) -> Result<WordVectors> {
        WordVectors::from_text("v.txt", "0", content.as_bytes(), 100)
    }

    #[test]
    fn text_format_with_and_without_header() {
        let plain = text("good 1 0.5\nbad -1 0\n").unwrap();
        let headed = text("2 2\ngood 1 0.5\nbad -1 0\n").unwrap();
        assert_eq!(plain.words().collect::<Vec<_>>(), ["good", "bad"]);
        assert_eq!(plain.codes, headed.codes);
        assert_eq!(plain.dim, 2);
        let good = plain.get("good").unwrap();
        assert!((plain.value(good, 0) - 1.0).abs() < 1e-6);
        assert!((plain.value(good, 1) - 0.5).abs() < 0.01);
    }

    #[test]
    fn words_are_folded_and_the_first_of_a_repeat_wins() {
        let v = text("Kremlin 1 0\nkremlin 0 1\n").unwrap();
        assert_eq!(v.len(), 1);
        assert!((v.value(v.get("kremlin").unwrap(), 0) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn bad_text_files_name_the_line_and_the_problem() {
        let cases = [
            (
                "a 1 2\nb 1\n",
                "v.txt:2: 1 numbers after \"b\"; the vectors have dimension 2",
            ),
            ("a 1 2\nb 1 x\n", "v.txt:2: \"x\" is not a number"),
            ("a 1 NaN\n", "v.txt:1: \"NaN\" is not a finite number"),
            ("a 1 inf\n", "v.txt:1: \"inf\" is not a finite number"),
            (
                "3 2\na 1 2 3\n",
                "v.txt:2: 3 numbers after \"a\"; the vectors have dimension 2",
            ),
            ("\n\n", "v.txt: holds no word vectors"),
            ("lonely\n", "v.txt:1: a word with 0 numbers"),
        ];
        for (content, message) in cases {
            let error = text(content).unwrap_err().to_string();
            assert!(error.starts_with(message), "{content:?}: {error}");
        }
    }

    #[test]
    fn compact_round_trip_and_corruption() {
        let v = text("russia 0.25 -1 0.5\ncondemned -0.5 0.125 1\n").unwrap();
        let bytes = v.to_compact();
        let back = WordVectors::from_compact("v.vectors", &bytes).unwrap();
        assert_eq!(back.words, v.words);
        assert_eq!(back.codes, v.codes);
        assert_eq!(back.scales, v.scales);
        for cut in [0, 7, 12, 20, 30, bytes.len() - 1] {
            assert!(
                WordVectors::from_compact("v", &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(WordVectors::from_compact("v", &longer)
            .unwrap_err()
            .to_string()
            .contains("trailing"));
    }

    #[test]
    fn truncate_keeps_the_first_words() {
        let mut v = text("a 1\nb 2\nc 3\n").unwrap();
        v.truncate(2);
        assert_eq!(v.words().collect::<Vec<_>>(), ["a", "b"]);
        assert!(v.get("c").is_none());
        assert_eq!(v.codes.len(), 2);
        assert!(v.check().is_ok());
    }
}
