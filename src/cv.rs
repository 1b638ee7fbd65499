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
use crate::text::AnalyzerConfig;
use crate::train::{fit_models, prepare, vectorize_rows};

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

/// A named analyzer configuration in the grid.
#[derive(Debug, Clone)]
pub struct FeatureSet {
    pub name: String,
    pub analyzer: AnalyzerConfig,
}

#[derive(Debug, Clone)]
pub struct Grid {
    pub folds: usize,
    pub metric: Metric,
    pub seed: u64,
    pub l2: Vec<f64>,
    pub features: Vec<FeatureSet>,
    pub min_target_rows: Vec<Option<usize>>,
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

/// Runs the grid; returns the options that scored best and the whole table.
pub fn cross_validate(
    examples: &[Example],
    base: &TrainOptions,
    grid: &Grid,
    registry: &Registry,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(TrainOptions, Vec<CvResult>)> {
    if grid.folds < 2 {
        return Err(Error::Usage("--cv needs at least 2 folds".into()));
    }
    let fold_of = assign_folds(examples, grid.folds, grid.seed);
    let mut results = Vec::new();
    let mut candidates = Vec::new();
    for features in &grid.features {
        let mut options = base.clone();
        options.analyzer = features.analyzer.clone();
        let prepared = prepare(examples, &options, registry);
        let configs: Vec<(f64, Option<usize>)> = grid
            .l2
            .iter()
            .flat_map(|&l2| grid.min_target_rows.iter().map(move |&m| (l2, m)))
            .collect();
        let mut confusions = vec![Confusion::default(); configs.len()];
        for fold in 0..grid.folds {
            progress(&format!(
                "features {}: fold {}/{}",
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
                .map(|&i| {
                    data.vocabulary
                        .vectorize(prepared.docs[i].iter().map(String::as_str))
                })
                .collect();
            let fold_results: Vec<Result<Confusion>> = configs
                .par_iter()
                .map(|&(l2, min_target_rows)| {
                    let options = TrainOptions {
                        l2,
                        min_target_rows,
                        ..options.clone()
                    };
                    let (pooled, targets, _) = fit_models(&data, &options)?;
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
        for ((l2, min_target_rows), c) in configs.into_iter().zip(confusions) {
            results.push(CvResult {
                l2,
                features: features.name.clone(),
                min_target_rows,
                accuracy: c.accuracy(),
                macro_f1: c.macro_f1(),
                f_avg: c.f_avg(),
                chosen: false,
            });
            candidates.push((
                grid.metric.of(&c),
                options.analyzer.clone(),
                l2,
                min_target_rows,
            ));
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
    let (_, analyzer, l2, min_target_rows) = candidates.swap_remove(best);
    Ok((
        TrainOptions {
            analyzer,
            l2,
            min_target_rows,
            ..base.clone()
        },
        results,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str, stance: Stance) -> Example {
        Example {
            id: None,
            text: text.into(),
            target: Some("X".into()),
            stance: Some(stance),
            spans: None,
            line: 1,
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
}
