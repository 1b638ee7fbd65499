//! From a statement's terms to its features: word n-grams, then the marks of where each term
//! stands toward the target (context band, clause, roles), negation scopes and lexicon signs,
//! then the target's own words and character n-grams. Training writes each feature's text
//! (`for_each_feature_text`); scoring turns the same `Feature`s into packed keys
//! (`feature_keys`).

use super::analyzer::Analyzer;
use super::family::{Family, TARGET_WORD_PREFIX};
use super::scratch::{FeatureScratch, MarkScratch, Scratch};
use super::terms::Terms;
use super::{marks, roles};

/// One feature of a statement: its family and the `n` terms it covers from term `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub family: Family,
    pub first: usize,
    pub n: usize,
}

impl Feature {
    pub(super) fn new(family: Family, first: usize, n: usize) -> Self {
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

impl Analyzer {
    /// Calls `emit` for every word n-gram and marked term of the statement (character n-grams
    /// aside, see `for_each_char_ngram`), in a fixed order: n-grams, context, clause, negation.
    pub fn for_each_feature(
        &self,
        terms: &Terms,
        scratch: &mut Scratch,
        emit: impl FnMut(Feature),
    ) {
        self.each_feature(terms, &mut scratch.features.marks, emit)
    }

    fn each_feature(
        &self,
        terms: &Terms,
        scratch: &mut MarkScratch,
        mut emit: impl FnMut(Feature),
    ) {
        let count = terms.len();
        for first in 0..count {
            for n in 1..=self.config.ngram_max.min(count - first) {
                emit(Feature::new(Family::Ngram, first, n));
            }
        }
        self.each_marked_feature(terms, scratch, emit);
    }

    /// `for_each_feature` after the word n-grams: context, clause, negation, role and lexicon
    /// features, in that order.
    pub fn for_each_marked_feature(
        &self,
        terms: &Terms,
        scratch: &mut Scratch,
        emit: impl FnMut(Feature),
    ) {
        self.each_marked_feature(terms, &mut scratch.features.marks, emit)
    }

    fn each_marked_feature(
        &self,
        terms: &Terms,
        scratch: &mut MarkScratch,
        mut emit: impl FnMut(Feature),
    ) {
        let count = terms.len();
        let window = self.config.context_window;
        let targeted = window > 0 || self.config.clause || self.config.roles;
        if targeted && terms.iter().any(|t| t.is_target) {
            // Distance to the nearest mention, left or right, in two passes; and the clauses
            // that hold a mention.
            let nearest = &mut scratch.nearest;
            nearest_mentions(terms, nearest);
            for (i, &(distance, left)) in nearest.iter().enumerate() {
                if window > 0 && distance <= window {
                    emit(Feature::new(marks::context_family(left, distance), i, 1));
                }
            }
            if self.config.roles {
                roles::for_each_feature(terms, nearest, &mut scratch.roles, &mut emit);
            }
            if self.config.lexicon && self.config.lexicon_sides && window > 0 {
                let flips = defence_flips(terms);
                lexicon_side_features(terms, nearest, window, flips, &mut emit);
            }
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
            lexicon_features(terms, defence_flips(terms), &mut emit);
        }
    }

    /// Calls `emit(feature, term)` for every `M:` feature, the target's mention words, when
    /// enabled; `term` is the first mention. Looked up by text, like character n-grams: their
    /// words are not terms.
    pub fn for_each_target_word(
        &self,
        terms: &Terms,
        scratch: &mut Scratch,
        emit: impl FnMut(&str, usize),
    ) {
        target_words(terms, &mut scratch.features.text, emit)
    }

    /// Calls `emit(ngram, term)` for every character n-gram of every term, when enabled.
    pub fn for_each_char_ngram(
        &self,
        terms: &Terms,
        scratch: &mut Scratch,
        emit: impl FnMut(&str, usize),
    ) {
        self.char_ngrams(terms, &mut scratch.features.text, emit)
    }

    fn char_ngrams(&self, terms: &Terms, buffer: &mut String, mut emit: impl FnMut(&str, usize)) {
        let (min, max) = (self.config.char_min, self.config.char_max);
        if max == 0 {
            return;
        }
        for i in 0..terms.len() {
            marks::char_ngrams(terms.text(i), min, max, buffer, |f| emit(f, i));
        }
    }

    /// Calls `emit(feature, first_term, n)` with the text of every feature, character n-grams
    /// included: the form the vocabulary stores.
    pub fn for_each_feature_text(
        &self,
        terms: &Terms,
        scratch: &mut Scratch,
        mut emit: impl FnMut(&str, usize, usize),
    ) {
        let FeatureScratch { text, marks } = &mut scratch.features;
        self.each_feature(terms, marks, |feature| {
            feature.write(terms, text);
            emit(text, feature.first, feature.n);
        });
        target_words(terms, text, |f, i| emit(f, i, 1));
        self.char_ngrams(terms, text, |f, i| emit(f, i, 1));
    }

    /// All features of one statement, as owned strings (tests), with a fresh `Scratch`.
    pub fn features(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
    ) -> Vec<String> {
        let scratch = &mut Scratch::default();
        let mut terms = Terms::default();
        self.terms_into(scratch, text, (target_spans, other_spans), &mut terms);
        let mut out = Vec::new();
        self.for_each_feature_text(&terms, scratch, |f, _, _| out.push(f.to_string()));
        out
    }
}

/// `Analyzer::for_each_target_word` with `buffer` for the features' text.
fn target_words(terms: &Terms, buffer: &mut String, mut emit: impl FnMut(&str, usize)) {
    if !terms.has_target_words() {
        return;
    }
    let first = terms.iter().position(|t| t.is_target).unwrap_or(0);
    for word in terms.target_words() {
        buffer.clear();
        buffer.push_str(TARGET_WORD_PREFIX);
        buffer.push_str(word);
        emit(buffer, first);
    }
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
            after = terms.items()[i + 1..]
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

/// The role cues whose lexicon sign flips toward a defended target (`Terms::is_defended`): the
/// blame and its dismissal ("attempts to blame Tehran were provocative") speak for it, as a
/// negation flips "did not praise". 0 when the target is not defended.
fn defence_flips(terms: &Terms) -> u8 {
    if terms.is_defended() {
        roles::HOSTILE | roles::DISMISSAL
    } else {
        0
    }
}

/// Whether a lexicon term reads positive: its valence's sign, flipped in a negation's scope and
/// for the `flips` cues.
fn reads_positive(term: &super::terms::Term, flips: u8) -> bool {
    (term.valence > 0) != (term.negated != (term.flags & flips != 0))
}

/// `V:pos` / `V:neg` for every lexicon word, by the sign of its valence, flipped in a
/// negation's scope ("did not praise" leans negative) and for a defended target's defence cues.
/// One shared pair of features: variants by clause, distance or entity nearness, strength
/// weighting and a summed valence were measured and bought nothing more.
fn lexicon_features(terms: &Terms, flips: u8, emit: &mut impl FnMut(Feature)) {
    for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.valence != 0) {
        let family = if reads_positive(term, flips) {
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
    flips: u8,
    emit: &mut impl FnMut(Feature),
) {
    for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.valence != 0) {
        let (distance, left) = nearest[i];
        if distance > window {
            continue;
        }
        let positive = reads_positive(term, flips);
        let family = match (left, positive) {
            (true, true) => Family::LexLeftPos,
            (true, false) => Family::LexLeftNeg,
            (false, true) => Family::LexRightPos,
            (false, false) => Family::LexRightNeg,
        };
        emit(Feature::new(family, i, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{AnalyzerConfig, Language};

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
    fn a_russian_mention_says_its_case_ending_and_its_letter_case() {
        let analyzer = Analyzer::new(AnalyzerConfig {
            language: Language::Russian,
            ..AnalyzerConfig::default()
        });
        let text = "США обвинили Москву, а тренер спортсмена промолчал";
        // Spans in code points: "США" 0..3, "Москву" 13..19, "спортсмена" 30..40.
        let toward = |span| marked(&analyzer.features(text, &[span], &[]), "M:");
        assert_eq!(toward((13, 19)), ["M:москв", "M:-у", "M:^capital"]);
        assert_eq!(toward((0, 3)), ["M:сша", "M:-", "M:^upper"]);
        assert_eq!(toward((30, 40)), ["M:спортсм", "M:-ена", "M:^lower"]);
        // English mentions get neither: English capitalizes more than names.
        let english = Analyzer::new(AnalyzerConfig::default());
        let features = english.features("The coach praised Moscow", &[(4, 9)], &[]);
        assert_eq!(marked(&features, "M:"), ["M:coach"]);
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
    fn a_defence_speaks_for_the_defended_and_not_for_the_accuser() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        // "blame" and "provocative" are negative; toward Tehran, defended, they read positive.
        let text = "Lavrov said attempts to blame Tehran were provocative";
        let toward_iran = analyzer.features(text, &[(30, 36)], &[]);
        assert!(toward_iran.iter().any(|f| f == "P:defended"));
        assert_eq!(
            marked(&toward_iran, "V:"),
            ["V:L-pos", "V:R-pos", "V:pos", "V:pos"]
        );
        // The same words toward a party they accuse, undismissed, stay negative.
        let accused = analyzer.features("Paris tried to blame Tehran", &[(21, 27)], &[]);
        assert_eq!(marked(&accused, "V:"), ["V:L-neg", "V:neg"]);
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
