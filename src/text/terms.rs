//! The terms of one statement: normalized tokens whose texts are packed in one buffer (the
//! arena), with what the features need of each (span, clause, negation, target, role flags,
//! valence), and, when asked, their ids and the words' vector rows.

use super::stem::Language;
use super::word_facts::{CachedWord, TermIds};

/// Stands for every mention of the target, so that "Kyiv" and "Moscow" in one sentence give
/// different features toward Ukraine and toward Russia.
pub const TARGET: &str = "<target>";
/// Stands for mentions of registered parties other than the target.
pub const OTHER_PARTY: &str = "<party>";
pub const NUMBER: &str = "<num>";
pub const URL: &str = "<url>";

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
    /// The language the statement was stemmed in (detected under `Language::Auto`).
    language: Language,
    /// Whether another party defends the target against a dismissed blame (`roles::is_defended`),
    /// found once when the terms are made: the role marks, the lexicon signs and the pools ask.
    defended: bool,
}

/// A word token for the dense block (see `pooling`): its vector row (`NO_ROW` for a mention
/// word without one), its position among the statement's tokens, and whether it is in a
/// mention of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VectorWord {
    pub row: u32,
    pub token: u32,
    pub mention: bool,
    /// A hostile word or a dismissal ("blame", "baseless"): left out of the pools of a
    /// defended target (`Terms::is_defended`), since its hostility is aimed away from it.
    pub defence_cue: bool,
}

impl Terms {
    pub fn clear(&mut self) {
        self.arena.clear();
        self.items.clear();
        self.ids.clear();
        self.target_words.clear();
        self.vector_words.clear();
        self.language = Language::None;
        self.defended = false;
    }

    /// The language the statement was stemmed in.
    pub fn language(&self) -> Language {
        self.language
    }

    pub(super) fn set_language(&mut self, language: Language) {
        self.language = language;
    }

    /// Whether another party defends the target against a blame the statement dismisses
    /// ("attempts to blame <target> were provocative"); never without the role cues.
    pub fn is_defended(&self) -> bool {
        self.defended
    }

    pub(super) fn set_defended(&mut self, defended: bool) {
        self.defended = defended;
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

    /// The terms as a slice.
    pub(super) fn items(&self) -> &[Term] {
        &self.items
    }

    /// The last term, to widen a placeholder over the next token of its mention.
    pub(super) fn last_mut(&mut self) -> Option<&mut Term> {
        self.items.last_mut()
    }

    /// Whether the statement has target words (see `target_words`).
    pub(super) fn has_target_words(&self) -> bool {
        !self.target_words.is_empty()
    }

    /// Appends a word of the target's mentions (stemmed).
    pub(super) fn push_target_word(&mut self, stem: &str) {
        let start = self.arena.len() as u32;
        self.arena.push_str(stem);
        self.target_words.push((start, self.arena.len() as u32));
    }

    pub(super) fn push_vector_word(&mut self, word: VectorWord) {
        self.vector_words.push(word);
    }

    /// With `ids`, the id of the term just pushed: memoized in its cached word, if any.
    pub(super) fn push_id(&mut self, ids: Option<&TermIds>, word: Option<&mut CachedWord>) {
        let Some(ids) = ids else {
            return;
        };
        let id = match word {
            Some(word) => word.id(ids),
            None => (ids.id_of)(self.text(self.len() - 1)),
        };
        self.ids.push(id);
    }

    pub(super) fn push(
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
