//! The analyzer: tokenize → normalize → stem → mark the target → n-grams.
//!
//! Read top to bottom, `terms` is the pipeline for one statement and `for_each_feature` turns its
//! terms into the feature strings the vocabulary knows.

pub mod stem;
pub mod tokenize;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};

use crate::parties::fold_char;
pub use stem::Language;
use tokenize::{tokenize, Kind};

/// Stands for every mention of the target, so that "Kyiv" and "Moscow" in one sentence give
/// different features toward Ukraine and toward Russia.
pub const TARGET: &str = "<target>";
pub const NUMBER: &str = "<num>";
pub const URL: &str = "<url>";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzerConfig {
    pub language: Language,
    /// Word n-grams from 1 up to this length.
    pub ngram_max: usize,
    /// Replace the target's mentions by one placeholder token.
    pub target_placeholder: bool,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            language: Language::English,
            ngram_max: 2,
            target_placeholder: true,
        }
    }
}

/// A normalized token, with the code-point span of the words it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub text: String,
    pub start: usize,
    pub end: usize,
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

    /// The statement's terms; tokens inside a target span collapse into one `<target>` term.
    pub fn terms(&self, text: &str, target_spans: &[(usize, usize)]) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::new();
        let mut open_span: Option<(usize, usize)> = None;
        for token in tokenize(text) {
            let span = self.config.target_placeholder.then(|| {
                target_spans
                    .iter()
                    .copied()
                    .find(|&(s, e)| token.start < e && s < token.end)
            });
            if let Some(Some(span)) = span {
                if open_span == Some(span) {
                    if let Some(last) = terms.last_mut() {
                        last.end = token.end;
                    }
                } else {
                    terms.push(Term {
                        text: TARGET.to_string(),
                        start: token.start,
                        end: token.end,
                    });
                    open_span = Some(span);
                }
                continue;
            }
            open_span = None;
            let raw = &text[token.byte_start..token.byte_end];
            let normalized = match token.kind {
                Kind::Url => URL.to_string(),
                Kind::Number => NUMBER.to_string(),
                Kind::Hashtag | Kind::Mention => raw.chars().map(fold_char).collect(),
                Kind::Word => self.normalize_word(raw),
            };
            terms.push(Term {
                text: normalized,
                start: token.start,
                end: token.end,
            });
        }
        terms
    }

    /// Lowercase, drop a possessive "'s", then stem.
    fn normalize_word(&self, raw: &str) -> String {
        let mut word: String = raw.chars().map(fold_char).collect();
        if word.ends_with("'s") {
            word.truncate(word.len() - 2);
        }
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(&word).into_owned(),
            None => word,
        }
    }

    /// Calls `emit(feature, first_term, n)` for every word n-gram, 1 ≤ n ≤ ngram_max.
    pub fn for_each_feature(&self, terms: &[Term], mut emit: impl FnMut(&str, usize, usize)) {
        let mut buffer = String::new();
        for first in 0..terms.len() {
            buffer.clear();
            for n in 1..=self.config.ngram_max {
                let Some(term) = terms.get(first + n - 1) else {
                    break;
                };
                if n > 1 {
                    buffer.push(' ');
                }
                buffer.push_str(&term.text);
                emit(&buffer, first, n);
            }
        }
    }

    /// All features of one statement, as owned strings (training and tests).
    pub fn features(&self, text: &str, target_spans: &[(usize, usize)]) -> Vec<String> {
        let terms = self.terms(text, target_spans);
        let mut out = Vec::new();
        self.for_each_feature(&terms, |f, _, _| out.push(f.to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn lowercases_stems_and_normalizes() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let terms = analyzer.terms(
            "Sanctions HIT Russia's banks: 12 of them http://x.y #NoWar",
            &[],
        );
        assert_eq!(
            texts(&terms),
            ["sanction", "hit", "russia", "bank", "<num>", "of", "them", "<url>", "#nowar"]
        );
    }

    #[test]
    fn target_mentions_become_one_placeholder() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let text = "The White House thanked Kyiv";
        let toward_us = analyzer.terms(text, &[(4, 15)]);
        assert_eq!(texts(&toward_us), ["the", "<target>", "thank", "kyiv"]);
        assert_eq!((toward_us[1].start, toward_us[1].end), (4, 15));
        let toward_ukraine = analyzer.terms(text, &[(24, 28)]);
        assert_ne!(
            analyzer.features(text, &[(4, 15)]),
            analyzer.features(text, &[(24, 28)])
        );
        assert_eq!(texts(&toward_ukraine).last(), Some(&"<target>"));
    }

    #[test]
    fn placeholder_can_be_disabled() {
        let config = AnalyzerConfig {
            target_placeholder: false,
            ..AnalyzerConfig::default()
        };
        let analyzer = Analyzer::new(config);
        assert_eq!(
            analyzer.features("Trump and Biden", &[(0, 5)]),
            analyzer.features("Trump and Biden", &[(10, 15)])
        );
    }

    #[test]
    fn ngrams_up_to_the_configured_length() {
        let analyzer = Analyzer::new(AnalyzerConfig {
            ngram_max: 3,
            ..AnalyzerConfig::default()
        });
        assert_eq!(
            analyzer.features("a b c", &[]),
            ["a", "a b", "a b c", "b", "b c", "c"]
        );
    }
}
