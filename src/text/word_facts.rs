//! What the analyzer asks of each word — its stem, lexicon valence, and whether it is a function
//! word, a clause opener or a negation cue — answered once per distinct word and thread: news
//! vocabulary repeats, so most words cost one hash look-up instead of five.

use rustc_hash::FxHashMap;

use super::{lexicon, marks, roles};

/// The facts of a raw word that do not depend on where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordFacts {
    /// Lexicon valence in tenths (0: not a lexicon word), of the word without a possessive "'s".
    pub valence: i8,
    pub function_word: bool,
    pub opens_clause: bool,
    pub negation: bool,
}

impl WordFacts {
    pub fn of(raw: &str) -> Self {
        WordFacts {
            valence: lexicon::valence(raw.strip_suffix("'s").unwrap_or(raw)),
            function_word: roles::is_function_word(raw),
            opens_clause: marks::opens_clause(raw),
            negation: marks::is_negation(raw),
        }
    }
}

/// Stems and facts of short raw words, by `short_key` (language tag + raw bytes). Cleared when
/// it grows past `LIMIT`, so that memory stays bounded on any input.
#[derive(Default)]
pub struct WordCache {
    words: FxHashMap<u128, (Box<str>, WordFacts)>,
}

const LIMIT: usize = 200_000;

impl WordCache {
    /// The stem and facts of the word with `key`, computed by `stem` and `WordFacts::of(raw)`
    /// the first time.
    pub fn get(
        &mut self,
        key: u128,
        raw: &str,
        stem: impl FnOnce(&mut String),
    ) -> (&str, WordFacts) {
        if self.words.len() >= LIMIT {
            self.words.clear();
        }
        let (stem_text, facts) = self.words.entry(key).or_insert_with(|| {
            let mut text = String::new();
            stem(&mut text);
            (text.into(), WordFacts::of(raw))
        });
        (stem_text, *facts)
    }
}
