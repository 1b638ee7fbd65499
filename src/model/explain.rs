//! Explanations: each feature's share of a statement's class logits (`Scorer::explain`).

use serde::Serialize;
use std::collections::HashMap;

use crate::data::Stance;
use crate::pooling;

use super::{argmax, softmax, Prediction, ScoreState, Scorer};

/// One feature's share of a class logit: its TF-IDF value times its weight for that class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The words of the statement it comes from (first occurrence).
    pub words: String,
    /// The feature as the model knows it (stems, `<target>`, context marks).
    pub feature: String,
    #[serde(rename = "contribution")]
    pub value: f32,
}

/// Why the model chose a class: logit = intercept + the sum of all contributions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub class: Stance,
    pub intercept: f32,
    pub logit: f32,
    /// Every feature's contribution, strongest toward the class first.
    #[serde(skip)]
    pub all: Vec<Contribution>,
    /// The strongest pushes toward the class (positive), then against it (negative).
    pub toward: Vec<Contribution>,
    pub against: Vec<Contribution>,
}

impl Scorer {
    /// `explain_with` a fresh state: for one statement; for many, keep a `ScoreState`.
    pub fn explain(
        &self,
        text: &str,
        target: &str,
        spans: Option<&[(usize, usize)]>,
        top: usize,
    ) -> (Prediction, Explanation) {
        self.explain_with(&mut ScoreState::default(), text, target, spans, top)
    }

    /// Predicts, and explains the predicted class with its `top` strongest features each way.
    pub fn explain_with(
        &self,
        state: &mut ScoreState,
        text: &str,
        target: &str,
        spans: Option<&[(usize, usize)]>,
        top: usize,
    ) -> (Prediction, Explanation) {
        let ScoreState {
            text: scratch,
            terms,
            indices,
            counts,
            row: x,
            dense,
            sums,
            spans: span_buffers,
        } = state;
        let target_found = self.terms_into((text, target), spans, (scratch, span_buffers), terms);
        let terms = &*terms;
        // One pass over the features' text: the row, and where each known feature first
        // occurs, to show it as the statement's own words.
        let vocabulary = &self.model.vocabulary;
        let mut first_seen: HashMap<u32, (usize, usize)> = HashMap::new();
        indices.clear();
        self.analyzer
            .for_each_feature_text(terms, scratch, |feature, first, n| {
                if let Some(i) = vocabulary.get(feature) {
                    indices.push(i);
                    first_seen.entry(i).or_insert((first, n));
                }
            });
        // The row as `predict` builds it, so that both give the same probabilities.
        let scales = vocabulary.vectorize_unscaled(indices, counts, x);
        vocabulary.scale(x, scales);
        self.dense_with(terms, sums, dense);
        let (model, own) = self.model_for(target, Some(terms.language()));
        let mut z = model.logits(x);
        self.add_dense_logits(own, dense, &mut z);
        let probabilities = softmax(z);
        let class = argmax(&probabilities);
        let chars: Vec<char> = text.chars().collect();
        let dim = dense.len() / pooling::REGIONS.len();
        let regions = pooling::REGIONS.iter().enumerate().filter(|_| dim > 0);
        // One line per pooled region: the sum of its columns' contributions (the dense block's
        // columns follow the vocabulary's).
        let offset = vocabulary.len();
        let region_lines = regions.map(|(r, name)| Contribution {
            words: String::new(),
            feature: format!("vectors: {name}"),
            value: (r * dim..(r + 1) * dim)
                .map(|j| dense[j] * model.weights[3 * (offset + j) + class])
                .sum(),
        });
        let mut all: Vec<Contribution> = x
            .iter()
            .map(|&(feature, value)| {
                let (first, n) = first_seen.get(&feature).copied().unwrap_or((0, 0));
                let words = if n == 0 {
                    String::new()
                } else {
                    let (start, end) = (terms.get(first).start, terms.get(first + n - 1).end);
                    chars[start.min(chars.len())..end.min(chars.len())]
                        .iter()
                        .collect()
                };
                Contribution {
                    words,
                    feature: self.model.vocabulary.terms[feature as usize].clone(),
                    value: value * model.weights[3 * feature as usize + class],
                }
            })
            .chain(region_lines)
            .collect();
        all.sort_by(|a, b| b.value.total_cmp(&a.value));
        let toward = all
            .iter()
            .filter(|c| c.value > 0.0)
            .take(top)
            .cloned()
            .collect();
        let against = all
            .iter()
            .rev()
            .filter(|c| c.value < 0.0)
            .take(top)
            .cloned()
            .collect();
        let prediction = Prediction {
            stance: Stance::ALL[class],
            probabilities,
            target_found,
            language: terms.language(),
        };
        let explanation = Explanation {
            class: Stance::ALL[class],
            intercept: model.intercept[class],
            logit: z[class],
            all,
            toward,
            against,
        };
        (prediction, explanation)
    }
}
