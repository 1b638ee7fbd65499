//! The analyzer: a statement's text to its terms (`push_terms`), and its terms to features
//! (`term_features`), as its configuration says.

use super::config::AnalyzerConfig;
use super::scratch::Scratch;
use super::terms::Terms;

/// The byte spans of the target's mentions, and of other parties' mentions.
pub type MentionSpans<'a> = (&'a [(usize, usize)], &'a [(usize, usize)]);

pub struct Analyzer {
    pub(super) config: AnalyzerConfig,
}

impl Analyzer {
    pub fn new(config: AnalyzerConfig) -> Self {
        Analyzer { config }
    }

    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// The statement's terms; tokens inside a target span collapse into one `<target>` term,
    /// and, when enabled, tokens inside `other_spans` (other parties) into one `<party>` term.
    /// With a fresh `Scratch`: for many statements, keep one and use `terms_into`.
    pub fn terms(
        &self,
        text: &str,
        target_spans: &[(usize, usize)],
        other_spans: &[(usize, usize)],
    ) -> Terms {
        let mut terms = Terms::default();
        let scratch = &mut Scratch::default();
        self.terms_into(scratch, text, (target_spans, other_spans), &mut terms);
        terms
    }

    /// `terms`, written into a reused buffer with the caller's scratch.
    pub fn terms_into(
        &self,
        scratch: &mut Scratch,
        text: &str,
        spans: MentionSpans,
        terms: &mut Terms,
    ) {
        self.terms_with_ids_into(scratch, text, spans, (None, None), terms)
    }
}
