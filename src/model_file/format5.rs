//! Reading format-5 model files, written before the analyzer gained `lexicon_sides` and
//! `target_words`. bincode stores a struct as its fields in order, with no names, so a new field
//! cannot be defaulted in place: the old layout is mirrored here, read, and converted, with the
//! new switches off, so an old model scores exactly as it did.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::data::Stance;
use crate::features::Vocabulary;
use crate::model::{CvResult, LinearModel, Metadata, StanceModel, TrainOptions, TrainingFile};
use crate::text::{AnalyzerConfig, Language};

pub const VERSION: u32 = 5;

#[derive(Deserialize)]
struct AnalyzerConfig5 {
    language: Language,
    ngram_max: usize,
    target_placeholder: bool,
    other_parties: bool,
    context_window: usize,
    clause: bool,
    negation: bool,
    char_min: usize,
    char_max: usize,
    roles: bool,
    lexicon: bool,
}

#[derive(Deserialize)]
struct TrainOptions5 {
    analyzer: AnalyzerConfig5,
    min_df: usize,
    max_features: usize,
    min_target_rows: Option<usize>,
    l2: f64,
    max_iterations: u64,
    warm_start: bool,
    char_weight: f32,
    context_weight: f32,
    balance: bool,
    dense_budget_mib: usize,
    augment_targets: Option<f32>,
}

#[derive(Deserialize)]
struct Metadata5 {
    tool_version: String,
    files: Vec<TrainingFile>,
    rows_per_target: BTreeMap<String, usize>,
    options: TrainOptions5,
    notes: Vec<String>,
    cross_validation: Vec<CvResult>,
}

#[derive(Deserialize)]
struct StanceModel5 {
    vocabulary: Vocabulary,
    labels: Vec<Stance>,
    pooled: LinearModel,
    targets: BTreeMap<String, LinearModel>,
    metadata: Metadata5,
}

/// A format-5 payload as today's model.
pub fn deserialize(payload: &[u8]) -> bincode::Result<StanceModel> {
    let old: StanceModel5 = bincode::deserialize(payload)?;
    let m = old.metadata;
    let o = m.options;
    let a = o.analyzer;
    let analyzer = AnalyzerConfig {
        language: a.language,
        ngram_max: a.ngram_max,
        target_placeholder: a.target_placeholder,
        other_parties: a.other_parties,
        context_window: a.context_window,
        clause: a.clause,
        negation: a.negation,
        char_min: a.char_min,
        char_max: a.char_max,
        roles: a.roles,
        lexicon: a.lexicon,
        lexicon_sides: false,
        target_words: false,
    };
    let options = TrainOptions {
        analyzer,
        min_df: o.min_df,
        max_features: o.max_features,
        min_target_rows: o.min_target_rows,
        l2: o.l2,
        max_iterations: o.max_iterations,
        warm_start: o.warm_start,
        char_weight: o.char_weight,
        context_weight: o.context_weight,
        balance: o.balance,
        dense_budget_mib: o.dense_budget_mib,
        augment_targets: o.augment_targets,
    };
    Ok(StanceModel {
        vocabulary: old.vocabulary,
        labels: old.labels,
        pooled: old.pooled,
        targets: old.targets,
        metadata: Metadata {
            tool_version: m.tool_version,
            files: m.files,
            rows_per_target: m.rows_per_target,
            options,
            notes: m.notes,
            cross_validation: m.cross_validation,
        },
    })
}
