//! Confusion matrix and the figures computed from it: per-class precision, recall and F1,
//! accuracy, macro-F1, and SemEval-2016's F_avg (mean F1 of favor and against).

use serde::Serialize;

use crate::data::Stance;

/// Rows are the gold stance, columns the predicted one, both in `Stance::ALL` order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Confusion {
    pub matrix: [[usize; 3]; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

impl Confusion {
    pub fn add(&mut self, gold: Stance, predicted: Stance) {
        self.matrix[gold.index()][predicted.index()] += 1;
    }

    pub fn total(&self) -> usize {
        self.matrix.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let correct: usize = (0..3).map(|k| self.matrix[k][k]).sum();
        ratio(correct, self.total())
    }

    /// Precision or recall with no denominator counts as 0, as scikit-learn does.
    pub fn class(&self, stance: Stance) -> ClassScores {
        let k = stance.index();
        let tp = self.matrix[k][k];
        let predicted: usize = (0..3).map(|g| self.matrix[g][k]).sum();
        let support: usize = self.matrix[k].iter().sum();
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ClassScores {
            precision,
            recall,
            f1,
            support,
        }
    }

    pub fn macro_f1(&self) -> f64 {
        Stance::ALL.iter().map(|&s| self.class(s).f1).sum::<f64>() / 3.0
    }

    pub fn f_avg(&self) -> f64 {
        (self.class(Stance::Favor).f1 + self.class(Stance::Against).f1) / 2.0
    }
}

/// Bins of the expected calibration error.
pub const CALIBRATION_BINS: usize = 10;

/// Expected calibration error: predictions binned by confidence (the probability of the
/// predicted class) into `CALIBRATION_BINS` equal-width bins; the rows-weighted mean gap between
/// each bin's accuracy and its mean confidence. 0 for no rows. Each item: (confidence, correct).
pub fn expected_calibration_error(predictions: impl IntoIterator<Item = (f32, bool)>) -> f64 {
    // Per bin: rows, summed confidence, correct rows.
    let mut bins = [(0usize, 0f64, 0usize); CALIBRATION_BINS];
    let mut total = 0;
    for (confidence, correct) in predictions {
        let c = f64::from(confidence).clamp(0.0, 1.0);
        let bin = ((c * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1);
        bins[bin].0 += 1;
        bins[bin].1 += c;
        bins[bin].2 += usize::from(correct);
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    // Σ n_b / N · |accuracy_b − confidence_b| = Σ |correct_b − Σ confidence_b| / N.
    bins.iter()
        .map(|&(_, confidence, correct)| (correct as f64 - confidence).abs())
        .sum::<f64>()
        / total as f64
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stance::*;

    /// gold\pred   favor against none
    /// favor           3       1    1
    /// against         0       4    2
    /// none            1       0    2
    fn example() -> Confusion {
        Confusion {
            matrix: [[3, 1, 1], [0, 4, 2], [1, 0, 2]],
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn figures_match_hand_computation() {
        let c = example();
        assert_eq!(c.total(), 14);
        assert!(close(c.accuracy(), 9.0 / 14.0));
        // favor: P = 3/4, R = 3/5, F1 = 2·0.75·0.6/1.35 = 2/3
        let favor = c.class(Favor);
        assert!(close(favor.precision, 0.75) && close(favor.recall, 0.6));
        assert!(close(favor.f1, 2.0 / 3.0));
        // against: P = 4/5, R = 4/6, F1 = 8/11
        assert!(close(c.class(Against).f1, 8.0 / 11.0));
        // none: P = 2/5, R = 2/3, F1 = 1/2
        assert!(close(c.class(None).f1, 0.5));
        assert!(close(c.f_avg(), (2.0 / 3.0 + 8.0 / 11.0) / 2.0));
        assert!(close(c.macro_f1(), (2.0 / 3.0 + 8.0 / 11.0 + 0.5) / 3.0));
    }

    #[test]
    fn calibration_error_by_hand() {
        // Bin 0.9: two rows at 0.9, one right → |1 − 1.8| = 0.8; bin 0.6: one row at 0.6,
        // right → |1 − 0.6| = 0.4; (0.8 + 0.4) / 3 = 0.4.
        let ece = expected_calibration_error([(0.9, true), (0.9, false), (0.6, true)]);
        // f32 confidences: 0.9 is 0.89999998.
        assert!((ece - 0.4).abs() < 1e-6, "{ece}");
        // Perfectly calibrated: confidence 0.5, half right.
        assert!(close(
            expected_calibration_error([(0.5, true), (0.5, false)]),
            0.0
        ));
        assert_eq!(expected_calibration_error([]), 0.0);
        // Confidence 1.0 falls in the top bin, not past it.
        assert!(close(expected_calibration_error([(1.0, true)]), 0.0));
    }

    #[test]
    fn empty_classes_score_zero_not_nan() {
        let mut c = Confusion::default();
        c.add(None, None);
        assert_eq!(c.class(Favor).f1, 0.0);
        assert_eq!(c.accuracy(), 1.0);
    }
}
