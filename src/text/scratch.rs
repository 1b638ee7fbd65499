//! The buffers and word cache that analysis reuses from statement to statement. The caller owns
//! one per thread (a scorer's `ScoreState`, a training worker's), so the library keeps no state
//! of its own.

use super::roles;
use super::stem::Language;
use super::tokenize::Token;
use super::word_facts::WordCache;
use crate::folding::SortedSpans;

/// One thread's analysis buffers; its word cache is what makes analysis fast, so keep one
/// `Scratch` for many statements rather than making one per statement.
#[derive(Default)]
pub struct Scratch {
    pub(super) words: WordCache,
    /// A word being normalized before stemming.
    pub(super) word: String,
    pub(super) tokens: Vec<Token>,
    /// The statement `tokens` are of, and its language once detected: the rows of one
    /// statement toward several targets tokenize it and detect its language once.
    pub(super) tokenized: String,
    pub(super) detected: Option<Language>,
    /// The target's and the other parties' mentions, sorted.
    pub(super) spans: (SortedSpans, SortedSpans),
    pub(super) features: FeatureScratch,
}

/// What turning terms into features reuses.
#[derive(Default)]
pub(super) struct FeatureScratch {
    /// The text of the feature being emitted.
    pub(super) text: String,
    pub(super) marks: MarkScratch,
}

/// What the features marked by where a term stands toward the target reuse.
#[derive(Default)]
pub(super) struct MarkScratch {
    /// Each term's distance to the nearest target mention (see `nearest_mentions`).
    pub(super) nearest: Vec<(usize, bool)>,
    pub(super) roles: roles::Scratch,
}
