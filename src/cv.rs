//! Model selection: stratified K-fold cross-validation over a grid of L2 strengths, feature sets
//! and per-target model thresholds. Folds keep all rows of one statement together, so a statement
//! never helps to score itself through another of its targets.

use rayon::prelude::*;
use std::collections::HashMap;

use crate::data::{Example, Stance};
use crate::error::{Error, Result};
use crate::metrics::Confusion;
use crate::model::{CvResult, TrainOptions};
use crate::parties::Registry;
use crate::pooling::PoolingOptions;
use crate::text::AnalyzerConfig;
use crate::train::{fit_models, prepare, vectorize_rows};
use crate::vectors::WordVectors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Metric {
    /// SemEval-2016's mean F1 of favor and against.
    #[value(name = "f_avg")]
    FAvg,
    #[value(name = "macro_f1")]
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
}

/// A named configuration of the features in the grid: the analyzer's, and how word vectors are
/// pooled (`None`: no dense block).
#[derive(Debug, Clone)]
pub struct FeatureSet {
    pub name: String,
    pub analyzer: AnalyzerConfig,
    pub vectors: Option<PoolingOptions>,
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
fn setting_name(features: &str, config: &FitConfig) -> String {
    let mut name = features.to_string();
    if config.balance {
        name += ", balanced";
    }
    if let Some(shared) = config.augment_targets {
        name += &format!(", augmented {shared}");
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
        return Err(Error::Usage("--folds must be at least 2".into()));
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
            return Err(Error::Usage(format!(
                "{folds} folds need at least {folds} statements; these rows hold fewer"
            )));
        }
        let data = vectorize_rows(&prepared, &train_rows, options)?;
        let (pooled, targets, _) = fit_models(&data, options)?;
        for i in held_out {
            let model = targets.get(&prepared.targets[i]).unwrap_or(&pooled);
            let x = prepared.row(&data.vocabulary, i);
            probabilities[i] = crate::model::softmax(model.logits(&x));
        }
    }
    Ok(probabilities)
}

/// Runs the grid; returns the options that scored best and the whole table.
pub fn cross_validate(
    examples: &[Example],
    base: &TrainOptions,
    grid: &Grid,
    registry: &Registry,
    vectors: Option<&WordVectors>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(TrainOptions, Vec<CvResult>)> {
    if grid.folds < 2 {
        return Err(Error::Usage("--cv needs at least 2 folds".into()));
    }
    if grid.repeats < 1 {
        return Err(Error::Usage("--cv-repeats must be at least 1".into()));
    }
    let dealings: Vec<Vec<usize>> = (0..grid.repeats as u64)
        .map(|r| assign_folds(examples, grid.folds, grid.seed.wrapping_add(r)))
        .collect();
    let mut results = Vec::new();
    let mut candidates = Vec::new();
    for features in &grid.features {
        let mut options = base.clone();
        options.analyzer = features.analyzer.clone();
        options.vectors = features.vectors.filter(|_| vectors.is_some());
        let prepared = prepare(examples, &options, registry, vectors);
        let configs = grid.fit_configs();
        let mut confusions = vec![Confusion::default(); configs.len()];
        for (repeat, fold) in (0..grid.repeats).flat_map(|r| (0..grid.folds).map(move |f| (r, f))) {
            let fold_of = &dealings[repeat];
            let repeat_note = if grid.repeats > 1 {
                format!(", repeat {}/{}", repeat + 1, grid.repeats)
            } else {
                String::new()
            };
            progress(&format!(
                "features {}: fold {}/{}{repeat_note}",
                features.name,
                fold + 1,
                grid.folds
            ));
            let train_rows: Vec<usize> = (0..examples.len())
                .filter(|&i| fold_of[i] != fold)
                .collect();
            let held_out: Vec<usize> = (0..examples.len())
                .filter(|&i| fold_of[i] == fold)
                .collect();
            let data = vectorize_rows(&prepared, &train_rows, &options)?;
            let held_out_rows: Vec<_> = held_out
                .iter()
                .map(|&i| prepared.row(&data.vocabulary, i))
                .collect();
            let fold_results: Vec<Result<Confusion>> = configs
                .par_iter()
                .map(|config| {
                    let (pooled, targets, _) = fit_models(&data, &config.apply(&options))?;
                    let mut confusion = Confusion::default();
                    for (&i, x) in held_out.iter().zip(&held_out_rows) {
                        let model = targets.get(&prepared.targets[i]).unwrap_or(&pooled);
                        let predicted = crate::model::argmax(&model.logits(x));
                        confusion.add(Stance::ALL[prepared.labels[i]], Stance::ALL[predicted]);
                    }
                    Ok(confusion)
                })
                .collect();
            for (total, fold_result) in confusions.iter_mut().zip(fold_results) {
                let c = fold_result?;
                for g in 0..3 {
                    for p in 0..3 {
                        total.matrix[g][p] += c.matrix[g][p];
                    }
                }
            }
        }
        for (config, c) in configs.into_iter().zip(confusions) {
            results.push(CvResult {
                l2: config.l2,
                features: setting_name(&features.name, &config),
                min_target_rows: config.min_target_rows,
                accuracy: c.accuracy(),
                macro_f1: c.macro_f1(),
                f_avg: c.f_avg(),
                chosen: false,
            });
            candidates.push((grid.metric.of(&c), options.clone(), config));
        }
    }
    // The first best in grid order wins ties, so the result is deterministic.
    let mut best = 0;
    for (i, c) in candidates.iter().enumerate() {
        if c.0 > candidates[best].0 {
            best = i;
        }
    }
    results[best].chosen = true;
    let (_, features, config) = candidates.swap_remove(best);
    let chosen = TrainOptions {
        analyzer: features.analyzer,
        vectors: features.vectors,
        ..base.clone()
    };
    Ok((config.apply(&chosen), results))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str, stance: Stance) -> Example {
        example_of("X", text, stance)
    }

    fn example_of(target: &str, text: &str, stance: Stance) -> Example {
        Example {
            id: None,
            text: text.into(),
            target: Some(target.into()),
            stance: Some(stance),
            spans: None,
            line: 1,
            source: 0,
        }
    }

    #[test]
    fn folds_keep_statements_together_and_depend_on_the_seed_only() {
        let mut examples = Vec::new();
        for i in 0..30 {
            let stance = Stance::ALL[i % 3];
            examples.push(example(&format!("statement {i}"), stance));
            examples.push(example(&format!("statement {i}"), Stance::None));
        }
        let folds = assign_folds(&examples, 5, 7);
        for pair in folds.chunks(2) {
            assert_eq!(pair[0], pair[1]);
        }
        assert_eq!(folds, assign_folds(&examples, 5, 7));
        assert_ne!(folds, assign_folds(&examples, 5, 8));
        // Stratified: each fold holds two statements of each first-row stance.
        for fold in 0..5 {
            for s in Stance::ALL {
                let n = (0..30)
                    .filter(|&i| folds[2 * i] == fold && Stance::ALL[i % 3] == s)
                    .count();
                assert_eq!(n, 2, "fold {fold}, {s:?}");
            }
        }
    }

    #[test]
    fn balance_and_augmentation_are_tried_and_the_chosen_row_is_what_is_returned() {
        // Two targets, against-heavy, as on SemEval.
        let mut examples = Vec::new();
        for target in ["Alpha", "Beta"] {
            for i in 0..24 {
                let (word, stance) = match i % 6 {
                    0 => ("praise", Stance::Favor),
                    1 => ("maybe", Stance::None),
                    _ => ("blame", Stance::Against),
                };
                let text = format!("{target} {word} number{i} today");
                examples.push(example_of(target, &text, stance));
            }
        }
        let grid = Grid {
            folds: 3,
            repeats: 1,
            metric: Metric::FAvg,
            seed: 1,
            l2: vec![1.0],
            features: vec![FeatureSet {
                name: "words".into(),
                analyzer: AnalyzerConfig::default(),
                vectors: None,
            }],
            min_target_rows: vec![Some(10), None],
            balance: vec![false, true],
            augment_targets: vec![None, Some(0.5)],
        };
        let base = TrainOptions {
            min_df: 1,
            ..TrainOptions::default()
        };
        let registry = Registry::default_registry();
        let (chosen, table) =
            cross_validate(&examples, &base, &grid, &registry, None, &|_| {}).unwrap();
        let rows: Vec<(&str, Option<usize>)> = table
            .iter()
            .map(|r| (r.features.as_str(), r.min_target_rows))
            .collect();
        // Augmentation needs per-target models, so it is not tried with the pooled one alone.
        assert_eq!(
            rows,
            [
                ("words", Some(10)),
                ("words, augmented 0.5", Some(10)),
                ("words, balanced", Some(10)),
                ("words, balanced, augmented 0.5", Some(10)),
                ("words", None),
                ("words, balanced", None),
            ]
        );
        // The switches reach the fits: on these rows, with this little data per target, the
        // majority class wins unless the rows are balanced or the targets share evidence.
        assert!(table[1].f_avg > table[0].f_avg && table[2].f_avg > table[0].f_avg);
        let marked: Vec<_> = table.iter().filter(|r| r.chosen).collect();
        assert_eq!(marked.len(), 1);
        let best = table.iter().map(|r| r.f_avg).fold(f64::MIN, f64::max);
        assert_eq!(marked[0].f_avg, best);
        assert_eq!(chosen.balance, marked[0].features.contains("balanced"));
        assert_eq!(
            chosen.augment_targets.is_some(),
            marked[0].features.contains("augmented")
        );
        assert_eq!(chosen.min_target_rows, marked[0].min_target_rows);
    }

    #[test]
    fn repeats_judge_on_every_dealing_of_the_folds() {
        // Three words per statement drawn from six by a fixed generator; each stance leans to
        // two of them, so some held-out rows are missed and which ones depends on the dealing.
        let words = ["praise", "thank", "blame", "accuse", "visit", "meet"];
        let mut state = 7u64;
        let mut examples = Vec::new();
        for i in 0..45 {
            let stance = Stance::ALL[i % 3];
            let mut text = format!("X number{i}");
            for _ in 0..3 {
                state = splitmix(state);
                let leaning = !state.is_multiple_of(3);
                let pick = if leaning {
                    2 * (i % 3) + (state >> 8) as usize % 2
                } else {
                    (state >> 8) as usize % 6
                };
                text += " ";
                text += words[pick];
            }
            examples.push(example(&text, stance));
        }
        let base = TrainOptions {
            min_df: 1,
            ..TrainOptions::default()
        };
        let registry = Registry::default_registry();
        let run = |seed: u64, repeats: usize| {
            let grid = Grid {
                folds: 3,
                repeats,
                metric: Metric::Accuracy,
                seed,
                l2: vec![1.0],
                features: vec![FeatureSet {
                    name: "words".into(),
                    analyzer: AnalyzerConfig::default(),
                    vectors: None,
                }],
                min_target_rows: vec![None],
                balance: vec![false],
                augment_targets: vec![None],
            };
            let (_, table) =
                cross_validate(&examples, &base, &grid, &registry, None, &|_| {}).unwrap();
            table[0].accuracy
        };
        // Each dealing holds every row out once, so the pooled accuracy is the mean of the
        // dealings' accuracies.
        let (first, second) = (run(4, 1), run(5, 1));
        assert_ne!(first, second, "the two dealings should differ on this data");
        assert!((run(4, 2) - (first + second) / 2.0).abs() < 1e-12);
    }
}
