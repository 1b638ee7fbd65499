//! What the analyzer asks of each word — its stem, lexicon valence, and whether it is a function
//! word, a clause opener, a negation cue or a speaker cue — answered once per distinct word in
//! the caller's `Scratch`: news vocabulary repeats, so most words cost one hash look-up instead
//! of six.

use rustc_hash::FxHashMap;

use super::short_key::short_key_of_bytes;
use super::{lexicon, marks, roles};

/// The facts of a raw word that do not depend on where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordFacts {
    /// Lexicon valence in tenths (0: not a lexicon word), of the word without a possessive "'s".
    pub valence: i8,
    pub function_word: bool,
    pub opens_clause: bool,
    pub negation: bool,
    /// `roles::role_cues`: a verb of saying, a word that may stand between a speaker and its
    /// verb, "according", a hostile word, a dismissal.
    pub role_cues: u8,
}

impl WordFacts {
    pub fn of(raw: &str) -> Self {
        WordFacts {
            valence: lexicon::valence(raw.strip_suffix("'s").unwrap_or(raw)),
            function_word: roles::is_function_word(raw),
            opens_clause: marks::opens_clause(raw),
            negation: marks::is_negation(raw),
            role_cues: roles::role_cues(raw),
        }
    }
}

/// Ids of terms in a caller's numbering (a model's term table, see `feature_keys`), memoized
/// with each word's facts: `fingerprint` tells numberings apart, `id_of` gives the
/// id of a term's text.
pub struct TermIds<'a> {
    pub fingerprint: u64,
    pub id_of: &'a dyn Fn(&str) -> u32,
}

/// Rows of raw words in a set of word vectors, memoized like `TermIds`: `fingerprint` tells
/// vector sets apart, `row_of` gives a raw word's row (`NO_ROW`: none).
pub struct VectorRows<'a> {
    pub fingerprint: u64,
    pub row_of: &'a dyn Fn(&str) -> u32,
}

/// A word that has no vector.
pub const NO_ROW: u32 = u32::MAX;

/// A cached word: its stem, its facts, its stem's id in the last numbering asked for, and its
/// row in the last vectors asked for.
pub struct CachedWord {
    pub stem: Box<str>,
    pub facts: WordFacts,
    /// (fingerprint of the numbering, id), once asked for.
    id: Option<(u64, u32)>,
    /// (fingerprint of the vectors, row), once asked for.
    vector: Option<(u64, u32)>,
}

impl CachedWord {
    /// The raw word's row in `rows`' vectors, looked up the first time it is asked for there.
    pub fn vector_row(&mut self, rows: &VectorRows, raw: &str) -> u32 {
        match self.vector {
            Some((fingerprint, row)) if fingerprint == rows.fingerprint => row,
            _ => self.vector.insert((rows.fingerprint, (rows.row_of)(raw))).1,
        }
    }

    /// The stem's id in `ids`' numbering, computed the first time it is asked for there.
    pub fn id(&mut self, ids: &TermIds) -> u32 {
        match self.id {
            Some((fingerprint, id)) if fingerprint == ids.fingerprint => id,
            _ => self.id.insert((ids.fingerprint, (ids.id_of)(&self.stem))).1,
        }
    }
}

/// Stems and facts of raw words seen with one `Scratch`, keyed by language tag + raw word: short
/// words by `short_key`, longer ones (rare) by their text. Cleared when it grows past `LIMIT`,
/// so that memory stays bounded on any input.
#[derive(Default)]
pub struct WordCache {
    short: FxHashMap<u128, CachedWord>,
    long: FxHashMap<Box<str>, CachedWord>,
}

const LIMIT: usize = 200_000;

impl WordCache {
    /// The cached word `raw` in `language` (a tag): its stem computed by `stem` and its facts by
    /// `WordFacts::of(raw)` the first time.
    pub fn get(
        &mut self,
        language: u8,
        raw: &str,
        stem: impl FnOnce(&mut String),
    ) -> &mut CachedWord {
        if self.short.len() + self.long.len() >= LIMIT {
            self.short.clear();
            self.long.clear();
        }
        let new = || {
            let mut text = String::new();
            stem(&mut text);
            CachedWord {
                stem: text.into(),
                facts: WordFacts::of(raw),
                id: None,
                vector: None,
            }
        };
        match short_key_of_bytes(language, raw.as_bytes()) {
            Some(key) => self.short.entry(key).or_insert_with(new),
            None => {
                let key = format!("{}{raw}", char::from(language + b'A'));
                self.long.entry(key.into()).or_insert_with(new)
            }
        }
    }
}
