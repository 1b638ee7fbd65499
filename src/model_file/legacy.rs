//! Reading format-5 and format-6 model files. Their payload was positional bincode throughout,
//! so a struct that gained a field cannot be read in place: the old layouts are mirrored here,
//! read, and converted with the newer switches off, so an old model scores exactly as it did.
//! Since format 7 the metadata is JSON inside the payload, and new options need no mirror.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::data::Stance;
use crate::features::Vocabulary;
use crate::model::{CvResult, LinearModel, Metadata, StanceModel, TrainOptions, TrainingFile};
use crate::text::{AnalyzerConfig, Language};

/// Format 5: before the analyzer gained `lexicon_sides` and `target_words`.
pub const FORMAT_5: u32 = 5;
/// Format 6: before word vectors, with the metadata as bincode.
pub const FORMAT_6: u32 = 6;

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

impl From<AnalyzerConfig5> for AnalyzerConfig {
    fn from(a: AnalyzerConfig5) -> Self {
        AnalyzerConfig {
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
        }
    }
}

/// The options of formats 5 and 6, with the analyzer's layout of each.
#[derive(Deserialize)]
struct OldOptions<A> {
    analyzer: A,
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
struct OldMetadata<A> {
    tool_version: String,
    files: Vec<TrainingFile>,
    rows_per_target: BTreeMap<String, usize>,
    options: OldOptions<A>,
    notes: Vec<String>,
    cross_validation: Vec<CvResult>,
}

#[derive(Deserialize)]
struct OldModel<A> {
    vocabulary: Vocabulary,
    labels: Vec<Stance>,
    pooled: LinearModel,
    targets: BTreeMap<String, LinearModel>,
    metadata: OldMetadata<A>,
}

/// A format-5 or format-6 payload as today's model.
pub fn deserialize(version: u32, payload: &[u8]) -> bincode::Result<StanceModel> {
    if version == FORMAT_5 {
        convert(bincode::deserialize::<OldModel<AnalyzerConfig5>>(payload)?)
    } else {
        convert(bincode::deserialize::<OldModel<AnalyzerConfig>>(payload)?)
    }
}

fn convert<A: Into<AnalyzerConfig>>(old: OldModel<A>) -> bincode::Result<StanceModel> {
    let m = old.metadata;
    let o = m.options;
    let options = TrainOptions {
        analyzer: o.analyzer.into(),
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
        augment_sources: None,
        vectors: None,
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
            selection: None,
            temperature: None,
            none_shift: None,
            registry: None,
            lexicon: None,
            languages: BTreeMap::new(),
            language_none_shifts: BTreeMap::new(),
        },
        vectors: None,
    })
}
