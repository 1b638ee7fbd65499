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

/// An id or row not asked for yet (ids and rows stay far below it).
const NOT_ASKED: u32 = u32::MAX - 1;

/// A cached word: its stem, its facts, its stem's id in the cache's numbering and its row in the
/// cache's vectors, once asked for. Kept small (32 bytes): scoring looks a word up for every
/// token, and the fewer cache lines the table spans, the fewer of those look-ups wait on memory.
pub struct CachedWord {
    pub stem: Box<str>,
    pub facts: WordFacts,
    id: u32,
    vector: u32,
}

impl CachedWord {
    /// The raw word's row in `rows`' vectors, looked up the first time it is asked for.
    pub fn vector_row(&mut self, rows: &VectorRows, raw: &str) -> u32 {
        if self.vector == NOT_ASKED {
            self.vector = (rows.row_of)(raw);
        }
        self.vector
    }

    /// The stem's id in `ids`' numbering, computed the first time it is asked for.
    pub fn id(&mut self, ids: &TermIds) -> u32 {
        if self.id == NOT_ASKED {
            self.id = (ids.id_of)(&self.stem);
        }
        self.id
    }
}

/// Stems and facts of raw words seen with one `Scratch`, keyed by language tag + raw word: short
/// words by `short_key`, longer ones (rare) by their text. Cleared when it grows past `LIMIT`,
/// so that memory stays bounded on any input. The ids and rows it holds are those of one
/// numbering and one set of vectors (`use_numbering`).
#[derive(Default)]
pub struct WordCache {
    short: FxHashMap<u128, CachedWord>,
    long: FxHashMap<Box<str>, CachedWord>,
    /// Fingerprints of the numbering and the vectors whose ids and rows the words hold.
    numbering: (Option<u64>, Option<u64>),
}

const LIMIT: usize = 200_000;

impl WordCache {
    /// Makes the cached ids and rows those of `ids` and `vectors`: when either differs from the
    /// last asked for (another model scoring with this cache), they are forgotten.
    pub fn use_numbering(&mut self, ids: Option<&TermIds>, vectors: Option<&VectorRows>) {
        let numbering = (ids.map(|i| i.fingerprint), vectors.map(|v| v.fingerprint));
        if numbering != self.numbering {
            self.numbering = numbering;
            for word in self.short.values_mut().chain(self.long.values_mut()) {
                word.id = NOT_ASKED;
                word.vector = NOT_ASKED;
            }
        }
    }

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
                id: NOT_ASKED,
                vector: NOT_ASKED,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_word_is_small() {
        assert_eq!(std::mem::size_of::<CachedWord>(), 32);
    }

    #[test]
    fn ids_and_rows_follow_the_numbering_asked_for() {
        let first = |_: &str| 1;
        let second = |_: &str| 2;
        let ids = |fingerprint, id_of| TermIds { fingerprint, id_of };
        let rows = |fingerprint, row_of| VectorRows {
            fingerprint,
            row_of,
        };
        let mut cache = WordCache::default();
        let stem = |out: &mut String| out.push_str("war");
        cache.use_numbering(Some(&ids(1, &first)), Some(&rows(1, &first)));
        let word = cache.get(0, "wars", stem);
        assert_eq!(word.id(&ids(1, &first)), 1);
        assert_eq!(word.vector_row(&rows(1, &first), "wars"), 1);
        // The same numbering: memoized, not asked again.
        cache.use_numbering(Some(&ids(1, &second)), Some(&rows(1, &second)));
        let word = cache.get(0, "wars", stem);
        assert_eq!(word.id(&ids(1, &second)), 1);
        assert_eq!(word.vector_row(&rows(1, &second), "wars"), 1);
        // Another numbering and other vectors: asked again.
        cache.use_numbering(Some(&ids(2, &second)), Some(&rows(2, &second)));
        let word = cache.get(0, "wars", stem);
        assert_eq!(word.id(&ids(2, &second)), 2);
        assert_eq!(word.vector_row(&rows(2, &second), "wars"), 2);
    }
}
