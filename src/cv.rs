//! Model selection: stratified K-fold cross-validation over a grid of L2 strengths, feature sets
//! and per-target model thresholds. Folds keep all rows of one statement together, so a statement
//! never helps to score itself through another of its targets.

use rayon::prelude::*;
use std::collections::HashMap;

use crate::data::{Example, Stance};
use crate::error::{Error, Result};
use crate::features::SparseVec;
use crate::metrics::Confusion;
use crate::model::LinearModel;
use crate::model::{CvResult, TrainOptions};
use crate::parties::Registry;
use crate::pooling::PoolingOptions;
use crate::text::stem;
use crate::text::{AnalyzerConfig, Language};
use crate::train::{
    fit_models, language_rows, prepare, vectorize_rows, FitMode, Prepared, WarmStarts,
};
use crate::vectors::WordVectors;
use std::collections::BTreeMap;

mod threshold;
use threshold::with_none_threshold;
pub use threshold::{fit_none_shift, fit_temperature};

/// Index of the none class in `Stance::ALL`.
const NONE: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// SemEval-2016's mean F1 of favor and against.
    FAvg,
    MacroF1,
    Accuracy,
}

impl Metric {
    pub fn of(self, c: &Confusion) -> f64 {
        match self {
            Metric::FAvg => c.f_avg(),
            Metric::MacroF1 => c.macro_f1(),
            Metric::Accuracy => c.accuracy(),
        }
    }

    /// The metric as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Metric::FAvg => "f_avg",
            Metric::MacroF1 => "macro_f1",
            Metric::Accuracy => "accuracy",
        }
    }
}

/// A named configuration of the features in the grid: the analyzer's, and how word vectors are
/// pooled (`None`: no dense block).
#[derive(Debug, Clone)]
pub struct FeatureSet {
    pub name: String,
    pub analyzer: AnalyzerConfig,
    pub vectors: Option<PoolingOptions>,
    /// How many extras the set adds to the plainest features (e.g. character n-grams), for the
    /// one-standard-error rule's preference for the simplest candidate.
    pub extras: usize,
}

#[derive(Debug, Clone)]
pub struct Grid {
    pub folds: usize,
    /// Repeated K-fold: the folds are dealt `repeats` times, with seeds `seed`, `seed + 1`, …,
    /// and each setting is judged on the confusion pooled over all of them.
    pub repeats: usize,
    pub metric: Metric,
    pub seed: u64,
    pub l2: Vec<f64>,
    pub features: Vec<FeatureSet>,
    pub min_target_rows: Vec<Option<usize>>,
    /// `--balance` off and/or on.
    pub balance: Vec<bool>,
    /// `--augment-targets` off (`None`) and/or on with a shared weight; only tried with
    /// per-target models, since it changes nothing without them.
    pub augment_targets: Vec<Option<f32>>,
    /// Each candidate without and/or with the none threshold (`NONE_SHIFTS`): it needs no fit
    /// of its own, so it is no reason to run selection (`sole_candidate` leaves it out).
    pub none_threshold: Vec<bool>,
}

/// How one configuration is fitted, beside its feature set.
#[derive(Debug, Clone, Copy)]
struct FitConfig {
    l2: f64,
    min_target_rows: Option<usize>,
    balance: bool,
    augment_targets: Option<f32>,
}

impl FitConfig {
    /// `options` with this configuration's fit settings.
    fn apply(&self, options: &TrainOptions) -> TrainOptions {
        TrainOptions {
            l2: self.l2,
            min_target_rows: self.min_target_rows,
            balance: self.balance,
            augment_targets: self.augment_targets,
            ..options.clone()
        }
    }
}

impl Grid {
    /// The options of the grid's only candidate (the none threshold aside), when it has one:
    /// nothing to choose.
    pub fn sole_candidate(&self, base: &TrainOptions) -> Option<TrainOptions> {
        match (self.features.as_slice(), self.fit_configs().as_slice()) {
            ([features], [config]) => Some(config.apply(&TrainOptions {
                analyzer: features.analyzer.clone(),
                vectors: features.vectors.filter(|_| base.vectors.is_some()),
                ..base.clone()
            })),
            _ => None,
        }
    }

    /// Every fit configuration, in grid order, without the ones that would repeat another.
    fn fit_configs(&self) -> Vec<FitConfig> {
        let mut configs = Vec::new();
        for &l2 in &self.l2 {
            for &min_target_rows in &self.min_target_rows {
                for &balance in &self.balance {
                    for &augment_targets in &self.augment_targets {
                        if augment_targets.is_some() && min_target_rows.is_none() {
                            continue;
                        }
                        configs.push(FitConfig {
                            l2,
                            min_target_rows,
                            balance,
                            augment_targets,
                        });
                    }
                }
            }
        }
        configs
    }
}

/// The table's name of a configuration: its feature set, then the fit options that are on.
fn setting_name(features: &str, config: &FitConfig, none_threshold: bool) -> String {
    let mut name = features.to_string();
    if config.balance {
        name += ", balanced";
    }
    if let Some(shared) = config.augment_targets {
        name += &format!(", augmented {shared}");
    }
    if none_threshold {
        name += ", none threshold";
    }
    name
}

/// A small, seeded, portable generator (SplitMix64), so folds are the same on every machine.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn text_hash(text: &str, seed: u64) -> u64 {
    text.bytes()
        .fold(splitmix(seed), |h, b| splitmix(h ^ b as u64))
}

/// Fold of every row: statements are shuffled by a seeded hash, ordered by their first row's
/// stance, and dealt round-robin, so each fold gets about the same share of every stance.
pub fn assign_folds(examples: &[Example], folds: usize, seed: u64) -> Vec<usize> {
    let mut groups: HashMap<&str, (usize, u64)> = HashMap::new();
    for e in examples {
        let label = e.stance.unwrap_or(Stance::None).index();
        groups
            .entry(&e.text)
            .or_insert((label, text_hash(&e.text, seed)));
    }
    let mut order: Vec<(&str, usize, u64)> = groups.iter().map(|(t, &(l, h))| (*t, l, h)).collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)).then(a.0.cmp(b.0)));
    let fold_of: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, g)| (g.0, i % folds))
        .collect();
    examples.iter().map(|e| fold_of[e.text.as_str()]).collect()
}

/// Out-of-fold class probabilities of every example (in `Stance::ALL` order): `folds` models
/// fit with `options` on the other folds (`assign_folds`: a statement's rows stay in one fold),
/// each scoring its held-out rows, as a model trained on all rows would score unseen text.
pub fn out_of_fold_probabilities(
    examples: &[Example],
    options: &TrainOptions,
    folds: usize,
    seed: u64,
    registry: &Registry,
    vectors: Option<&WordVectors>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Vec<[f32; 3]>> {
    if folds < 2 {
        return Err(Error::Invalid(
            "cross-validation needs at least 2 folds".into(),
        ));
    }
    let prepared = prepare(examples, options, registry, vectors);
    let fold_of = assign_folds(examples, folds, seed);
    let mut probabilities = vec![[0.0; 3]; examples.len()];
    for fold in 0..folds {
        progress(&format!("fold {}/{folds}", fold + 1));
        let (held_out, train_rows): (Vec<usize>, Vec<usize>) =
            (0..examples.len()).partition(|&i| fold_of[i] == fold);
        if held_out.is_empty() {
            continue;
        }
        if train_rows.is_empty() {
            return Err(Error::Invalid(format!(
                "{folds} folds need at least {folds} statements; these rows hold fewer"
            )));
        }
        let data = vectorize_rows(&prepared, &train_rows, options)?;
        let (pooled, targets, _) = fit_models(
            &data,
            options,
            FitMode::Selection(&mut WarmStarts::default()),
        )?;
        for i in held_out {
            let model = targets.get(&prepared.targets[i]).unwrap_or(&pooled);
            let x = prepared.row(&data.vocabulary, i);
            probabilities[i] = crate::model::softmax(model.logits(&x));
        }
    }
    Ok(probabilities)
}

/// What selection chose: the options, the table of every candidate, and why.
pub struct Selected {
    pub options: TrainOptions,
    pub table: Vec<CvResult>,
    pub reason: String,
    /// The chosen candidate's temperature, fit on its held-out predictions (`fit_temperature`).
    pub temperature: f64,
    /// The shift of the none class's logit when the chosen candidate has the none threshold
    /// (`fit_none_shift` on all its held-out predictions), else 0.
    pub none_shift: f32,
}

/// One candidate of the grid: a feature set and fit settings.
struct Candidate {
    features: usize,
    config: FitConfig,
    /// Scored with a shift of the none class's logit chosen on the other folds (`NONE_SHIFTS`).
    none_threshold: bool,
    /// Index of its fits' held-out predictions (before any threshold) in `cross_validate`.
    fit: usize,
}

impl Candidate {
    /// What a candidate adds over the plainest model; with the L2 strength (stronger is simpler)
    /// it orders candidates for the one-standard-error rule.
    fn extras(&self, grid: &Grid) -> usize {
        grid.features[self.features].extras
            + usize::from(self.config.min_target_rows.is_some())
            + usize::from(self.config.balance)
            + usize::from(self.config.augment_targets.is_some())
            + usize::from(self.none_threshold)
    }
}

/// The best row by mean held-out score (the first in grid order on ties), and the row chosen:
/// of those within one standard error of the best, the fewest `extras`, then the strongest L2,
/// then the first in grid order — deterministic whatever the scores.
fn one_standard_error_choice(table: &[CvResult], extras: &[usize]) -> (usize, usize) {
    let mut best = 0;
    for (i, row) in table.iter().enumerate() {
        if row.mean > table[best].mean {
            best = i;
        }
    }
    let floor = table[best].mean - table[best].se;
    let chosen = (0..table.len())
        .filter(|&i| table[i].mean >= floor)
        .min_by(|&a, &b| {
            extras[a]
                .cmp(&extras[b])
                .then(table[b].l2.total_cmp(&table[a].l2))
                .then(a.cmp(&b))
        })
        .unwrap_or(best);
    (best, chosen)
}

/// Mean and standard error of per-fold scores.
fn mean_and_se(scores: &[f64]) -> (f64, f64) {
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    if scores.len() < 2 {
        return (mean, 0.0);
    }
    let var = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// One candidate's predictions on one held-out fold.
struct HeldOut {
    confusion: Confusion,
    /// Each row's class and logits, for the temperature fit.
    logits: Vec<(usize, [f32; 3])>,
}

/// The predictions of a fold's fit on its held-out rows: each row by its target's own model,
/// or by the pooled one (`pooled_only`, or a target without a model).
fn held_out_scores(
    held_out: &[usize],
    rows: &[SparseVec],
    prepared: &Prepared,
    models: &(LinearModel, BTreeMap<String, LinearModel>),
    pooled_only: bool,
) -> HeldOut {
    let mut confusion = Confusion::default();
    let mut logits = Vec::with_capacity(held_out.len());
    for (&i, x) in held_out.iter().zip(rows) {
        // A language's own model does not depend on the per-target setting: pooled-only
        // candidates have it too.
        let own_target = (!pooled_only)
            .then(|| models.1.get(&prepared.targets[i]))
            .flatten();
        let own_language = || crate::model::language_model(&models.1, prepared.languages[i]);
        let model = own_target
            .or_else(|| own_language().map(|(_, m)| m))
            .unwrap_or(&models.0);
        let z = model.logits(x);
        let label = prepared.labels[i];
        confusion.add(Stance::ALL[label], Stance::ALL[crate::model::argmax(&z)]);
        logits.push((label, z));
    }
    HeldOut { confusion, logits }
}

/// Chains of the fit configurations that differ only in L2, strongest first, so that each fit
/// starts from the one before (the L2 path). A configuration with pooled models only, whose
/// twin with per-target models is in the grid, is no chain of its own: the twin's fit holds
/// the same pooled model, and scores it too (`twins`).
/// The none threshold `language_none_shifts` chose for a language's own model, and the CV
/// metric's fold mean without and with a threshold.
#[derive(Debug)]
pub struct LanguageThreshold {
    pub language: Language,
    pub shift: f32,
    pub without: f64,
    pub with: f64,
}

/// For training without selection (the default model's recipe): the none threshold of each
/// language's own model (`train::language_rows`). Each such language's rows are
/// cross-validated alone with `options`, with and without the threshold, and the
/// one-standard-error rule decides as it does in selection; where it prefers no threshold the
/// shift is 0.
pub fn language_none_shifts(
    examples: &[Example],
    options: &TrainOptions,
    registry: &Registry,
    vectors: Option<&WordVectors>,
    (folds, seed, metric): (usize, u64, Metric),
) -> Result<Vec<LanguageThreshold>> {
    let languages: Vec<Language> = examples.iter().map(|e| stem::detect(&e.text)).collect();
    let grid = Grid {
        folds,
        repeats: 1,
        metric,
        seed,
        l2: vec![options.l2],
        features: vec![FeatureSet {
            name: "the given settings".into(),
            analyzer: options.analyzer.clone(),
            vectors: options.vectors,
            extras: 0,
        }],
        min_target_rows: vec![options.min_target_rows],
        balance: vec![options.balance],
        augment_targets: vec![options.augment_targets],
        none_threshold: vec![false, true],
    };
    language_rows(&languages, options)
        .into_iter()
        .map(|(language, rows)| {
            let own: Vec<Example> = rows.iter().map(|&i| examples[i].clone()).collect();
            let selected = cross_validate(&own, options, &grid, registry, vectors, &|_| {})?;
            // The table lists the grid's one candidate without, then with, the threshold.
            Ok(LanguageThreshold {
                language,
                shift: selected.none_shift,
                without: selected.table[0].mean,
                with: selected.table[1].mean,
            })
        })
        .collect()
}

fn chains(configs: &[FitConfig]) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
    let same_path = |a: &FitConfig, b: &FitConfig| {
        a.min_target_rows == b.min_target_rows
            && a.balance == b.balance
            && a.augment_targets == b.augment_targets
    };
    let twin_of = |c: &FitConfig| {
        configs.iter().position(|t| {
            c.min_target_rows.is_some()
                && c.augment_targets.is_none()
                && t.min_target_rows.is_none()
                && t.balance == c.balance
                && t.augment_targets.is_none()
                && t.l2 == c.l2
        })
    };
    let twins: Vec<Option<usize>> = configs.iter().map(twin_of).collect();
    let shadowed = |i: usize| twins.contains(&Some(i));
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for (i, config) in configs.iter().enumerate() {
        if shadowed(i) {
            continue;
        }
        match chains
            .iter_mut()
            .find(|chain| same_path(&configs[chain[0]], config))
        {
            Some(chain) => chain.push(i),
            None => chains.push(vec![i]),
        }
    }
    for chain in &mut chains {
        chain.sort_by(|&a, &b| configs[b].l2.total_cmp(&configs[a].l2).then(a.cmp(&b)));
    }
    (chains, twins)
}

/// Runs the grid on K folds (repeated R times) and chooses by the one-standard-error rule: of
/// the candidates whose mean held-out score is within one standard error of the best, the one
/// with the fewest extras (per-target models, balancing, augmentation, character n-grams), then
/// the strongest L2, so that a difference the folds cannot tell apart does not pick an exotic
/// setting.
pub fn cross_validate(
    examples: &[Example],
    base: &TrainOptions,
    grid: &Grid,
    registry: &Registry,
    vectors: Option<&WordVectors>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Selected> {
    if grid.folds < 2 {
        return Err(Error::Invalid(
            "cross-validation needs at least 2 folds".into(),
        ));
    }
    if grid.repeats < 1 {
        return Err(Error::Invalid(
            "cross-validation needs at least 1 dealing of the folds".into(),
        ));
    }
    let dealings: Vec<Vec<usize>> = (0..grid.repeats as u64)
        .map(|r| assign_folds(examples, grid.folds, grid.seed.wrapping_add(r)))
        .collect();
    let configs = grid.fit_configs();
    let (chains, twins) = chains(&configs);
    let mut candidates = Vec::new();
    // Per feature set and fit configuration, the held-out folds of its fits; a candidate with
    // and one without the none threshold share them.
    let mut fits: Vec<Vec<HeldOut>> = Vec::new();
    for (f, features) in grid.features.iter().enumerate() {
        let mut options = base.clone();
        options.analyzer = features.analyzer.clone();
        options.vectors = features.vectors.filter(|_| vectors.is_some());
        let prepared = prepare(examples, &options, registry, vectors);
        let mut per_config: Vec<Vec<HeldOut>> = (0..configs.len()).map(|_| Vec::new()).collect();
        // Every fold of every dealing at once (each with its own vocabulary), and within a fold
        // every chain of the L2 path: the work spreads over all cores while each chain stays in
        // order. Results are collected in fold order, so the table does not depend on threads.
        let folds: Vec<(usize, usize)> = (0..grid.repeats)
            .flat_map(|r| (0..grid.folds).map(move |f| (r, f)))
            .collect();
        let fold_results: Vec<Result<Vec<(usize, HeldOut)>>> = folds
            .par_iter()
            .map(|&(repeat, fold)| {
                let fold_of = &dealings[repeat];
                let (held_out, train_rows): (Vec<usize>, Vec<usize>) =
                    (0..examples.len()).partition(|&i| fold_of[i] == fold);
                if held_out.is_empty() || train_rows.is_empty() {
                    return Err(Error::Invalid(format!(
                        "{} folds need at least {} statements; these rows hold fewer",
                        grid.folds, grid.folds
                    )));
                }
                let data = vectorize_rows(&prepared, &train_rows, &options)?;
                let held_out_rows: Vec<_> = held_out
                    .iter()
                    .map(|&i| prepared.row(&data.vocabulary, i))
                    .collect();
                let chain_results: Vec<Result<Vec<(usize, HeldOut)>>> = chains
                    .par_iter()
                    .map(|chain| {
                        let mut starts = WarmStarts::default();
                        let mut out = Vec::new();
                        for &c in chain {
                            let fit_options = configs[c].apply(&options);
                            let (pooled, targets, _) =
                                fit_models(&data, &fit_options, FitMode::Selection(&mut starts))?;
                            let models = (pooled, targets);
                            let score = |pooled_only| {
                                held_out_scores(
                                    &held_out,
                                    &held_out_rows,
                                    &prepared,
                                    &models,
                                    pooled_only,
                                )
                            };
                            out.push((c, score(false)));
                            if let Some(twin) = twins[c] {
                                out.push((twin, score(true)));
                            }
                        }
                        Ok(out)
                    })
                    .collect();
                let repeat_note = if grid.repeats > 1 {
                    format!(", repeat {}/{}", repeat + 1, grid.repeats)
                } else {
                    String::new()
                };
                progress(&format!(
                    "features {}: fold {}/{}{repeat_note} done",
                    features.name,
                    fold + 1,
                    grid.folds
                ));
                let mut out = Vec::new();
                for result in chain_results {
                    out.extend(result?);
                }
                Ok(out)
            })
            .collect();
        for result in fold_results {
            for (c, held_out) in result? {
                per_config[c].push(held_out);
            }
        }
        for (c, &config) in configs.iter().enumerate() {
            fits.push(std::mem::take(&mut per_config[c]));
            for &none_threshold in &grid.none_threshold {
                candidates.push(Candidate {
                    features: f,
                    config,
                    none_threshold,
                    fit: fits.len() - 1,
                });
            }
        }
    }
    let thresholded: Vec<Option<Vec<HeldOut>>> = candidates
        .iter()
        .map(|c| {
            c.none_threshold
                .then(|| with_none_threshold(&fits[c.fit], grid.folds, grid.metric))
        })
        .collect();
    let scores = candidates
        .iter()
        .zip(&thresholded)
        .map(|(c, t)| t.as_deref().unwrap_or(&fits[c.fit]));
    let mut table = Vec::new();
    for (candidate, folds) in candidates.iter().zip(scores) {
        let mut pooled = Confusion::default();
        for c in folds.iter().map(|f| &f.confusion) {
            for g in 0..3 {
                for p in 0..3 {
                    pooled.matrix[g][p] += c.matrix[g][p];
                }
            }
        }
        let per_fold: Vec<f64> = folds.iter().map(|f| grid.metric.of(&f.confusion)).collect();
        let (mean, se) = mean_and_se(&per_fold);
        table.push(CvResult {
            l2: candidate.config.l2,
            features: setting_name(
                &grid.features[candidate.features].name,
                &candidate.config,
                candidate.none_threshold,
            ),
            min_target_rows: candidate.config.min_target_rows,
            accuracy: pooled.accuracy(),
            macro_f1: pooled.macro_f1(),
            f_avg: pooled.f_avg(),
            mean,
            se,
            chosen: false,
        });
    }
    let extras: Vec<usize> = candidates.iter().map(|c| c.extras(grid)).collect();
    let (best, simplest) = one_standard_error_choice(&table, &extras);
    table[simplest].chosen = true;
    let describe = |i: usize| {
        let row = &table[i];
        let own = row
            .min_target_rows
            .map_or(String::new(), |m| format!(", own models >= {m} rows"));
        format!(
            "{}, l2 {}{own} ({} {:.4} ± {:.4})",
            row.features,
            row.l2,
            grid.metric.name(),
            row.mean,
            row.se
        )
    };
    let reason = if simplest == best {
        format!(
            "chose {}: the best of {} candidates by {}-fold cross-validation{}",
            describe(best),
            table.len(),
            grid.folds,
            if grid.repeats > 1 {
                format!(" × {}", grid.repeats)
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "chose {}: the simplest candidate within one standard error of the best, {}",
            describe(simplest),
            describe(best)
        )
    };
    let Candidate {
        features,
        config,
        none_threshold,
        fit,
    } = &candidates[simplest];
    let features = &grid.features[*features];
    let chosen = TrainOptions {
        analyzer: features.analyzer.clone(),
        vectors: features.vectors.filter(|_| vectors.is_some()),
        ..base.clone()
    };
    // The final shift is fit on all the chosen candidate's held-out predictions, and the
    // temperature on them shifted by it.
    let mut held_out: Vec<(usize, [f32; 3])> = fits[*fit]
        .iter()
        .flat_map(|f| f.logits.iter().copied())
        .collect();
    let none_shift = if *none_threshold {
        fit_none_shift(&held_out, grid.metric)
    } else {
        0.0
    };
    held_out.iter_mut().for_each(|(_, z)| z[NONE] += none_shift);
    Ok(Selected {
        options: config.apply(&chosen),
        table,
        reason,
        temperature: fit_temperature(&held_out),
        none_shift,
    })
}

#[cfg(test)]
mod tests;
