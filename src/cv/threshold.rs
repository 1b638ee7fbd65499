//! Held-out fits: the temperature and the none threshold chosen on out-of-fold logits.

use crate::data::Stance;
use crate::metrics::Confusion;

use super::{HeldOut, Metric, NONE};

/// The temperature T that makes softmax(z / T) fit the held-out classes best (least mean
/// negative log-likelihood; Guo et al. 2017), by golden-section search on log T in [1/20, 20].
/// Dividing a linear model's weights by T changes no decision, only how sure it says it is.
pub fn fit_temperature(logits: &[(usize, [f32; 3])]) -> f64 {
    let loss = |log_t: f64| {
        let t = log_t.exp();
        logits
            .iter()
            .map(|&(label, z)| {
                let z = z.map(|v| v as f64 / t);
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let log_norm = max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
                log_norm - z[label]
            })
            .sum::<f64>()
    };
    if logits.is_empty() {
        return 1.0;
    }
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (-(20f64.ln()), 20f64.ln());
    let (mut c, mut d) = (b - ratio * (b - a), a + ratio * (b - a));
    let (mut fc, mut fd) = (loss(c), loss(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = loss(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = loss(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// Shifts of the none class's logit that the none threshold tries: below 0, favor and against
/// are answered more often. Neutral-heavy news (RuSentNE: 72 % none) judged by F_avg, which
/// leaves none out, wants them answered more often than the fit's own balance does.
const NONE_SHIFTS: [f32; 17] = [
    -3.0, -2.75, -2.5, -2.25, -2.0, -1.75, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5,
    0.75, 1.0,
];

/// The held-out rows' confusion when `shift` is added to each none logit.
pub(super) fn shifted_confusion(logits: &[(usize, [f32; 3])], shift: f32) -> Confusion {
    let mut confusion = Confusion::default();
    for &(label, mut z) in logits {
        z[NONE] += shift;
        confusion.add(Stance::ALL[label], Stance::ALL[crate::model::argmax(&z)]);
    }
    confusion
}

/// The shift of `NONE_SHIFTS` that scores these held-out rows best by `metric`; of equal
/// scores, the smallest shift (0 first).
pub fn fit_none_shift(logits: &[(usize, [f32; 3])], metric: Metric) -> f32 {
    let mut best = (f64::NEG_INFINITY, 0.0f32);
    let mut by_size = NONE_SHIFTS;
    by_size.sort_by(|a, b| a.abs().total_cmp(&b.abs()).then(a.total_cmp(b)));
    for shift in by_size {
        let score = metric.of(&shifted_confusion(logits, shift));
        if score > best.0 {
            best = (score, shift);
        }
    }
    best.1
}

/// A candidate's held-out folds scored with the none threshold, cross-fitted: each fold's shift
/// is chosen on the other folds of its dealing, so the score is that of a threshold chosen by
/// CV, not of one chosen on the rows it is judged on.
pub(super) fn with_none_threshold(
    folds: &[HeldOut],
    folds_per_dealing: usize,
    metric: Metric,
) -> Vec<HeldOut> {
    folds
        .chunks(folds_per_dealing)
        .flat_map(|dealing| {
            (0..dealing.len()).map(move |k| {
                let others: Vec<(usize, [f32; 3])> = dealing
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .flat_map(|(_, f)| f.logits.iter().copied())
                    .collect();
                let shift = fit_none_shift(&others, metric);
                let logits: Vec<(usize, [f32; 3])> = dealing[k]
                    .logits
                    .iter()
                    .map(|&(label, mut z)| {
                        z[NONE] += shift;
                        (label, z)
                    })
                    .collect();
                HeldOut {
                    confusion: shifted_confusion(&logits, 0.0),
                    logits,
                }
            })
        })
        .collect()
}
