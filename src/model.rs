//! The saved model: plain numbers plus what is needed to rebuild its inputs, and the scorer.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::data::Stance;
use crate::feature_keys::FeatureKeys;
use crate::features::{SparseVec, Vocabulary};
use crate::folding::fold;
use crate::parties::Registry;
use crate::pooling::{self, PoolingOptions};
use crate::text::{self, Analyzer, AnalyzerConfig, Language, TermIds, Terms, VectorRows, NO_ROW};
use crate::vectors::WordVectors;

mod explain;
mod state;
pub use explain::{Contribution, Explanation};
use state::SpanBuffers;
pub use state::{PooledState, ScoreState, StatePool};

/// Options that shape a model; saved in it so that it can be reproduced. Saved as JSON, so an
/// option added later needs a `#[serde(default = …)]` that means "off" (how old models trained).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainOptions {
    pub analyzer: AnalyzerConfig,
    /// A feature must occur in at least this many training statements.
    pub min_df: usize,
    /// Columns handed to the solver, chosen by chi-square.
    pub max_features: usize,
    /// A target needs this many rows for a model of its own; others use the pooled model.
    pub min_target_rows: Option<usize>,
    /// L2 strength (linfa's alpha; scikit-learn's C is 1 / alpha).
    pub l2: f64,
    pub max_iterations: u64,
    /// Start linfa from a sparse L-BFGS solution of the same objective (see `solver`).
    pub warm_start: bool,
    /// Weight of the character n-gram block (normalized on its own) against the word block.
    pub char_weight: f32,
    /// Weight of the target context and clause block against the word block.
    pub context_weight: f32,
    /// Repeat rows of smaller classes so that every class weighs about the same.
    pub balance: bool,
    /// Largest dense matrix handed to linfa for one model, in MiB of f32 cells; a model over
    /// more rows keeps fewer columns (the best by chi-square).
    pub dense_budget_mib: usize,
    /// Daumé III's feature augmentation: instead of separate per-target models, one model over
    /// all rows where every feature has a shared copy (scaled by this weight) and a copy for the
    /// row's target (if it has enough rows). Folded back into `pooled` (the shared copy) and
    /// `targets` (shared + own), so scoring needs nothing else.
    pub augment_targets: Option<f32>,
    /// The same across training files (sources, e.g. the project's corpus and real news): one
    /// model whose features have a shared copy (scaled by this weight) and a copy per file, each
    /// file with its own intercept, so a source's peculiarities (what its labels mean, how often
    /// each stance occurs) stay in its own copy. The saved model scores as the first file's rows
    /// do: shared + the first file's copy.
    pub augment_sources: Option<f32>,
    /// Pretrained word vectors pooled around the target (`pooling`), when the model has them.
    pub vectors: Option<PoolingOptions>,
}

/// The largest block weight and L2 strength training accepts: far beyond any useful setting
/// (feature values are at most 1 before weighting), and small enough that the solver's f32
/// matrix and its objective stay finite (at 1e19 linfa's line search never ends).
pub const MAX_WEIGHT: f64 = 1e6;

impl TrainOptions {
    /// Refuses numbers no training can use, naming each: weights and L2 strength outside their
    /// range, NaN and infinities.
    pub fn check(&self) -> crate::Result<()> {
        let weights = [
            ("char weight", Some(self.char_weight)),
            ("context weight", Some(self.context_weight)),
            ("shared weight", self.augment_targets),
            ("source shared weight", self.augment_sources),
            ("vector weight", self.vectors.map(|v| v.weight)),
        ];
        for (name, weight) in weights {
            if let Some(w) = weight {
                if !(w.is_finite() && (0.0..=MAX_WEIGHT as f32).contains(&w)) {
                    return Err(crate::Error::Training(format!(
                        "the {name} {w} is not a number from 0 to {MAX_WEIGHT}"
                    )));
                }
            }
        }
        if self.augment_sources.is_some()
            && (self.min_target_rows.is_some() || self.augment_targets.is_some())
        {
            return Err(crate::Error::Training(
                "source augmentation fits the pooled model alone: it does not go with per-target models".into(),
            ));
        }
        if !(self.l2.is_finite() && self.l2 > 0.0 && self.l2 <= MAX_WEIGHT) {
            return Err(crate::Error::Training(format!(
                "the L2 strength {} is not a number above 0 and at most {MAX_WEIGHT}",
                self.l2
            )));
        }
        Ok(())
    }

    pub fn dense_budget_cells(&self) -> usize {
        self.dense_budget_mib * (1 << 20) / 4
    }
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            analyzer: AnalyzerConfig::default(),
            min_df: 2,
            max_features: 100_000,
            min_target_rows: None,
            l2: 0.5,
            max_iterations: 200,
            warm_start: true,
            char_weight: 1.0,
            context_weight: 1.0,
            balance: false,
            dense_budget_mib: 256,
            augment_targets: None,
            augment_sources: None,
            vectors: Some(PoolingOptions::default()),
        }
    }
}

/// The intercept training gives a class absent from a model's rows (never predicted).
pub const ABSENT_CLASS_INTERCEPT: f32 = -30.0;

/// Multinomial logistic regression weights over the vocabulary, classes in `Stance::ALL` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    /// Row-major: feature i's weights for favor, against, none at 3i, 3i+1, 3i+2.
    pub weights: Vec<f32>,
    pub intercept: [f32; 3],
    /// Training rows behind this model.
    pub rows: usize,
}

impl LinearModel {
    /// Divides the logits by `temperature` for every input: weights and intercepts alike,
    /// except the very low intercept of a class the model never saw, which stays out of reach.
    pub fn soften(&mut self, temperature: f32) {
        self.weights.iter_mut().for_each(|w| *w /= temperature);
        for b in &mut self.intercept {
            if *b > ABSENT_CLASS_INTERCEPT {
                *b /= temperature;
            }
        }
    }

    /// Adds `shift` to the none class's intercept (a class the model never saw stays out of
    /// reach): every decision between none and a side moves by the same margin.
    pub fn shift_none(&mut self, shift: f32) {
        let none = Stance::None.index();
        if self.intercept[none] > ABSENT_CLASS_INTERCEPT {
            self.intercept[none] += shift;
        }
    }

    pub fn logits(&self, x: &SparseVec) -> [f32; 3] {
        self.scaled_logits(x, |_| 1.0)
    }

    /// The logits of `x` with each value first multiplied by `scale(feature)`: the same numbers
    /// as scaling `x` first, in one pass.
    pub fn scaled_logits(&self, x: &SparseVec, scale: impl Fn(u32) -> f32) -> [f32; 3] {
        let mut z = self.intercept;
        for &(feature, value) in x {
            let value = value * scale(feature);
            let w = &self.weights[3 * feature as usize..3 * feature as usize + 3];
            for k in 0..3 {
                z[k] += value * w[k];
            }
        }
        z
    }

    /// The weights of columns `first..first + n`, class by class (favor's, against's, none's),
    /// so that their share of the logits is three contiguous dot products.
    fn by_class(&self, first: usize, n: usize) -> Vec<f32> {
        (0..3)
            .flat_map(|k| (first..first + n).map(move |c| self.weights[3 * c + k]))
            .collect()
    }
}

/// The dot product of two equally long slices, eight lanes at a time so that it vectorizes:
/// in one AVX2 register where the processor has them (the same lanes, so the same sum).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { dot_avx2(a, b) };
    }
    dot_lanes(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    dot_lanes(a, b)
}

#[inline(always)]
fn dot_lanes(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

pub fn softmax(z: [f32; 3]) -> [f32; 3] {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e = z.map(|v| (v - max).exp());
    let sum: f32 = e.iter().sum();
    e.map(|v| v / sum)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingFile {
    pub path: String,
    pub sha256: String,
    pub rows: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    pub tool_version: String,
    pub files: Vec<TrainingFile>,
    pub rows_per_target: BTreeMap<String, usize>,
    pub options: TrainOptions,
    /// Warnings from training (fallbacks, non-convergence), kept for `inspect`.
    pub notes: Vec<String>,
    /// The cross-validation table when training chose its options (every candidate).
    pub cross_validation: Vec<CvResult>,
    /// Which candidate selection chose and why; absent when the options were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// The temperature the weights were divided by, fit on selection's held-out predictions so
    /// that probabilities mean what they say; absent: 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// The shift added to the none class's logit, chosen by selection's none threshold; absent: 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub none_shift: Option<f64>,
    /// The party registry the model was trained with (models written before it was recorded
    /// have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<crate::parties::RegistryRecord>,
    /// `text::lexicon::fingerprint()` of the sentiment lexicons the model was trained with, when
    /// its analyzer used them (models written before it was recorded have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    /// Under `--language auto`: how many training statements were detected in each language
    /// (by the names `--language` takes); empty for a fixed language.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, usize>,
    /// The shift added to the none logit of a language's own model, by the language's name,
    /// when the default model's recipe chose one (`cv::language_none_shifts`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub language_none_shifts: BTreeMap<String, f64>,
}

/// One row of a cross-validation grid: the options tried and the pooled out-of-fold figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CvResult {
    pub l2: f64,
    pub features: String,
    pub min_target_rows: Option<usize>,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub f_avg: f64,
    /// The selection metric: mean over the held-out folds, and its standard error.
    pub mean: f64,
    pub se: f64,
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StanceModel {
    pub vocabulary: Vocabulary,
    pub labels: Vec<Stance>,
    pub pooled: LinearModel,
    /// Models of their own for targets with enough rows, by canonical name.
    pub targets: BTreeMap<String, LinearModel>,
    pub metadata: Metadata,
    /// The word vectors of the dense block, when `metadata.options.vectors` is set.
    pub vectors: Option<WordVectors>,
}

impl StanceModel {
    /// Says, when the model was trained with other sentiment lexicons than this build's, that
    /// its lexicon features now read some words differently from when it was trained and
    /// evaluated (the model still scores). `None` when they match or were not recorded.
    pub fn lexicon_warning(&self) -> Option<String> {
        let trained = self.metadata.lexicon.as_ref()?;
        let now = crate::text::lexicon_fingerprint();
        (trained != now).then(|| {
            format!(
                "the model was trained with other sentiment lexicons than this stance's \
                 (sha256 {}…, now {}…): its lexicon features now read some words differently, so \
                 its scores may differ from those it was evaluated with; retrain it with this stance",
                trained.get(..12).unwrap_or(trained),
                &now[..12]
            )
        })
    }

    /// Moves the threshold of the none class by `shift` in every model (see
    /// `cv::fit_none_shift`) and records it.
    pub fn shift_none(&mut self, shift: f32) {
        self.pooled.shift_none(shift);
        self.targets.values_mut().for_each(|m| m.shift_none(shift));
        self.metadata.none_shift = Some(shift as f64);
    }

    /// Moves the threshold of the none class by `shift` in the own model of `language` (see
    /// `cv::language_none_shifts`) and records it.
    pub fn shift_language_none(&mut self, language: Language, shift: f32) {
        if let Some(model) = self.targets.get_mut(&language_key(language)) {
            model.shift_none(shift);
            self.metadata
                .language_none_shifts
                .insert(language.name().to_string(), shift as f64);
        }
    }

    /// Calibrates the probabilities of every model (pooled and per target) by `temperature`
    /// (see `cv::fit_temperature`) and records it; decisions do not change.
    pub fn calibrate(&mut self, temperature: f64) {
        let t = temperature as f32;
        self.pooled.soften(t);
        self.targets.values_mut().for_each(|m| m.soften(t));
        self.metadata.temperature = Some(temperature);
    }

    /// Columns of the linear models: the vocabulary's, then the dense block's.
    pub fn width(&self) -> usize {
        self.vocabulary.len() + self.dense_width()
    }

    pub fn dense_width(&self) -> usize {
        self.vectors.as_ref().map_or(0, |v| pooling::width(v.dim))
    }

    /// The vectors and how to pool them, when the model has a dense block.
    pub fn dense(&self) -> Option<(&WordVectors, &PoolingOptions)> {
        self.vectors
            .as_ref()
            .zip(self.metadata.options.vectors.as_ref())
    }

    /// The languages with a model of their own (`train::language_groups`), by name.
    pub fn language_models(&self) -> Vec<&str> {
        self.targets
            .keys()
            .filter_map(|k| language_of_key(k))
            .collect()
    }

    /// How many targets have a model of their own.
    pub fn target_models(&self) -> usize {
        self.targets.len() - self.language_models().len()
    }
}

/// Models of their own for languages (`train::language_groups`) sit beside the targets' own
/// models under this prefix and the language's name (`@language:russian`).
const LANGUAGE_PREFIX: &str = "@language:";

/// The key of a language's own model among the models of targets.
pub fn language_key(language: Language) -> String {
    format!("{LANGUAGE_PREFIX}{}", language.name())
}

/// The language's name when `key` is that of a language's own model, not a target's.
pub fn language_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(LANGUAGE_PREFIX)
}

/// A language's own model among the models of targets, with its key, when it has one.
pub fn language_model(
    targets: &BTreeMap<String, LinearModel>,
    language: Language,
) -> Option<(&String, &LinearModel)> {
    if targets.is_empty() {
        return None;
    }
    targets.get_key_value(&language_key(language))
}

/// The share of training statements a detected language needs for the model to know it.
const KNOWN_LANGUAGE_SHARE: f64 = 0.01;

/// The languages a model was trained on under `--language auto`, with their statements: those
/// detected in enough statements (`KNOWN_LANGUAGE_SHARE`; a few misdetected ones teach
/// nothing). None for a model with a fixed language.
fn known_languages(metadata: &Metadata) -> impl Iterator<Item = (&str, usize)> {
    let total: usize = metadata.languages.values().sum();
    metadata
        .languages
        .iter()
        .filter(move |&(_, &n)| n as f64 >= KNOWN_LANGUAGE_SHARE * total as f64)
        .map(|(name, &n)| (name.as_str(), n))
}

/// What the scorer says about one (statement, target).
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub stance: Stance,
    /// In `Stance::ALL` order.
    pub probabilities: [f32; 3],
    /// Whether the target was found in the text (by spans, alias or name).
    pub target_found: bool,
    /// The language the statement was stemmed in (detected under `--language auto`).
    pub language: Language,
}

/// A loaded model ready to score: the analyzer, the registry and a case-insensitive target table.
pub struct Scorer {
    pub model: StanceModel,
    analyzer: Analyzer,
    registry: Registry,
    target_keys: HashMap<String, String>,
    /// The languages with a model of their own, with its key (`language_model`).
    language_keys: Vec<(Language, String)>,
    /// The languages the model knows (`known_languages`), looked up for every row.
    known: Vec<Language>,
    /// Integer keys of the vocabulary's features (see `feature_keys`), when they fit.
    keys: Option<FeatureKeys>,
    /// The dense block's weights class by class (`LinearModel::by_class`): the pooled model's,
    /// and each target model's.
    dense_weights: (Vec<f32>, BTreeMap<String, Vec<f32>>),
    /// `WordVectors::fingerprint` of the model's vectors, for `text::VectorRows`.
    vectors_fingerprint: u64,
}

impl Scorer {
    pub fn new(mut model: StanceModel, registry: Registry) -> Self {
        model.vocabulary.rebuild_index();
        if let Some(vectors) = &mut model.vectors {
            vectors.rebuild_index();
        }
        let analyzer = Analyzer::new(model.metadata.options.analyzer.clone());
        let target_keys = model
            .targets
            .keys()
            .filter(|k| !k.starts_with(LANGUAGE_PREFIX))
            .map(|k| (fold(k), k.clone()))
            .collect();
        let languages = Language::ALL;
        let language_keys = languages
            .iter()
            .filter_map(|&l| language_model(&model.targets, l).map(|(key, _)| (l, key.clone())))
            .collect();
        let known = languages
            .iter()
            .copied()
            .filter(|l| known_languages(&model.metadata).any(|(name, _)| name == l.name()))
            .collect();
        let keys = FeatureKeys::new(&model.vocabulary);
        let vectors_fingerprint = model.vectors.as_ref().map_or(0, |v| v.fingerprint());
        let (offset, width) = (model.vocabulary.len(), model.dense_width());
        let dense_weights = (
            model.pooled.by_class(offset, width),
            model
                .targets
                .iter()
                .map(|(t, m)| (t.clone(), m.by_class(offset, width)))
                .collect(),
        );
        Scorer {
            model,
            analyzer,
            registry,
            target_keys,
            language_keys,
            known,
            keys,
            dense_weights,
            vectors_fingerprint,
        }
    }

    /// The languages the model was trained on under `--language auto`, with their statements
    /// (`known_languages`).
    pub fn known_languages(&self) -> Vec<(&str, usize)> {
        known_languages(&self.model.metadata).collect()
    }

    /// Whether the model was trained on statements in `language`: always for a model with a
    /// fixed language (it stems every statement alike).
    pub fn knows_language(&self, language: Language) -> bool {
        self.known.is_empty() || self.known.contains(&language)
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The model used for a target in a statement in `language`: the target's own if trained,
    /// else the language's own if trained, else the pooled one; with the own model's key.
    pub fn model_for(
        &self,
        target: &str,
        language: Option<Language>,
    ) -> (&LinearModel, Option<&str>) {
        if !self.target_keys.is_empty() {
            let canonical = self.registry.canonical(target);
            if let Some(key) = self.target_keys.get(&fold(canonical)) {
                return (&self.model.targets[key], Some(key.as_str()));
            }
        }
        let own_language = self
            .language_keys
            .iter()
            .find(|(l, _)| Some(*l) == language);
        match own_language {
            Some((_, key)) => (&self.model.targets[key], Some(key.as_str())),
            None => (&self.model.pooled, None),
        }
    }

    /// The statement's terms toward `target`, locating mentions when no spans are given (with
    /// their vector words when the model has vectors); returns whether the target was found.
    fn terms_into(
        &self,
        (text, target): (&str, &str),
        spans: Option<&[(usize, usize)]>,
        (scratch, buffers): (&mut text::Scratch, &mut SpanBuffers),
        terms: &mut Terms,
    ) -> bool {
        let SpanBuffers {
            target: target_spans,
            others,
            scratch: span_scratch,
        } = buffers;
        self.registry
            .spans_into(text, target, spans, (target_spans, others), span_scratch);
        let id_of = |term: &str| self.keys.as_ref().map_or(0, |keys| keys.term_id(term));
        let ids = self.keys.as_ref().map(|keys| TermIds {
            fingerprint: keys.fingerprint(),
            id_of: &id_of,
        });
        let vectors = self.model.vectors.as_ref();
        let row_of = |raw: &str| vectors.map_or(NO_ROW, |v| pooling::row_of(v, raw));
        let rows = vectors.map(|_| VectorRows {
            fingerprint: self.vectors_fingerprint,
            row_of: &row_of,
        });
        self.analyzer.terms_with_ids_into(
            scratch,
            text,
            (target_spans, others),
            (ids.as_ref(), rows.as_ref()),
            terms,
        );
        !target_spans.is_empty()
    }

    /// The statement's terms toward `target`, and whether the target was found.
    pub fn terms(
        &self,
        text: &str,
        target: &str,
        spans: Option<&[(usize, usize)]>,
    ) -> (Terms, bool) {
        let mut terms = Terms::default();
        let state = &mut ScoreState::default();
        let found = self.terms_into(
            (text, target),
            spans,
            (&mut state.text, &mut state.spans),
            &mut terms,
        );
        (terms, found)
    }

    /// The dense block of analyzed terms into `out` (empty when the model has no vectors).
    pub fn dense_into(&self, terms: &Terms, out: &mut Vec<f32>) {
        self.dense_with(terms, &mut Vec::new(), out)
    }

    /// `dense_into` with the caller's buffer for `pooling::pool_into`'s group sums.
    fn dense_with(&self, terms: &Terms, sums: &mut Vec<f32>, out: &mut Vec<f32>) {
        match self.model.dense() {
            Some((vectors, pooling)) => pooling::pool_into(vectors, pooling, terms, sums, out),
            None => out.clear(),
        }
    }

    /// The vocabulary indices of a statement's features, one per occurrence, into `indices`.
    /// `terms` come from `terms_into`, so with their ids when the keys exist.
    fn feature_indices(&self, terms: &Terms, scratch: &mut text::Scratch, indices: &mut Vec<u32>) {
        indices.clear();
        let vocabulary = &self.model.vocabulary;
        match &self.keys {
            Some(keys) => {
                let ngram_max = self.analyzer.config().ngram_max;
                keys.ngram_indices(terms.ids(), ngram_max, indices);
                self.analyzer.for_each_marked_feature(terms, scratch, |f| {
                    indices.extend(keys.index(f, terms.ids()));
                });
                self.analyzer
                    .for_each_target_word(terms, scratch, |f, _| indices.extend(vocabulary.get(f)));
                self.analyzer
                    .for_each_char_ngram(terms, scratch, |f, _| indices.extend(vocabulary.get(f)));
            }
            None => self
                .analyzer
                .for_each_feature_text(terms, scratch, |f, _, _| indices.extend(vocabulary.get(f))),
        }
    }

    /// The dense block's share of the logits of the model that `model_for` gave as `own`.
    fn add_dense_logits(&self, own: Option<&str>, dense: &[f32], z: &mut [f32; 3]) {
        if dense.is_empty() {
            return;
        }
        let (pooled, targets) = &self.dense_weights;
        let w = own.and_then(|key| targets.get(key)).unwrap_or(pooled);
        for (k, w) in w.chunks_exact(dense.len()).enumerate() {
            z[k] += dot(w, dense);
        }
    }

    /// `predict_with` a fresh state: for one statement; for many, keep a `ScoreState`.
    pub fn predict(
        &self,
        text: &str,
        target: &str,
        spans: Option<&[(usize, usize)]>,
    ) -> Prediction {
        self.predict_with(&mut ScoreState::default(), text, target, spans)
    }

    /// The statement's stance toward `target`, with `state`'s buffers and word cache.
    pub fn predict_with(
        &self,
        state: &mut ScoreState,
        text: &str,
        target: &str,
        spans: Option<&[(usize, usize)]>,
    ) -> Prediction {
        let ScoreState {
            text: scratch,
            terms,
            indices,
            counts,
            row,
            dense,
            sums,
            spans: span_buffers,
        } = state;
        let target_found = self.terms_into((text, target), spans, (scratch, span_buffers), terms);
        let (model, own) = self.model_for(target, Some(terms.language()));
        self.dense_with(terms, sums, dense);
        self.feature_indices(terms, scratch, indices);
        let vocabulary = &self.model.vocabulary;
        let scales = vocabulary.vectorize_unscaled(indices, counts, row);
        let mut logits = model.scaled_logits(row, |f| scales[vocabulary.block(f)]);
        self.add_dense_logits(own, dense, &mut logits);
        let probabilities = softmax(logits);
        Prediction {
            stance: Stance::ALL[argmax(&probabilities)],
            probabilities,
            target_found,
            language: terms.language(),
        }
    }
}

pub fn argmax(values: &[f32; 3]) -> usize {
    let mut best = 0;
    for k in 1..3 {
        if values[k] > values[best] {
            best = k;
        }
    }
    best
}

#[cfg(test)]
mod tests;
