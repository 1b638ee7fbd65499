//! Evaluation: a model's predictions on labeled rows against their labels — accuracy, per-class
//! precision/recall/F1, macro-F1, F_avg, the confusion matrix and per-target figures.
//! `stance eval` prints it; the Python package returns it as a dict.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::data::{Example, Stance};
use crate::metrics::{Calibration, ClassScores, Confusion};
use crate::model::{Prediction, ScoreState, Scorer};

/// The headline figures of a set of rows.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub f_avg: f64,
}

impl Summary {
    pub fn of(c: &Confusion) -> Summary {
        Summary {
            n: c.total(),
            accuracy: c.accuracy(),
            macro_f1: c.macro_f1(),
            f_avg: c.f_avg(),
        }
    }
}

/// What `stance eval --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    #[serde(flatten)]
    pub overall: Summary,
    pub classes: BTreeMap<&'static str, ClassScores>,
    /// Rows: gold favor, against, none; columns: predicted, same order.
    pub confusion: [[usize; 3]; 3],
    /// Expected calibration error of the predicted class's probability (`metrics`).
    pub ece: f64,
    /// The confidence bins the ECE is computed from (the report's reliability diagram).
    #[serde(skip)]
    pub calibration: Calibration,
    pub per_target: BTreeMap<String, Summary>,
}

/// A threshold on one figure of an evaluation (`--min-accuracy` and the like).
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    pub name: &'static str,
    pub value: f64,
    pub threshold: f64,
}

impl Gate {
    pub fn missed(&self) -> bool {
        self.value < self.threshold
    }
}

impl Evaluation {
    /// The gates for the given minimum accuracy, macro-F1 and F_avg (each optional).
    pub fn gates(
        &self,
        min_accuracy: Option<f64>,
        min_macro_f1: Option<f64>,
        min_f_avg: Option<f64>,
    ) -> Vec<Gate> {
        let o = &self.overall;
        [
            ("accuracy", o.accuracy, min_accuracy),
            ("macro-F1", o.macro_f1, min_macro_f1),
            ("F_avg", o.f_avg, min_f_avg),
        ]
        .into_iter()
        .filter_map(|(name, value, threshold)| {
            threshold.map(|threshold| Gate {
                name,
                value,
                threshold,
            })
        })
        .collect()
    }
}

/// Predicts every labeled row (in parallel) and tallies the results; the predictions come back
/// in the rows' order, for reports of the mistakes.
pub fn evaluate(scorer: &Scorer, examples: &[Example]) -> (Evaluation, Vec<Prediction>) {
    let predictions: Vec<Prediction> = examples
        .par_iter()
        .map_init(ScoreState::default, |state, e| {
            let target = e.target.as_deref().unwrap_or_default();
            scorer.predict_with(state, &e.text, target, e.spans.as_deref())
        })
        .collect();
    let mut overall = Confusion::default();
    let mut per_target: BTreeMap<String, Confusion> = BTreeMap::new();
    for (example, prediction) in examples.iter().zip(&predictions) {
        let (gold, predicted) = (example.stance.unwrap_or(Stance::None), prediction.stance);
        overall.add(gold, predicted);
        let target = scorer
            .registry()
            .canonical(example.target.as_deref().unwrap_or_default())
            .to_string();
        per_target.entry(target).or_default().add(gold, predicted);
    }
    let calibration = Calibration::of(examples.iter().zip(&predictions).map(
        |(example, prediction)| {
            let confidence = prediction.probabilities[prediction.stance.index()];
            (
                confidence,
                example.stance.unwrap_or(Stance::None) == prediction.stance,
            )
        },
    ));
    let evaluation = Evaluation {
        overall: Summary::of(&overall),
        classes: Stance::ALL
            .iter()
            .map(|&s| (s.name(), overall.class(s)))
            .collect(),
        confusion: overall.matrix,
        ece: calibration.ece(),
        calibration,
        per_target: per_target
            .iter()
            .map(|(t, c)| (t.clone(), Summary::of(c)))
            .collect(),
    };
    (evaluation, predictions)
}
