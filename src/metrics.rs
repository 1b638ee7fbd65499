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

/// Bins of the expected calibration error and the reliability diagram.
pub const CALIBRATION_BINS: usize = 10;

/// The predictions whose confidence fell in one bin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CalibrationBin {
    pub rows: usize,
    /// Sum of the rows' confidences (clamped to [0, 1]).
    pub confidence_sum: f64,
    /// Rows whose predicted class was the gold one.
    pub correct: usize,
}

impl CalibrationBin {
    /// Mean confidence of the bin's rows; 0 for an empty bin.
    pub fn confidence(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.confidence_sum / self.rows as f64
        }
    }

    /// Share of the bin's rows predicted right; 0 for an empty bin.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.rows)
    }
}

/// Predictions binned by confidence (the probability of the predicted class) into
/// `CALIBRATION_BINS` equal-width bins: bin k holds confidences in [k/10, (k+1)/10), the last
/// bin also 1.0. The one binning behind both the ECE and the report's reliability diagram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    pub bins: [CalibrationBin; CALIBRATION_BINS],
}

impl Calibration {
    /// Bins predictions given as (confidence, correct); a NaN confidence counts as 0.
    pub fn of(predictions: impl IntoIterator<Item = (f32, bool)>) -> Calibration {
        let mut calibration = Calibration::default();
        for (confidence, correct) in predictions {
            let c = f64::from(confidence).clamp(0.0, 1.0);
            let c = if c.is_nan() { 0.0 } else { c };
            let bin = &mut calibration.bins[Self::bin_of(c)];
            bin.rows += 1;
            bin.confidence_sum += c;
            bin.correct += usize::from(correct);
        }
        calibration
    }

    /// The bin of a confidence in [0, 1].
    pub fn bin_of(confidence: f64) -> usize {
        ((confidence * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1)
    }

    /// The lower and upper edge of bin `k`.
    pub fn edges(k: usize) -> (f64, f64) {
        let width = 1.0 / CALIBRATION_BINS as f64;
        (k as f64 * width, (k + 1) as f64 * width)
    }

    pub fn rows(&self) -> usize {
        self.bins.iter().map(|b| b.rows).sum()
    }

    /// Expected calibration error: the rows-weighted mean gap between each bin's accuracy and
    /// its mean confidence. 0 for no rows.
    pub fn ece(&self) -> f64 {
        let total = self.rows();
        if total == 0 {
            return 0.0;
        }
        // Σ n_b / N · |accuracy_b − confidence_b| = Σ |correct_b − Σ confidence_b| / N.
        self.bins
            .iter()
            .map(|b| (b.correct as f64 - b.confidence_sum).abs())
            .sum::<f64>()
            / total as f64
    }
}

/// Expected calibration error of predictions given as (confidence, correct), binned by
/// [`Calibration::of`]. 0 for no rows.
pub fn expected_calibration_error(predictions: impl IntoIterator<Item = (f32, bool)>) -> f64 {
    Calibration::of(predictions).ece()
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
    fn calibration_bins_by_hand() {
        let c = Calibration::of([
            (0.05, false),
            (0.35, true),
            (0.45, true),
            (0.55, false),
            (0.95, true),
            (0.91, false),
            (1.0, true),
            (f32::NAN, false),
        ]);
        assert_eq!(c.rows(), 8);
        let rows: Vec<usize> = c.bins.iter().map(|b| b.rows).collect();
        // NaN counts as 0 (bin 0); 1.0 belongs to the top bin.
        assert_eq!(rows, [2, 0, 0, 1, 1, 1, 0, 0, 0, 3]);
        let top = c.bins[9];
        assert_eq!(top.correct, 2);
        assert!((top.confidence() - (0.95 + 0.91 + 1.0) / 3.0).abs() < 1e-6);
        assert!((top.accuracy() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(c.bins[1].accuracy(), 0.0);
        assert_eq!(c.bins[1].confidence(), 0.0);
        assert!((c.bins[0].confidence() - 0.025).abs() < 1e-6);
        let (lo, hi) = Calibration::edges(3);
        assert!((lo - 0.3).abs() < 1e-12 && (hi - 0.4).abs() < 1e-12);
        assert_eq!(Calibration::bin_of(0.3), 3);
        assert_eq!(Calibration::bin_of(0.0), 0);
        // The ECE is the same whether computed from the bins or from the predictions.
        let ece = c.ece();
        let by_hand = (0.05f32 as f64
            + (1.0 - 0.35f32 as f64)
            + (1.0 - 0.45f32 as f64)
            + 0.55f32 as f64
            + (0.95f32 as f64 + 0.91f32 as f64 + 1.0 - 2.0).abs())
            / 8.0;
        assert!((ece - by_hand).abs() < 1e-9, "{ece} {by_hand}");
    }

    #[test]
    fn empty_classes_score_zero_not_nan() {
        let mut c = Confusion::default();
        c.add(None, None);
        assert_eq!(c.class(Favor).f1, 0.0);
        assert_eq!(c.accuracy(), 1.0);
    }
}
