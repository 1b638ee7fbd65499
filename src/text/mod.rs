//! The analyzer: a statement's text to the features the vocabulary knows, one way along this
//! path:
//!
//! - **token** (`tokenize.rs`): words, hashtags, @mentions, URLs and numbers, with their spans;
//! - **term** (`push_terms.rs`, into the arena of `terms.rs`): a word folded and stemmed, its
//!   facts memoized (`word_facts.rs`, `lexicon.rs`, `marks.rs`, `roles.rs`), each mention of the
//!   target or of another party one placeholder term;
//! - **feature** (`term_features.rs`): the terms' features, each of a `Family` whose prefix marks
//!   its text (`family.rs`); what the analyzer makes is set by `AnalyzerConfig` (`config.rs`).
//!
//! Feature families:
//! - word n-grams over the terms (`sanction`, `accus <target>`);
//! - target context: terms by side and distance band from a target mention (`L1:accus`, `R2:war`);
//! - target clause: terms in the clause that holds a mention (`C:condemn`);
//! - negation scope: terms after a negation cue up to the clause end (`N:condemn`);
//! - target roles: nearest content words, nearest entity, clause position (`RN:`, `O:`, `P:`);
//! - sentiment lexicon: the sign of each lexicon word's valence, negation-aware (`V:neg`), and
//!   again by the side of the target it stands on, within the context window (`V:L-neg`);
//! - target words: the words of the target's own mentions, hidden behind `<target>` (`M:trump`);
//! - character n-grams of each term, padded by spaces (`c: ka`), as their own block.

mod analyzer;
mod config;
mod family;
mod lexicon;
mod marks;
mod push_terms;
mod roles;
mod scratch;
pub mod short_key;
pub mod stem;
mod term_features;
mod terms;
pub mod tokenize;
mod word_facts;

pub use analyzer::{Analyzer, MentionSpans};
pub use config::AnalyzerConfig;
pub use family::{
    Family, CHAR_BLOCK, CHAR_NGRAM_PREFIX, CONTEXT_BLOCK, TARGET_WORD_PREFIX, WORD_BLOCK,
};
pub use lexicon::fingerprint as lexicon_fingerprint;
pub use scratch::Scratch;
pub use stem::Language;
pub use term_features::Feature;
pub use terms::{Term, Terms, VectorWord, NUMBER, OTHER_PARTY, TARGET, URL};
pub use word_facts::{TermIds, VectorRows, NO_ROW};
