//! Tests of cross-validation, model selection and the held-out fits.

use super::threshold::shifted_confusion;
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
            extras: 0,
        }],
        min_target_rows: vec![Some(10), None],
        balance: vec![false, true],
        augment_targets: vec![None, Some(0.5)],
        none_threshold: vec![false, true],
    };
    let base = TrainOptions {
        min_df: 1,
        ..TrainOptions::default()
    };
    let registry = Registry::default_registry();
    let Selected {
        options: chosen,
        table,
        ..
    } = cross_validate(&examples, &base, &grid, &registry, None, &|_| {}).unwrap();
    let rows: Vec<(&str, Option<usize>)> = table
        .iter()
        .map(|r| (r.features.as_str(), r.min_target_rows))
        .collect();
    // Augmentation needs per-target models, so it is not tried with the pooled one alone.
    assert_eq!(
        rows,
        [
            ("words", Some(10)),
            ("words, none threshold", Some(10)),
            ("words, augmented 0.5", Some(10)),
            ("words, augmented 0.5, none threshold", Some(10)),
            ("words, balanced", Some(10)),
            ("words, balanced, none threshold", Some(10)),
            ("words, balanced, augmented 0.5", Some(10)),
            ("words, balanced, augmented 0.5, none threshold", Some(10)),
            ("words", None),
            ("words, none threshold", None),
            ("words, balanced", None),
            ("words, balanced, none threshold", None),
        ]
    );
    // The switches reach the fits: on these rows, with this little data per target, the
    // majority class wins unless the rows are balanced or the targets share evidence.
    assert!(table[2].f_avg > table[0].f_avg && table[4].f_avg > table[0].f_avg);
    let marked: Vec<_> = table.iter().filter(|r| r.chosen).collect();
    assert_eq!(marked.len(), 1);
    let best = table
        .iter()
        .max_by(|a, b| a.mean.total_cmp(&b.mean))
        .unwrap();
    assert!(marked[0].mean >= best.mean - best.se);
    assert_eq!(chosen.balance, marked[0].features.contains("balanced"));
    assert_eq!(
        chosen.augment_targets.is_some(),
        marked[0].features.contains("augmented")
    );
    assert_eq!(chosen.min_target_rows, marked[0].min_target_rows);
}

#[test]
fn the_none_threshold_is_chosen_on_other_folds_than_it_is_judged_on() {
    // Favor rows whose none logit is 1.1 above favor's: a shift of -1.25 answers them right.
    let row = |label: usize, favor: f32, none: f32| (label, [favor, 0.0, none]);
    let mut leaning = vec![row(0, 0.0, 1.1); 10];
    leaning.extend(vec![row(2, 0.0, 3.0); 10]);
    assert_eq!(fit_none_shift(&leaning, Metric::FAvg), -1.25);
    // Nothing to gain: no shift, not the most negative of equal ones.
    let settled = vec![row(0, 2.0, 0.0), row(2, 0.0, 2.0)];
    assert_eq!(fit_none_shift(&settled, Metric::MacroF1), 0.0);
    // Cross-fitted: a fold whose own rows want a shift, beside folds that want none, is
    // judged with the others' choice (no shift) and keeps its mistakes.
    let fold = |logits: Vec<(usize, [f32; 3])>| HeldOut {
        confusion: shifted_confusion(&logits, 0.0),
        logits,
    };
    let folds = vec![
        fold(leaning.clone()),
        fold(settled.clone()),
        fold(settled.clone()),
    ];
    let judged = with_none_threshold(&folds, 3, Metric::FAvg);
    assert_eq!(judged[0].confusion.matrix, folds[0].confusion.matrix);
    let wanting = vec![fold(leaning.clone()), fold(leaning.clone()), fold(leaning)];
    let judged = with_none_threshold(&wanting, 3, Metric::FAvg);
    assert!(judged[0].confusion.f_avg() > wanting[0].confusion.f_avg());
}

#[test]
fn the_temperature_fit_recovers_the_temperature_of_the_classes() {
    // Logits (2, 0, 0); classes drawn as softmax((2, 0, 0) / 2) = (0.576, 0.212, 0.212):
    // the model is twice as sure as the rows, so T = 2.
    let mut rows = Vec::new();
    for (label, n) in [(0, 576), (1, 212), (2, 212)] {
        rows.extend(std::iter::repeat_n((label, [2.0f32, 0.0, 0.0]), n));
    }
    let t = fit_temperature(&rows);
    assert!((t - 2.0).abs() < 0.02, "{t}");
    // Underconfident: the rows always agree with a weak lean, T well below 1.
    let sure = vec![(0, [0.5f32, 0.0, 0.0]); 100];
    assert!(fit_temperature(&sure) < 0.1);
    assert_eq!(fit_temperature(&[]), 1.0);
}

#[test]
fn the_simplest_candidate_within_one_standard_error_of_the_best_is_chosen() {
    let row = |mean: f64, se: f64, l2: f64| CvResult {
        mean,
        se,
        l2,
        ..CvResult::default()
    };
    // 0: the best, with two extras; 1: 0.015 behind, within its 0.02 standard error, no
    // extras; 2: as simple but outside; 3: within, no extras, stronger L2.
    let table = [
        row(0.70, 0.02, 1.0),
        row(0.685, 0.01, 1.0),
        row(0.67, 0.01, 10.0),
        row(0.681, 0.01, 3.0),
    ];
    assert_eq!(one_standard_error_choice(&table, &[2, 0, 0, 0]), (0, 3));
    // A tight best keeps its place.
    let tight = [row(0.70, 0.001, 1.0), row(0.685, 0.01, 3.0)];
    assert_eq!(one_standard_error_choice(&tight, &[2, 0]), (0, 0));
    // Equal extras: the stronger L2 wins; equal everything: the first in grid order.
    let ties = [
        row(0.70, 0.02, 1.0),
        row(0.70, 0.02, 3.0),
        row(0.70, 0.02, 3.0),
    ];
    assert_eq!(one_standard_error_choice(&ties, &[1, 1, 1]), (0, 1));
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
                extras: 0,
            }],
            min_target_rows: vec![None],
            balance: vec![false],
            none_threshold: vec![false],
            augment_targets: vec![None],
        };
        let selected = cross_validate(&examples, &base, &grid, &registry, None, &|_| {}).unwrap();
        selected.table[0].accuracy
    };
    // Each dealing holds every row out once, so the pooled accuracy is the mean of the
    // dealings' accuracies.
    let (first, second) = (run(4, 1), run(5, 1));
    assert_ne!(first, second, "the two dealings should differ on this data");
    assert!((run(4, 2) - (first + second) / 2.0).abs() < 1e-12);
}
