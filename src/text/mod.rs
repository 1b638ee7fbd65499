//! The analyzer: tokenize → normalize → stem → mark the target → features.
//!
//! Read top to bottom, `terms` is the pipeline for one statement and `for_each_feature` turns its
//! terms into the feature strings the vocabulary knows. Feature families:
//! - word n-grams over the terms (`sanction`, `accus <target>`);
//! - target context: terms by side and distance band from a target mention (`L1:accus`, `R3:war`);
//! - target clause: terms in the clause that holds a mention (`C:condemn`);
//! - negation scope: terms after a negation cue up to the clause end (`N:condemn`);
//! - target roles: nearest content words, nearest entity, clause position (`RN:`, `O:`, `P:`);
//! - sentiment lexicon: the sign of each lexicon word's valence, negation-aware (`V:neg`), and
//!   again by the side of the target it stands on, within the context window (`V:L-neg`);
//! - target words: the words of the target's own mentions, hidden behind `<target>` (`M:trump`);
//! - character n-grams of each term, padded by spaces (`c: ka`), as their own block.

mod lexicon;
mod marks;
mod roles;
pub mod short_key;
pub mod stem;
pub mod tokenize;
mod word_facts;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

use crate::folding::{fold_into, SortedSpans};
pub use stem::Language;
use tokenize::{tokenize_into, Kind, Token};
pub use word_facts::{TermIds, VectorRows, NO_ROW};
use word_facts::{WordCache, WordFacts};

/// Stands for every mention of the target, so that "Kyiv" and "Moscow" in one sentence give
/// different features toward Ukraine and toward Russia.
pub const TARGET: &str = "<target>";
/// Stands for mentions of registered parties other than the target.
pub const OTHER_PARTY: &str = "<party>";
pub const NUMBER: &str = "<num>";
pub const URL: &str = "<url>";

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

/// A normalized token: where its text sits in `Terms`, and the code-point span of the words it
/// came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    text_start: u32,
    text_end: u32,
    pub start: usize,
    pub end: usize,
    /// Index of the clause it stands in (clauses end at , ; : . ! ? and before "but", "while"…).
    pub clause: u32,
    /// Whether a negation cue earlier in the same clause governs it.
    pub negated: bool,
    /// Whether it stands for a mention of the target.
    pub is_target: bool,
    /// Surface cues for the role features (bits `roles::CAPITAL`, `roles::FUNCTION`,
    /// `roles::OTHER_PARTY_MENTION`).
    pub flags: u8,
    /// Lexicon valence of the word in tenths (0: not a lexicon word, or the lexicon is off).
    pub valence: i8,
}

/// A statement's terms, their texts packed in one buffer, so that analyzing a statement into a
/// reused `Terms` allocates nothing per token.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    arena: String,
    items: Vec<Term>,
    /// Each term's id when the terms were made with `TermIds` (else empty).
    ids: Vec<u32>,
    /// Where the words of the target's mentions (stemmed) sit in `arena`, with `target_words`.
    target_words: Vec<(u32, u32)>,
    /// With `VectorRows`: the words that have a vector, and the target's mention words.
    vector_words: Vec<VectorWord>,
}

/// A word token for the dense block (see `pooling`): its vector row (`NO_ROW` for a mention
/// word without one), its position among the statement's tokens, and whether it is in a
/// mention of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VectorWord {
    pub row: u32,
    pub token: u32,
    pub mention: bool,
}

impl Terms {
    pub fn clear(&mut self) {
        self.arena.clear();
        self.items.clear();
        self.ids.clear();
        self.target_words.clear();
        self.vector_words.clear();
    }

    /// The words with a vector row and the mention words, when made with `VectorRows`.
    pub fn vector_words(&self) -> &[VectorWord] {
        &self.vector_words
    }

    /// Each term's id in the numbering given to `Analyzer::terms_with_ids_into`; empty
    /// otherwise.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, i: usize) -> &Term {
        &self.items[i]
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Term> {
        self.items.iter()
    }

    /// The words of the target's mentions, normalized like terms (with `target_words`).
    pub fn target_words(&self) -> impl Iterator<Item = &str> {
        self.target_words
            .iter()
            .map(|&(start, end)| &self.arena[start as usize..end as usize])
    }

    /// The normalized text of term `i`.
    pub fn text(&self, i: usize) -> &str {
        let t = &self.items[i];
        &self.arena[t.text_start as usize..t.text_end as usize]
    }

    /// With `ids`, the id of the term just pushed: memoized in its cached word, if any.
    fn push_id(&mut self, ids: Option<&TermIds>, word: Option<&mut word_facts::CachedWord>) {
        let Some(ids) = ids else {
            return;
        };
        let id = match word {
            Some(word) => word.id(ids),
            None => (ids.id_of)(self.text(self.len() - 1)),
        };
        self.ids.push(id);
    }

    fn push(
        &mut self,
        write: impl FnOnce(&mut String),
        (start, end): (usize, usize),
        clause: u32,
        negated: bool,
        (flags, valence): (u8, i8),
        is_target: bool,
    ) {
        let text_start = self.arena.len() as u32;
        write(&mut self.arena);
        let text_end = self.arena.len() as u32;
        self.items.push(Term {
            text_start,
            text_end,
            start,
            end,
            clause,
            negated,
            is_target,
            flags,
            valence,
        });
    }
}

thread_local! {
    static WORD: RefCell<String> = const { RefCell::new(String::new()) };
    static WORDS: RefCell<WordCache> = RefCell::new(WordCache::default());
    static TOKENS: RefCell<Vec<Token>> = const { RefCell::new(Vec::new()) };
    static SPANS: RefCell<(SortedSpans, SortedSpans)> = RefCell::new(Default::default());
}
pub struct Analyzer {
    config: AnalyzerConfig,
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    pub fn new(config: AnalyzerConfig) -> Self {
        let stemmer = stem::stemmer(config.language);
        Analyzer { config, stemmer }
    }

    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// The statement's terms; tokens inside a target span collapse into one `<target>` term,
    /// and, when enabled, tokens inside `other_spans` (other parties) into one `<party>` term.
    pub fn terms(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
    ) -> Terms {
        let mut terms = Terms::default();
        self.terms_into(text, target_spans, other_spans, &mut terms);
        terms
    }

    /// `terms`, written into a reused buffer.
    pub fn terms_into(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
        terms: &mut Terms,
    ) {
        self.terms_with_ids_into(text, target_spans, other_spans, (None, None), terms)
    }

    /// `terms_into`, and with `ids`, each term's id in that numbering too (`Terms::ids`), with
    /// `vectors`, the words' vector rows for the dense block (`Terms::vector_words`): both are
    /// memoized with the word's facts, so scoring looks up neither a term nor a word.
    pub fn terms_with_ids_into(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
        (ids, vectors): (Option<&TermIds>, Option<&VectorRows>),
        terms: &mut Terms,
    ) {
        terms.clear();
        SPANS.with_borrow_mut(|(sorted_targets, sorted_others)| {
            sorted_targets.refill(target_spans);
            sorted_others.refill(other_spans);
            TOKENS.with_borrow_mut(|tokens| {
                tokenize_into(text, tokens);
                self.push_terms(
                    text,
                    tokens,
                    (sorted_targets, sorted_others),
                    (ids, vectors),
                    terms,
                )
            })
        })
    }

    fn push_terms(
        &self,
        text: &str,
        tokens: &[Token],
        (target_spans, other_spans): (&SortedSpans, &SortedSpans),
        (ids, vectors): (Option<&TermIds>, Option<&VectorRows>),
        terms: &mut Terms,
    ) {
        WORDS.with_borrow_mut(|words| {
            let mut open_span: Option<(usize, usize)> = None;
            let mut clause = 0;
            let mut previous_end_byte = 0;
            let mut negated = false;
            for (position, &token) in tokens.iter().enumerate() {
                let raw = &text[token.byte_start..token.byte_end];
                let between = &text[previous_end_byte..token.byte_start];
                // Words come with their stem and facts from this thread's cache.
                let (mut cached, facts) = match token.kind {
                    Kind::Word => {
                        let language = self.config.language as u8;
                        let word = words.get(language, raw, |out| self.normalize_word(raw, out));
                        let facts = word.facts;
                        (Some(word), facts)
                    }
                    _ => (
                        None,
                        WordFacts {
                            valence: 0,
                            function_word: roles::is_function_word(raw),
                            opens_clause: marks::opens_clause(raw),
                            negation: false,
                        },
                    ),
                };
                let flags = if self.config.roles {
                    roles::flags(raw, between, previous_end_byte == 0, facts.function_word)
                } else {
                    0
                };
                if marks::ends_clause(between) || facts.opens_clause {
                    clause += 1;
                    negated = false;
                }
                previous_end_byte = token.byte_end;
                let overlaps = |spans: &SortedSpans| spans.overlapping(token.start, token.end);
                if let Some(vectors) = vectors {
                    let row = match (&mut cached, token.kind) {
                        (Some(word), _) => word.vector_row(vectors, raw),
                        (None, Kind::Hashtag) => (vectors.row_of)(&raw[1..]),
                        _ => NO_ROW,
                    };
                    let mention = overlaps(target_spans).is_some();
                    // A negated word's vector says the opposite of what the clause says ("did
                    // not condemn"): pooled, it would pull toward what is denied.
                    let denied = negated && !mention && self.config.negation;
                    if !denied && (row != NO_ROW || (mention && token.kind == Kind::Word)) {
                        terms.vector_words.push(VectorWord {
                            row,
                            token: position as u32,
                            mention,
                        });
                    }
                }
                let placeholder = if self.config.target_placeholder {
                    overlaps(target_spans).map(|span| (span, TARGET, true))
                } else {
                    None
                }
                .or_else(|| {
                    self.config
                        .other_parties
                        .then(|| overlaps(other_spans).map(|span| (span, OTHER_PARTY, false)))
                        .flatten()
                });
                if let (Some((_, _, true)), Some(word)) = (placeholder, &cached) {
                    if self.config.target_words {
                        let start = terms.arena.len() as u32;
                        terms.arena.push_str(&word.stem);
                        terms.target_words.push((start, terms.arena.len() as u32));
                    }
                }
                if let Some((span, name, is_target)) = placeholder {
                    match terms.items.last_mut() {
                        Some(last) if open_span == Some(span) => last.end = token.end,
                        _ => {
                            terms.push(
                                |a| a.push_str(name),
                                (token.start, token.end),
                                clause,
                                negated,
                                (
                                    if is_target {
                                        0
                                    } else {
                                        roles::OTHER_PARTY_MENTION
                                    },
                                    0,
                                ),
                                is_target,
                            );
                            terms.push_id(ids, None);
                            open_span = Some(span);
                        }
                    }
                    continue;
                }
                open_span = None;
                let write = |arena: &mut String| match token.kind {
                    Kind::Url => arena.push_str(URL),
                    Kind::Number => arena.push_str(NUMBER),
                    Kind::Hashtag | Kind::Mention => fold_into(raw, arena),
                    Kind::Word => {
                        if let Some(word) = &cached {
                            arena.push_str(&word.stem);
                        }
                    }
                };
                let valence = match token.kind {
                    _ if !self.config.lexicon => 0,
                    Kind::Word => facts.valence,
                    Kind::Hashtag => lexicon::valence(&raw[1..]),
                    _ => 0,
                };
                // Words never hold '<': only the placeholder above stands for the target.
                terms.push(
                    write,
                    (token.start, token.end),
                    clause,
                    negated,
                    (flags, valence),
                    false,
                );
                terms.push_id(ids, cached);
                negated |= token.kind == Kind::Word && facts.negation;
            }
        })
    }

    /// Lowercase, drop a possessive "'s", then stem; appends the result to `out`.
    fn normalize_word(&self, raw: &str, out: &mut String) {
        WORD.with_borrow_mut(|word| {
            word.clear();
            fold_into(raw, word);
            if word.ends_with("'s") {
                word.truncate(word.len() - 2);
            }
            match &self.stemmer {
                Some(stemmer) => out.push_str(&stemmer.stem(word)),
                None => out.push_str(word),
            }
        })
    }

    /// Calls `emit` for every word n-gram and marked term of the statement (character n-grams
    /// aside, see `for_each_char_ngram`), in a fixed order: n-grams, context, clause, negation.
    pub fn for_each_feature(&self, terms: &Terms, mut emit: impl FnMut(Feature)) {
        let count = terms.len();
        for first in 0..count {
            for n in 1..=self.config.ngram_max.min(count - first) {
                emit(Feature::new(Family::Ngram, first, n));
            }
        }
        self.for_each_marked_feature(terms, emit);
    }

    /// `for_each_feature` after the word n-grams: context, clause, negation, role and lexicon
    /// features, in that order.
    pub fn for_each_marked_feature(&self, terms: &Terms, mut emit: impl FnMut(Feature)) {
        let count = terms.len();
        let window = self.config.context_window;
        let targeted = window > 0 || self.config.clause || self.config.roles;
        if targeted && terms.iter().any(|t| t.is_target) {
            // Distance to the nearest mention, left or right, in two passes; and the clauses
            // that hold a mention.
            NEAREST.with_borrow_mut(|(nearest, scratch)| {
                nearest_mentions(terms, nearest);
                for (i, &(distance, left)) in nearest.iter().enumerate() {
                    if window > 0 && distance <= window {
                        emit(Feature::new(marks::context_family(left, distance), i, 1));
                    }
                }
                if self.config.roles {
                    roles::for_each_feature(terms, nearest, scratch, &mut emit);
                }
                if self.config.lexicon && self.config.lexicon_sides && window > 0 {
                    lexicon_side_features(terms, nearest, window, &mut emit);
                }
            });
            if self.config.clause {
                // Clause indices only grow along the terms, so the mentions' clauses come sorted.
                let mut target_clauses = terms.iter().filter(|t| t.is_target).map(|t| t.clause);
                let mut current = target_clauses.next();
                for (i, term) in terms.iter().enumerate() {
                    while current.is_some_and(|c| c < term.clause) {
                        current = target_clauses.next();
                    }
                    if !term.is_target && current == Some(term.clause) {
                        emit(Feature::new(Family::Clause, i, 1));
                    }
                }
            }
        }
        if self.config.negation {
            for i in (0..count).filter(|&i| terms.get(i).negated) {
                emit(Feature::new(Family::Negated, i, 1));
            }
        }
        if self.config.lexicon {
            lexicon_features(terms, &mut emit);
        }
    }

    /// Calls `emit(feature, term)` for every `M:` feature, the target's mention words, when
    /// enabled; `term` is the first mention. Looked up by text, like character n-grams: their
    /// words are not terms.
    pub fn for_each_target_word(&self, terms: &Terms, mut emit: impl FnMut(&str, usize)) {
        if terms.target_words.is_empty() {
            return;
        }
        let first = terms.iter().position(|t| t.is_target).unwrap_or(0);
        FEATURE.with_borrow_mut(|buffer| {
            for word in terms.target_words() {
                buffer.clear();
                buffer.push_str(TARGET_WORD_PREFIX);
                buffer.push_str(word);
                emit(buffer, first);
            }
        })
    }

    /// Calls `emit(ngram, term)` for every character n-gram of every term, when enabled.
    pub fn for_each_char_ngram(&self, terms: &Terms, mut emit: impl FnMut(&str, usize)) {
        let (min, max) = (self.config.char_min, self.config.char_max);
        if max == 0 {
            return;
        }
        FEATURE.with_borrow_mut(|buffer| {
            for i in 0..terms.len() {
                marks::char_ngrams(terms.text(i), min, max, buffer, |f| emit(f, i));
            }
        })
    }

    /// Calls `emit(feature, first_term, n)` with the text of every feature, character n-grams
    /// included: the form the vocabulary stores.
    pub fn for_each_feature_text(&self, terms: &Terms, mut emit: impl FnMut(&str, usize, usize)) {
        FEATURE.with_borrow_mut(|buffer| {
            self.for_each_feature(terms, |feature| {
                feature.write(terms, buffer);
                emit(buffer, feature.first, feature.n);
            })
        });
        self.for_each_target_word(terms, |f, i| emit(f, i, 1));
        self.for_each_char_ngram(terms, |f, i| emit(f, i, 1));
    }

    /// All features of one statement, as owned strings (training and tests).
    pub fn features(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
    ) -> Vec<String> {
        let terms = self.terms(text, target_spans, other_spans);
        let mut out = Vec::new();
        self.for_each_feature_text(&terms, |f, _, _| out.push(f.to_string()));
        out
    }
}

thread_local! {
    static FEATURE: RefCell<String> = const { RefCell::new(String::new()) };
    static NEAREST: RefCell<(Vec<(usize, bool)>, roles::Scratch)> =
        RefCell::new(Default::default());
}

/// For each term, the distance to the nearest target mention and whether the term is left of
/// it (`usize::MAX` without a mention on either side, and for the mentions themselves); on a
/// tie the mention on the left wins. One pass, between the mentions before and after each term.
fn nearest_mentions(terms: &Terms, nearest: &mut Vec<(usize, bool)>) {
    nearest.clear();
    let mut before: Option<usize> = None;
    let mut after = terms.iter().position(|t| t.is_target);
    for (i, term) in terms.iter().enumerate() {
        if term.is_target {
            nearest.push((usize::MAX, false));
            before = Some(i);
            after = terms.items[i + 1..]
                .iter()
                .position(|t| t.is_target)
                .map(|p| i + 1 + p);
            continue;
        }
        nearest.push(match (before, after) {
            (Some(b), Some(a)) if a - i < i - b => (a - i, true),
            (Some(b), _) => (i - b, false),
            (None, Some(a)) => (a - i, true),
            (None, None) => (usize::MAX, false),
        });
    }
}

/// `V:pos` / `V:neg` for every lexicon word, by the sign of its valence, flipped in a
/// negation's scope ("did not praise" leans negative). One shared pair of features: variants by
/// clause, distance or entity nearness, strength weighting and a summed valence were measured and
/// bought nothing more.
fn lexicon_features(terms: &Terms, emit: &mut impl FnMut(Feature)) {
    for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.valence != 0) {
        let family = if (term.valence > 0) != term.negated {
            Family::LexPos
        } else {
            Family::LexNeg
        };
        emit(Feature::new(family, i, 1));
    }
}

/// `V:L-pos` / `V:L-neg` (left of the target) and `V:R-pos` / `V:R-neg` (right of it) for every
/// lexicon word within `window` terms of a mention, signed as in `lexicon_features`. The shared
/// `V:` pair cannot tell "X condemned Y" toward X from toward Y; the side can.
fn lexicon_side_features(
    terms: &Terms,
    nearest: &[(usize, bool)],
    window: usize,
    emit: &mut impl FnMut(Feature),
) {
    for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.valence != 0) {
        let (distance, left) = nearest[i];
        if distance > window {
            continue;
        }
        let positive = (term.valence > 0) != term.negated;
        let family = match (left, positive) {
            (true, true) => Family::LexLeftPos,
            (true, false) => Family::LexLeftNeg,
            (false, true) => Family::LexRightPos,
            (false, false) => Family::LexRightNeg,
        };
        emit(Feature::new(family, i, 1));
    }
}

/// Prefix of the target-word features (`M:trump`).
pub const TARGET_WORD_PREFIX: &str = "M:";

/// What a feature is about: a word n-gram, or one term marked by where it stands toward the
/// target (side and distance band, clause) or by a negation's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Family {
    Ngram,
    Left1,
    Left2,
    Left4,
    Right1,
    Right2,
    Right4,
    Clause,
    Negated,
    NearestLeft,
    SecondLeft,
    NearestRight,
    SecondRight,
    NearerTarget,
    NearerOther,
    ClauseFirst,
    ClauseLater,
    SentenceFirst,
    LexPos,
    LexNeg,
    LexLeftPos,
    LexLeftNeg,
    LexRightPos,
    LexRightNeg,
    Speaker,
}

impl Family {
    pub const ALL: [Family; 25] = [
        Family::Ngram,
        Family::Left1,
        Family::Left2,
        Family::Left4,
        Family::Right1,
        Family::Right2,
        Family::Right4,
        Family::Clause,
        Family::Negated,
        Family::NearestLeft,
        Family::SecondLeft,
        Family::NearestRight,
        Family::SecondRight,
        Family::NearerTarget,
        Family::NearerOther,
        Family::ClauseFirst,
        Family::ClauseLater,
        Family::SentenceFirst,
        Family::LexPos,
        Family::LexNeg,
        Family::LexLeftPos,
        Family::LexLeftNeg,
        Family::LexRightPos,
        Family::LexRightNeg,
        Family::Speaker,
    ];

    /// The prefix of its features' text (`L1:accus`); n-grams have none.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Ngram => "",
            Family::Left1 => "L1:",
            Family::Left2 => "L2:",
            Family::Left4 => "L4:",
            Family::Right1 => "R1:",
            Family::Right2 => "R2:",
            Family::Right4 => "R4:",
            Family::Clause => "C:",
            Family::Negated => "N:",
            Family::NearestLeft => "LN:",
            Family::SecondLeft => "LM:",
            Family::NearestRight => "RN:",
            Family::SecondRight => "RM:",
            Family::NearerTarget => "T:",
            Family::NearerOther => "O:",
            Family::ClauseFirst => "P:clause-first",
            Family::ClauseLater => "P:clause-later",
            Family::SentenceFirst => "P:sentence-first",
            Family::LexPos => "V:pos",
            Family::LexNeg => "V:neg",
            Family::LexLeftPos => "V:L-pos",
            Family::LexLeftNeg => "V:L-neg",
            Family::LexRightPos => "V:R-pos",
            Family::LexRightNeg => "V:R-neg",
            Family::Speaker => "P:speaker",
        }
    }

    /// Whether its features' text holds their terms; the mention's position in its clause or
    /// sentence is a fixed text.
    pub fn has_terms(self) -> bool {
        !matches!(
            self,
            Family::ClauseFirst
                | Family::ClauseLater
                | Family::SentenceFirst
                | Family::LexPos
                | Family::LexNeg
                | Family::LexLeftPos
                | Family::LexLeftNeg
                | Family::LexRightPos
                | Family::LexRightNeg
                | Family::Speaker
        )
    }

    /// The family and terms of a feature's text; `None` for character n-grams (`c:`), whose
    /// text is not made of terms.
    pub fn parse(feature: &str) -> Option<(Family, &str)> {
        if let Some(&fixed) = Family::ALL
            .iter()
            .find(|f| !f.has_terms() && f.prefix() == feature)
        {
            return Some((fixed, ""));
        }
        match feature.split_once(':') {
            None => Some((Family::Ngram, feature)),
            Some((prefix, rest)) => Family::ALL[1..]
                .iter()
                .filter(|f| f.has_terms())
                .find(|f| &f.prefix()[..f.prefix().len() - 1] == prefix)
                .map(|&f| (f, rest)),
        }
    }
}

/// One feature of a statement: its family and the `n` terms it covers from term `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub family: Family,
    pub first: usize,
    pub n: usize,
}

impl Feature {
    fn new(family: Family, first: usize, n: usize) -> Self {
        Feature { family, first, n }
    }

    /// Writes the feature's text (`accus <target>`, `L1:accus`) into `buffer`.
    pub fn write(&self, terms: &Terms, buffer: &mut String) {
        buffer.clear();
        buffer.push_str(self.family.prefix());
        if !self.family.has_terms() {
            return;
        }
        for i in self.first..self.first + self.n {
            if i > self.first {
                buffer.push(' ');
            }
            buffer.push_str(terms.text(i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: &Terms) -> Vec<&str> {
        (0..terms.len()).map(|i| terms.text(i)).collect()
    }

    #[test]
    fn lowercases_stems_and_normalizes() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let terms = analyzer.terms(
            "Sanctions HIT Russia's banks: 12 of them http://x.y #NoWar",
            &[],
            &[],
        );
        assert_eq!(
            texts(&terms),
            ["sanction", "hit", "russia", "bank", "<num>", "of", "them", "<url>", "#nowar"]
        );
    }

    #[test]
    fn target_mentions_become_one_placeholder() {
        let analyzer = Analyzer::new(AnalyzerConfig::plain());
        let text = "The White House thanked Kyiv";
        let toward_us = analyzer.terms(text, &[(4, 15)], &[]);
        assert_eq!(texts(&toward_us), ["the", "<target>", "thank", "kyiv"]);
        assert_eq!((toward_us.get(1).start, toward_us.get(1).end), (4, 15));
        let toward_ukraine = analyzer.terms(text, &[(24, 28)], &[]);
        assert_ne!(
            analyzer.features(text, &[(4, 15)], &[]),
            analyzer.features(text, &[(24, 28)], &[])
        );
        assert_eq!(texts(&toward_ukraine).last(), Some(&"<target>"));
    }

    #[test]
    fn placeholder_can_be_disabled() {
        let config = AnalyzerConfig {
            target_placeholder: false,
            ..AnalyzerConfig::plain()
        };
        let analyzer = Analyzer::new(config);
        assert_eq!(
            analyzer.features("Trump and Biden", &[(0, 5)], &[]),
            analyzer.features("Trump and Biden", &[(10, 15)], &[])
        );
    }

    #[test]
    fn ngrams_up_to_the_configured_length() {
        let analyzer = Analyzer::new(AnalyzerConfig {
            ngram_max: 3,
            ..AnalyzerConfig::plain()
        });
        assert_eq!(
            analyzer.features("a b c", &[], &[]),
            ["a", "a b", "a b c", "b", "b c", "c"]
        );
    }

    fn marked(features: &[String], prefix: &str) -> Vec<String> {
        features
            .iter()
            .filter(|f| f.starts_with(prefix))
            .cloned()
            .collect()
    }

    #[test]
    fn context_features_carry_side_and_distance_band() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        // "Moscow accused Kyiv of shelling", toward Ukraine (Kyiv at 15..19), Moscow another party.
        let features = analyzer.features("Moscow accused Kyiv of shelling", &[(15, 19)], &[(0, 6)]);
        assert!(features.contains(&"<party> accus".to_string()));
        assert!(features.contains(&"L1:accus".to_string()));
        assert!(features.contains(&"L2:<party>".to_string()));
        assert!(features.contains(&"R1:of".to_string()));
        assert!(features.contains(&"R2:shell".to_string()));
    }

    #[test]
    fn clause_features_stop_at_clause_boundaries() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let text = "Ankara praised Doha, but condemned Cairo";
        let toward_qatar = analyzer.features(text, &[(15, 19)], &[]);
        assert_eq!(marked(&toward_qatar, "C:"), ["C:ankara", "C:prais"]);
        let toward_egypt = analyzer.features(text, &[(35, 40)], &[]);
        assert_eq!(marked(&toward_egypt, "C:"), ["C:but", "C:condemn"]);
    }

    #[test]
    fn nearest_mentions_are_the_closest_on_either_side() {
        // Every pattern of mentions over up to ten terms, against the distance to each mention.
        for len in 0..=10usize {
            for mask in 0..1u32 << len {
                let mut terms = Terms::default();
                for i in 0..len {
                    terms.push(
                        |a| a.push('x'),
                        (i, i + 1),
                        0,
                        false,
                        (0, 0),
                        mask >> i & 1 == 1,
                    );
                }
                let mut nearest = Vec::new();
                nearest_mentions(&terms, &mut nearest);
                let expected: Vec<(usize, bool)> = (0..len)
                    .map(|i| {
                        if mask >> i & 1 == 1 {
                            return (usize::MAX, false);
                        }
                        let left = (0..i)
                            .rev()
                            .find(|&m| mask >> m & 1 == 1)
                            .map(|m| (i - m, false));
                        let right = (i + 1..len)
                            .find(|&m| mask >> m & 1 == 1)
                            .map(|m| (m - i, true));
                        match (left, right) {
                            (Some(l), Some(r)) => {
                                if r.0 < l.0 {
                                    r
                                } else {
                                    l
                                }
                            }
                            (l, r) => l.or(r).unwrap_or((usize::MAX, false)),
                        }
                    })
                    .collect();
                assert_eq!(nearest, expected, "{len} terms, mentions {mask:b}");
            }
        }
    }

    #[test]
    fn role_features_mark_nearest_words_entities_and_position() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        // Toward Obama (0..5): "praised" is the nearest content word to the right, "the" is
        // skipped; "plan" and "criticized" stand nearer Ryan and Romney than Obama.
        let text = "Obama praised the plan, and Ryan criticized Romney";
        let features = analyzer.features(text, &[(0, 5)], &[]);
        assert_eq!(marked(&features, "RN:"), ["RN:prais"]);
        assert_eq!(marked(&features, "RM:"), ["RM:plan"]);
        assert!(marked(&features, "LN:").is_empty());
        assert_eq!(
            marked(&features, "P:"),
            ["P:clause-first", "P:sentence-first", "P:speaker"]
        );
        assert_eq!(marked(&features, "T:"), ["T:prais"]);
        assert_eq!(marked(&features, "O:"), ["O:plan", "O:critic"]);
        // Toward Romney, last in its clause after another name.
        let features = analyzer.features(text, &[(44, 50)], &[]);
        assert_eq!(marked(&features, "LN:"), ["LN:critic"]);
        assert_eq!(marked(&features, "LM:"), ["LM:ryan"]);
        assert_eq!(marked(&features, "P:"), ["P:clause-later"]);
        let plain = Analyzer::new(AnalyzerConfig::plain());
        assert!(marked(&plain.features(text, &[(0, 5)], &[]), "T:").is_empty());
    }

    #[test]
    fn role_features_stay_linear_with_many_mentions() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        // 200,000 mentions of the target in one statement: quadratic passes would not finish.
        let text = "Kyiv ".repeat(200_000);
        let spans: Vec<(usize, usize)> = (0..200_000).map(|i| (5 * i, 5 * i + 4)).collect();
        let features = analyzer.features(&text, &spans, &[]);
        assert_eq!(marked(&features, "P:sentence-first").len(), 200_000);
    }

    #[test]
    fn negation_scope_runs_to_the_clause_end() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let features = analyzer.features(
            "Riyadh did not condemn the strike; it called for calm",
            &[],
            &[],
        );
        assert_eq!(marked(&features, "N:"), ["N:condemn", "N:the", "N:strike"]);
        let features = analyzer.features("They didn't thank Kyiv", &[], &[]);
        assert_eq!(marked(&features, "N:"), ["N:thank", "N:kyiv"]);
        // Cues in any case; a word that merely starts like one is none.
        let features = analyzer.features("Ankara NEVER thanked Doha; Nobel Refused", &[], &[]);
        assert_eq!(marked(&features, "N:"), ["N:thank", "N:doha"]);
    }

    #[test]
    fn lexicon_features_follow_valence_and_negation() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        // "praised" is positive, "condemned" negative; "not" turns "praise" negative.
        let features = analyzer.features("Doha praised Ankara and condemned Cairo", &[], &[]);
        assert_eq!(marked(&features, "V:"), ["V:pos", "V:neg"]);
        let features = analyzer.features("Doha did not praise Ankara", &[], &[]);
        assert_eq!(marked(&features, "V:"), ["V:neg"]);
        let off = Analyzer::new(AnalyzerConfig {
            lexicon: false,
            ..AnalyzerConfig::default()
        });
        assert!(marked(&off.features("Doha praised Ankara", &[], &[]), "V:").is_empty());
    }

    #[test]
    fn target_words_name_the_target_and_not_the_others() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let text = "President Trump criticized Sanders";
        let toward_trump = analyzer.features(text, &[(0, 15)], &[]);
        assert_eq!(marked(&toward_trump, "M:"), ["M:presid", "M:trump"]);
        let toward_sanders = analyzer.features(text, &[(27, 34)], &[]);
        assert_eq!(marked(&toward_sanders, "M:"), ["M:sander"]);
        // Without a mention, or with the placeholder or the option off, there are none.
        assert!(marked(&analyzer.features(text, &[], &[]), "M:").is_empty());
        let off = Analyzer::new(AnalyzerConfig {
            target_words: false,
            ..AnalyzerConfig::default()
        });
        assert!(marked(&off.features(text, &[(0, 15)], &[]), "M:").is_empty());
        let plain = Analyzer::new(AnalyzerConfig::plain());
        assert!(marked(&plain.features(text, &[(0, 15)], &[]), "M:").is_empty());
    }

    #[test]
    fn lexicon_signs_by_side_tell_the_critic_from_the_criticized() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let text = "Ankara condemned Cairo";
        // "condemned" is negative: right of Ankara, left of Cairo.
        let toward_turkey = analyzer.features(text, &[(0, 6)], &[]);
        assert_eq!(marked(&toward_turkey, "V:"), ["V:R-neg", "V:neg"]);
        let toward_egypt = analyzer.features(text, &[(17, 22)], &[]);
        assert_eq!(marked(&toward_egypt, "V:"), ["V:L-neg", "V:neg"]);
        // Negation flips the sign here too; words beyond the context window get no side.
        let features = analyzer.features("Ankara did not praise Cairo", &[(22, 27)], &[]);
        assert_eq!(marked(&features, "V:"), ["V:L-neg", "V:neg"]);
        let far = format!("Ankara {}praised", "and ".repeat(8));
        let features = analyzer.features(&far, &[(0, 6)], &[]);
        assert_eq!(marked(&features, "V:"), ["V:pos"]);
        let off = Analyzer::new(AnalyzerConfig {
            lexicon_sides: false,
            ..AnalyzerConfig::default()
        });
        assert_eq!(marked(&off.features(text, &[(0, 6)], &[]), "V:"), ["V:neg"]);
    }

    #[test]
    fn character_ngrams_are_padded_and_marked() {
        let analyzer = Analyzer::new(AnalyzerConfig {
            char_min: 2,
            char_max: 3,
            ..AnalyzerConfig::plain()
        });
        let features = analyzer.features("war", &[], &[]);
        assert_eq!(
            marked(&features, "c:"),
            ["c: w", "c: wa", "c:wa", "c:war", "c:ar", "c:ar ", "c:r "]
        );
    }
}
