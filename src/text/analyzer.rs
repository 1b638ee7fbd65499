//! The analyzer: a statement's text to its terms (`push_terms`), and its terms to features
//! (`term_features`), as its configuration says.

use super::config::AnalyzerConfig;
use super::terms::Terms;

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
}
