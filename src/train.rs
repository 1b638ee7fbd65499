//! Training: analyze labeled rows, fit the vocabulary, and fit linfa-logistic models
//! (one pooled over all rows, one per target with enough rows), in parallel.

use rayon::prelude::*;
use std::collections::BTreeMap;

use crate::data::{Example, Stance};
use crate::error::{Error, Result};
use crate::features::{SparseVec, Vocabulary};
use crate::model::{language_key, LinearModel, Metadata, StanceModel, TrainOptions, TrainingFile};
use crate::parties::Registry;
use crate::pooling;
use crate::text::Language;
use crate::text::{self, Analyzer, Terms, VectorRows, NO_ROW};
use crate::vectors::WordVectors;

mod balance;
mod solve;
pub use balance::balancing_repeats_rows;
use balance::{balance_note, balanced};
pub use solve::Fitted;
use solve::{fit, selecting, Columns, Route};

/// Rows ready for fitting: canonical target, class index, sparse features and dense block.
pub struct Prepared {
    pub targets: Vec<String>,
    /// Each row's training file (`Example::source`).
    pub sources: Vec<usize>,
    pub labels: Vec<usize>,
    pub docs: Vec<Vec<String>>,
    /// Each row's dense block (empty without vectors).
    pub dense: Vec<Vec<f32>>,
    /// The language each row's statement was stemmed in.
    pub languages: Vec<Language>,
}

/// One row of `Prepared`: canonical target, class index, features, dense block, language.
type PreparedRow = (String, usize, Vec<String>, Vec<f32>, Language);

/// Analyzes labeled examples into feature lists and, when `options.vectors` is set, pools
/// `vectors` around each target. Every example must have target and stance.
pub fn prepare(
    examples: &[Example],
    options: &TrainOptions,
    registry: &Registry,
    vectors: Option<&WordVectors>,
) -> Prepared {
    let analyzer = Analyzer::new(options.analyzer.clone());
    let dense = vectors.zip(options.vectors.as_ref());
    let row_of = |raw: &str| vectors.map_or(NO_ROW, |v| pooling::row_of(v, raw));
    let vectors_fingerprint = dense.map_or(0, |(v, _)| v.fingerprint());
    let rows: Vec<PreparedRow> = examples
        .par_iter()
        // Each worker's pooling sums and analysis scratch (with its word cache).
        .map_init(
            || (Vec::new(), text::Scratch::default()),
            |(sums, scratch), example| {
                let target = example.target.as_deref().unwrap_or_default();
                let (spans, others) =
                    registry.spans(&example.text, target, example.spans.as_deref());
                let stance = example.stance.unwrap_or(Stance::None);
                let rows = dense.map(|_| VectorRows {
                    fingerprint: vectors_fingerprint,
                    row_of: &row_of,
                });
                let mut terms = Terms::default();
                analyzer.terms_with_ids_into(
                    scratch,
                    &example.text,
                    (&spans, &others),
                    (None, rows.as_ref()),
                    &mut terms,
                );
                let mut features = Vec::new();
                analyzer
                    .for_each_feature_text(&terms, scratch, |f, _, _| features.push(f.to_string()));
                let mut pooled = Vec::new();
                if let Some((vectors, pooling)) = dense {
                    pooling::pool_into(vectors, pooling, &terms, sums, &mut pooled);
                }
                (
                    registry.canonical(target).to_string(),
                    stance.index(),
                    features,
                    pooled,
                    terms.language(),
                )
            },
        )
        .collect();
    let mut prepared = Prepared {
        targets: Vec::with_capacity(rows.len()),
        sources: examples.iter().map(|e| e.source).collect(),
        labels: Vec::with_capacity(rows.len()),
        docs: Vec::with_capacity(rows.len()),
        dense: Vec::with_capacity(rows.len()),
        languages: Vec::with_capacity(rows.len()),
    };
    for (target, label, doc, pooled, language) in rows {
        prepared.targets.push(target);
        prepared.labels.push(label);
        prepared.docs.push(doc);
        prepared.dense.push(pooled);
        prepared.languages.push(language);
    }
    prepared
}

impl Prepared {
    /// Row `i` as the models see it: its TF-IDF features over `vocabulary`, then its dense
    /// block in the columns after the vocabulary's.
    pub fn row(&self, vocabulary: &Vocabulary, i: usize) -> SparseVec {
        let mut row = vocabulary.vectorize(self.docs[i].iter().map(String::as_str));
        let offset = vocabulary.len() as u32;
        let dense = self.dense[i].iter().enumerate();
        row.extend(
            dense
                .filter(|(_, &v)| v != 0.0)
                .map(|(j, &v)| (offset + j as u32, v)),
        );
        row
    }

    /// Columns of the dense block (every row's block has the same width).
    pub fn dense_width(&self) -> usize {
        self.dense.first().map_or(0, Vec::len)
    }
}

/// Vocabulary and models fitted on some rows of a `Prepared` set (all rows, or a CV fold).
pub struct Trained {
    pub vocabulary: Vocabulary,
    pub pooled: LinearModel,
    pub targets: BTreeMap<String, LinearModel>,
    pub notes: Vec<String>,
}

pub fn train(
    examples: &[Example],
    files: Vec<TrainingFile>,
    options: &TrainOptions,
    registry: &Registry,
    vectors: Option<&WordVectors>,
) -> Result<StanceModel> {
    if examples.is_empty() {
        return Err(Error::Training("no labeled rows".into()));
    }
    options.check()?;
    if options.vectors.is_some() != vectors.is_some() {
        return Err(Error::Training(
            "pooling options and word vectors go together".into(),
        ));
    }
    let prepared = prepare(examples, options, registry, vectors);
    let all: Vec<usize> = (0..prepared.docs.len()).collect();
    let mut fit = fit_prepared(&prepared, &all, options)?;
    fit.notes
        .extend(class_shift_note(&prepared.targets, &prepared.labels));
    let mut rows_per_target = BTreeMap::new();
    for target in &prepared.targets {
        *rows_per_target.entry(target.clone()).or_insert(0) += 1;
    }
    Ok(StanceModel {
        vocabulary: fit.vocabulary,
        labels: Stance::ALL.to_vec(),
        pooled: fit.pooled,
        targets: fit.targets,
        metadata: Metadata {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            files,
            rows_per_target,
            options: options.clone(),
            notes: fit.notes,
            cross_validation: Vec::new(),
            selection: None,
            temperature: None,
            none_shift: None,
            registry: Some(registry.record()),
            lexicon: options
                .analyzer
                .lexicon
                .then(|| crate::text::lexicon_fingerprint().to_string()),
            languages: statement_languages(examples, &prepared, options.analyzer.language),
            language_none_shifts: BTreeMap::new(),
        },
        vectors: vectors.cloned(),
    })
}

/// Under `--language auto`, the training statements counted by the language `prepare`
/// detected for them (each statement once, whatever its number of targets).
fn statement_languages(
    examples: &[Example],
    prepared: &Prepared,
    language: Language,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    if language == Language::Auto {
        let mut seen = std::collections::HashSet::new();
        for (example, language) in examples.iter().zip(&prepared.languages) {
            if seen.insert(example.text.as_str()) {
                *counts.entry(language.name().to_string()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// Targets (with 30 rows or more) whose class shares stray from all rows' by more than 25
/// points in some class. A model learns train's priors: text whose shares differ (SemEval-2016's
/// test split against its train) pays for them, which cross-validation on train cannot show.
fn class_shift_note(targets: &[String], labels: &[usize]) -> Option<String> {
    const MIN_ROWS: usize = 30;
    const SHIFT: f64 = 0.25;
    let shares = |counts: &[usize; 3]| {
        let n = counts.iter().sum::<usize>().max(1) as f64;
        counts.map(|c| c as f64 / n)
    };
    let mut all = [0usize; 3];
    let mut per_target: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for (target, &label) in targets.iter().zip(labels) {
        all[label] += 1;
        per_target.entry(target).or_default()[label] += 1;
    }
    let overall = shares(&all);
    let format = |s: [f64; 3]| {
        Stance::ALL
            .iter()
            .map(|c| format!("{} {:.0} %", c.name(), 100.0 * s[c.index()]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let strays: Vec<String> = per_target
        .iter()
        .filter(|(_, counts)| counts.iter().sum::<usize>() >= MIN_ROWS)
        .filter_map(|(target, counts)| {
            let own = shares(counts);
            let shift = (0..3)
                .map(|c| (own[c] - overall[c]).abs())
                .fold(0.0, f64::max);
            (shift > SHIFT).then(|| format!("{target} ({})", format(own)))
        })
        .collect();
    (!strays.is_empty() && per_target.len() > 1).then(|| {
        format!(
            "class shares differ strongly by target (all rows: {}): {}; new text whose shares differ from these is scored with train's priors",
            format(overall),
            strays.join("; ")
        )
    })
}

/// Rows of a `Prepared` set as sparse TF-IDF vectors over a vocabulary fit on those rows only.
pub struct Vectorized<'a> {
    pub vocabulary: Vocabulary,
    /// Columns: the vocabulary's, then the dense block's.
    pub width: usize,
    pub rows: Vec<SparseVec>,
    pub labels: Vec<usize>,
    pub targets: Vec<&'a str>,
    pub sources: Vec<usize>,
    pub languages: Vec<Language>,
}

pub fn vectorize_rows<'a>(
    prepared: &'a Prepared,
    rows_used: &[usize],
    options: &TrainOptions,
) -> Result<Vectorized<'a>> {
    let docs: Vec<&Vec<String>> = rows_used.iter().map(|&i| &prepared.docs[i]).collect();
    let labels: Vec<usize> = rows_used.iter().map(|&i| prepared.labels[i]).collect();
    let vocabulary = Vocabulary::fit(
        &docs,
        &labels,
        options.min_df,
        options.max_features,
        [1.0, options.char_weight, options.context_weight],
    );
    if vocabulary.is_empty() {
        return Err(Error::Training(format!(
            "no feature occurs in {} or more statements; lower --min-df",
            options.min_df
        )));
    }
    let rows = rows_used
        .par_iter()
        .map(|&i| prepared.row(&vocabulary, i))
        .collect();
    let targets = rows_used
        .iter()
        .map(|&i| prepared.targets[i].as_str())
        .collect();
    let sources = rows_used.iter().map(|&i| prepared.sources[i]).collect();
    let languages = rows_used.iter().map(|&i| prepared.languages[i]).collect();
    Ok(Vectorized {
        width: vocabulary.len() + prepared.dense_width(),
        vocabulary,
        rows,
        labels,
        targets,
        sources,
        languages,
    })
}

impl Vectorized<'_> {
    /// A column's chi-square rank; the dense block's columns rank first, so the dense budget
    /// never drops them.
    fn rank(&self, column: u32) -> u32 {
        if (column as usize) < self.vocabulary.len() {
            self.vocabulary.rank(column)
        } else {
            0
        }
    }
}

/// A language needs this many rows for a model of its own (`language_groups`).
const LANGUAGE_MODEL_ROWS: usize = 1000;

/// Under `--language auto`, when the rows are in two languages or more with
/// `LANGUAGE_MODEL_ROWS` each, each such language's rows by its model's key
/// (`model::language_key`): each language gets a model of its own, as a target with enough rows
/// does, so that one language's data does not teach the features all languages share (the
/// `<target>` placeholder, the lexicon signs, the context marks) their weights for the other.
/// Empty otherwise.
fn language_groups(data: &Vectorized, options: &TrainOptions) -> Vec<(String, Vec<usize>)> {
    language_rows(&data.languages, options)
        .into_iter()
        .map(|(language, rows)| (language_key(language), rows))
        .collect()
}

/// `language_groups` over rows whose languages are given: each language's positions in
/// `languages`.
pub fn language_rows(
    languages: &[Language],
    options: &TrainOptions,
) -> Vec<(Language, Vec<usize>)> {
    if options.analyzer.language != Language::Auto {
        return Vec::new();
    }
    let mut by_language: BTreeMap<&str, (Language, Vec<usize>)> = BTreeMap::new();
    for (position, &language) in languages.iter().enumerate() {
        by_language
            .entry(language.name())
            .or_insert((language, Vec::new()))
            .1
            .push(position);
    }
    by_language.retain(|_, (_, rows)| rows.len() >= LANGUAGE_MODEL_ROWS);
    if by_language.len() < 2 {
        return Vec::new();
    }
    by_language.into_values().collect()
}

/// Fits the vocabulary on the given rows only, then the models.
pub fn fit_prepared(
    prepared: &Prepared,
    rows_used: &[usize],
    options: &TrainOptions,
) -> Result<Trained> {
    let data = vectorize_rows(prepared, rows_used, options)?;
    let (pooled, targets, notes) = fit_models(&data, options, FitMode::Final)?;
    Ok(Trained {
        vocabulary: data.vocabulary,
        pooled,
        targets,
        notes,
    })
}

type Models = (LinearModel, BTreeMap<String, LinearModel>, Vec<String>);

/// How far a fit goes. Selection compares many candidate settings on cross-validation folds, so
/// it takes the sparse solver's answer to a looser tolerance and skips linfa's dense polish,
/// starting each model from its solution at the previous (stronger) L2 strength of the path when
/// one is given; the model that is saved always gets the full fit.
pub enum FitMode<'a> {
    Final,
    Selection(&'a mut WarmStarts),
}

/// Solutions of the last fit along an L2 path, by model (`None`: the pooled one), in the
/// solver's layout; the next fit on the same rows starts from them.
#[derive(Default)]
pub struct WarmStarts(BTreeMap<Option<String>, Vec<f64>>);

/// Selection compares settings, not digits: ten times linfa's tolerance moved 5-fold CV F_avg on
/// SemEval-2016 by under 0.0005 and took a third of the time off.
const SELECTION_TOLERANCE: f64 = 10.0;

/// The pooled model and one model per target with enough rows, fitted in parallel.
pub fn fit_models(data: &Vectorized, options: &TrainOptions, mut mode: FitMode) -> Result<Models> {
    let mut rows_per_target: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (position, &target) in data.targets.iter().enumerate() {
        rows_per_target.entry(target).or_default().push(position);
    }
    let all: Vec<usize> = (0..data.rows.len()).collect();
    let mut jobs: Vec<(Option<&str>, &[usize])> = vec![(None, &all)];
    let mut too_few = Vec::new();
    for (&target, indices) in &rows_per_target {
        match options.min_target_rows {
            Some(m) if indices.len() >= m => jobs.push((Some(target), indices)),
            Some(_) => too_few.push(target),
            None => {}
        }
    }
    let mut notes = Vec::new();
    let mut language_groups = language_groups(data, options);
    // Augmentation gives each row one copy of the features besides the shared one: a row's
    // target copy and its language copy would undo each other (the target's model was left with
    // the shared copy alone, and scored the project's corpus at macro-F1 0.20), so per-target
    // copies take the place of the models per language.
    if options.augment_targets.is_some() && jobs.len() > 1 && !language_groups.is_empty() {
        language_groups.clear();
        notes.push(
            "--augment-targets with targets of their own: one model for all languages, not one \
             per language"
                .to_string(),
        );
    }
    for (key, indices) in &language_groups {
        jobs.push((Some(key.as_str()), indices));
    }
    if let (Some(m), false) = (options.min_target_rows, too_few.is_empty()) {
        let shown: Vec<&str> = too_few.iter().take(8).copied().collect();
        let more = if too_few.len() > 8 {
            format!(" and {} more", too_few.len() - 8)
        } else {
            String::new()
        };
        notes.push(format!(
            "{} targets have fewer than {m} rows and use the pooled model: {}{more}",
            too_few.len(),
            shown.join(", ")
        ));
    }
    if options.balance {
        if let Some(note) = balance_note(&data.labels) {
            notes.push(note);
        }
    }
    if let Some(shared) = options.augment_sources {
        if let Some(pooled) =
            fit_source_augmented(data, shared, options, selecting(&mode), &mut notes)?
        {
            if jobs.len() > 1 {
                notes.push(
                    "--augment-sources: one model for all targets and languages (new text is \
                     scored by the mean of the files' models), not a model per target or per \
                     language"
                        .to_string(),
                );
            }
            return Ok((pooled, BTreeMap::new(), notes));
        }
    }
    if let (Some(shared), true) = (options.augment_targets, jobs.len() > 1) {
        let (pooled, targets) = fit_augmented(
            data,
            &jobs[1..],
            shared,
            options,
            selecting(&mode),
            &mut notes,
        )?;
        return Ok((pooled, targets, notes));
    }
    let rank = |f: u32| data.rank(f);
    let columns = Columns {
        len: data.width,
        rank: &rank,
    };
    let starts = match &mode {
        FitMode::Selection(starts) => Some(&starts.0),
        FitMode::Final => None,
    };
    let fitted: Vec<(Option<&str>, Result<Fitted>)> = jobs
        .par_iter()
        .map(|&(target, indices)| {
            let indices = if options.balance {
                balanced(indices, &data.labels)
            } else {
                indices.to_vec()
            };
            let how = match starts {
                Some(starts) => Route::Selection(starts.get(&target.map(str::to_string))),
                None => Route::Final,
            };
            let result = fit(&data.rows, &data.labels, &indices, &columns, options, how);
            (target, result)
        })
        .collect();

    let (mut pooled, mut targets) = (None, BTreeMap::new());
    for (target, mut result) in fitted {
        if let Ok(Fitted {
            note: Some(note), ..
        }) = &result
        {
            notes.push(format!("{}: {note}", target.unwrap_or("pooled model")));
        }
        if let (FitMode::Selection(starts), Ok(fitted)) = (&mut mode, &mut result) {
            if let Some(solution) = fitted.solution.take() {
                starts.0.insert(target.map(str::to_string), solution);
            }
        }
        match (target, result) {
            (None, result) => pooled = Some(result?.model),
            (Some(target), Ok(fitted)) => {
                targets.insert(target.to_string(), fitted.model);
            }
            (Some(target), Err(e)) => notes.push(format!("{target}: uses the pooled model ({e})")),
        }
    }
    let pooled = pooled.ok_or_else(|| Error::Training("the pooled model was not fitted".into()))?;
    Ok((pooled, targets, notes))
}

/// Daumé III's "frustratingly easy" domain adaptation across targets: one fit over all rows, whose
/// columns are every feature once shared (its value scaled by `shared`) and once more for the
/// row's own target, plus a bias column per target (class priors differ from target to target).
/// Character n-grams are copied too: on SemEval-2016, copying word features only lost 0.5–1 point
/// of cross-validated F_avg against the per-target models, copying all gained 0.6–1.6.
/// The shared weights pool evidence across targets; the own copies, penalized like any weight,
/// move a target away from the shared ones only where its rows insist. Since a row's logits are
/// shared × w_shared · x + w_own · x, the fit folds back into ordinary linear models: the pooled
/// one (shared copy only, for targets without a copy) and one per target (shared + own).
fn fit_augmented(
    data: &Vectorized,
    own: &[(Option<&str>, &[usize])],
    shared: f32,
    options: &TrainOptions,
    selecting: bool,
    notes: &mut Vec<String>,
) -> Result<(LinearModel, BTreeMap<String, LinearModel>)> {
    let v = data.width;
    let bias_column = |j: usize| v * (1 + own.len()) + j;
    let mut copy_of_row = vec![None; data.rows.len()];
    for (j, (_, indices)) in own.iter().enumerate() {
        for &i in indices.iter() {
            copy_of_row[i] = Some(j);
        }
    }
    let rows: Vec<SparseVec> = data
        .rows
        .iter()
        .zip(&copy_of_row)
        .map(|(x, copy)| {
            let mut row: SparseVec = x.iter().map(|&(f, value)| (f, shared * value)).collect();
            if let Some(j) = *copy {
                let offset = (v * (1 + j)) as u32;
                row.extend(x.iter().map(|&(f, value)| (offset + f, value)));
                row.push((bias_column(j) as u32, 1.0));
            }
            row
        })
        .collect();
    // A copy ranks as its feature; bias columns are never dropped by the dense budget.
    let rank = |c: u32| match c as usize {
        c if c >= bias_column(0) => 0,
        c => data.rank((c % v) as u32),
    };
    let columns = Columns {
        len: bias_column(own.len()),
        rank: &rank,
    };
    let all: Vec<usize> = (0..rows.len()).collect();
    let indices = if options.balance {
        balanced(&all, &data.labels)
    } else {
        all
    };
    // This one fit replaces the pooled and the per-target fits, so it gets their budgets together;
    // with one budget it keeps under half its columns on SemEval and scores below the
    // per-target models.
    let options = TrainOptions {
        dense_budget_mib: options.dense_budget_mib * (1 + own.len()),
        ..options.clone()
    };
    let how = if selecting {
        Route::Selection(None)
    } else {
        Route::Final
    };
    let fitted = fit(&rows, &data.labels, &indices, &columns, &options, how)?;
    if let Some(note) = fitted.note {
        notes.push(format!("augmented model: {note}"));
    }
    let w = &fitted.model.weights;
    let pooled = LinearModel {
        weights: w[..3 * v].iter().map(|&x| shared * x).collect(),
        intercept: fitted.model.intercept,
        rows: data.rows.len(),
    };
    let mut targets = BTreeMap::new();
    for (j, &(target, indices)) in own.iter().enumerate() {
        let own_weights = &w[3 * v * (1 + j)..3 * v * (2 + j)];
        let bias = &w[3 * bias_column(j)..3 * bias_column(j) + 3];
        let model = LinearModel {
            weights: pooled
                .weights
                .iter()
                .zip(own_weights)
                .map(|(a, b)| a + b)
                .collect(),
            intercept: std::array::from_fn(|k| pooled.intercept[k] + bias[k]),
            rows: indices.len(),
        };
        targets.insert(target.unwrap_or_default().to_string(), model);
    }
    Ok((pooled, targets))
}

/// Daumé III's augmentation across training files: every file gets its own copy of each feature
/// and its own intercept; the model returned is the mean of the files' models (shared + the mean
/// of the copies), since the text it will score comes from none of them.
/// `None` when the rows come from one file, where it would change nothing.
fn fit_source_augmented(
    data: &Vectorized,
    shared: f32,
    options: &TrainOptions,
    selecting: bool,
    notes: &mut Vec<String>,
) -> Result<Option<LinearModel>> {
    let mut rows_per_source: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (position, &source) in data.sources.iter().enumerate() {
        rows_per_source.entry(source).or_default().push(position);
    }
    if rows_per_source.len() < 2 {
        return Ok(None);
    }
    let names: Vec<String> = rows_per_source
        .keys()
        .map(|s| format!("source {s}"))
        .collect();
    let own: Vec<(Option<&str>, &[usize])> = names
        .iter()
        .zip(rows_per_source.values())
        .map(|(name, rows)| (Some(name.as_str()), rows.as_slice()))
        .collect();
    let (_, per_source) = fit_augmented(data, &own, shared, options, selecting, notes)?;
    // New text comes from none of the files: it is scored by the mean of their models.
    let n = per_source.len() as f32;
    let mut mean = LinearModel {
        weights: vec![0.0; data.width * 3],
        intercept: [0.0; 3],
        rows: data.rows.len(),
    };
    for model in per_source.values() {
        for (m, w) in mean.weights.iter_mut().zip(&model.weights) {
            *m += w / n;
        }
        for (m, b) in mean.intercept.iter_mut().zip(model.intercept) {
            *m += b / n;
        }
    }
    Ok(Some(mean))
}

#[cfg(test)]
mod tests;
