//! What the analyzer does, as data: which features it makes and with which language. Saved in
//! every model, so a model scores with the analysis it was trained with.

use serde::{Deserialize, Serialize};

use super::stem::Language;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzerConfig {
    pub language: Language,
    /// Word n-grams from 1 up to this length.
    pub ngram_max: usize,
    /// Replace the target's mentions by one placeholder token.
    pub target_placeholder: bool,
    /// Replace other registered parties' mentions by `<party>`.
    pub other_parties: bool,
    /// Terms up to this distance from a target mention get context features (0: off).
    pub context_window: usize,
    /// Features for the terms of the clause that holds a target mention.
    pub clause: bool,
    /// Features for terms inside a negation's scope.
    pub negation: bool,
    /// Character n-grams of terms, from this length to `char_max` (0: off).
    pub char_min: usize,
    pub char_max: usize,
    /// Role features of the target: nearest content words, nearest entity, clause position.
    pub roles: bool,
    /// Sentiment-lexicon features: the sign of each lexicon word's valence, flipped in a
    /// negation's scope (`V:pos`, `V:neg`; see `lexicon`).
    pub lexicon: bool,
    /// With `lexicon`: the same signs again by the side of the target they stand on, for the
    /// words within `context_window` of a mention (`V:L-pos`, `V:R-neg`): "X condemned Y"
    /// leans against Y, not X.
    pub lexicon_sides: bool,
    /// The words of the target's own mentions as features (`M:presid`, `M:trump`): who or what
    /// the target is (a person with a record, a place, a pronoun) moves its prior, and the
    /// placeholder hides it.
    pub target_words: bool,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            language: Language::English,
            ngram_max: 2,
            target_placeholder: true,
            other_parties: true,
            context_window: 6,
            clause: true,
            negation: true,
            char_min: 0,
            char_max: 0,
            roles: true,
            lexicon: true,
            lexicon_sides: true,
            target_words: true,
        }
    }
}

impl AnalyzerConfig {
    /// Only the word n-grams and the target placeholder: the plain bag of words.
    pub fn plain() -> Self {
        AnalyzerConfig {
            other_parties: false,
            context_window: 0,
            clause: false,
            negation: false,
            roles: false,
            lexicon: false,
            lexicon_sides: false,
            target_words: false,
            ..AnalyzerConfig::default()
        }
    }
}
