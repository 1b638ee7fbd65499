//! A sparse warm start for linfa-logistic.
//!
//! linfa-logistic fits dense matrices: every cost or gradient evaluation reads all rows × columns,
//! although a statement has a few dozen non-zero features among thousands. This module minimizes
//! the *same* objective as linfa's multinomial model,
//!   −Σᵢ log softmax(xᵢW + b)[yᵢ] + α/2 ‖W‖²   (intercept not penalized),
//! on the sparse rows with L-BFGS, to a looser tolerance than linfa's; linfa then starts from that
//! point and finishes the fit to its own tolerance on the dense matrix, in a few iterations instead
//! of a hundred. The optimum is the same (the problem is convex); only the route is shorter.

use rayon::prelude::*;

use crate::features::SparseVec;

/// Columns of the problem: classes present, in ascending order (linfa's column order).
pub struct Problem<'a> {
    pub rows: &'a [&'a SparseVec],
    /// Class column of each row, 0..n_classes.
    pub labels: &'a [usize],
    pub n_features: usize,
    pub n_classes: usize,
    pub alpha: f64,
}

impl Problem<'_> {
    /// Parameters are laid out as linfa's: (n_features + 1) × n_classes, row-major, intercept last.
    fn len(&self) -> usize {
        (self.n_features + 1) * self.n_classes
    }

    /// Objective value and gradient at `w`. The rows are split into `CHUNKS` parts evaluated in
    /// parallel and summed in order: a fixed split, so the result does not depend on the number
    /// of threads and training stays byte-for-byte reproducible.
    pub fn evaluate(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        const CHUNKS: usize = 4;
        let chunk = self.rows.len().div_ceil(CHUNKS).max(1);
        let parts: Vec<(f64, Vec<f64>)> = self
            .rows
            .par_chunks(chunk)
            .zip(self.labels.par_chunks(chunk))
            .map(|(rows, labels)| {
                let mut part = vec![0.0; grad.len()];
                let loss = self.data_loss(rows, labels, w, &mut part);
                (loss, part)
            })
            .collect();
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (part_loss, part) in parts {
            loss += part_loss;
            grad.iter_mut().zip(part).for_each(|(g, p)| *g += p);
        }
        let bias = self.n_features * self.n_classes;
        let mut penalty = 0.0;
        for (g, &v) in grad[..bias].iter_mut().zip(&w[..bias]) {
            *g += self.alpha * v;
            penalty += v * v;
        }
        loss + 0.5 * self.alpha * penalty
    }

    /// The summed log-loss of some rows at `w`, its gradient added to `grad`.
    fn data_loss(&self, rows: &[&SparseVec], labels: &[usize], w: &[f64], grad: &mut [f64]) -> f64 {
        // The class count as a constant lets the compiler keep the logits in registers and
        // unroll the class loops; the arithmetic, and so every bit of the result, is the same.
        match self.n_classes {
            1 => self.data_loss_of::<1>(rows, labels, w, grad),
            2 => self.data_loss_of::<2>(rows, labels, w, grad),
            3 => self.data_loss_of::<3>(rows, labels, w, grad),
            k => unreachable!("stances have three classes, not {k}"),
        }
    }

    #[allow(clippy::needless_range_loop)] // K is at most 3; index loops read like the formulas
    fn data_loss_of<const K: usize>(
        &self,
        rows: &[&SparseVec],
        labels: &[usize],
        w: &[f64],
        grad: &mut [f64],
    ) -> f64 {
        let bias = self.n_features * K;
        let mut loss = 0.0;
        for (row, &label) in rows.iter().zip(labels) {
            let mut z: [f64; K] = w[bias..bias + K].try_into().expect("K intercepts");
            for &(feature, value) in row.iter() {
                let weights = &w[feature as usize * K..][..K];
                for c in 0..K {
                    z[c] += value as f64 * weights[c];
                }
            }
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
            let log_norm = max + sum.ln();
            loss += log_norm - z[label];
            // z becomes softmax − onehot, the gradient of the loss with respect to the logits.
            for c in 0..K {
                z[c] = (z[c] - log_norm).exp() - if c == label { 1.0 } else { 0.0 };
            }
            for &(feature, value) in row.iter() {
                let gradient = &mut grad[feature as usize * K..][..K];
                for c in 0..K {
                    gradient[c] += value as f64 * z[c];
                }
            }
            for c in 0..K {
                grad[bias + c] += z[c];
            }
        }
        loss
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// L-BFGS (memory 10) with a backtracking Armijo line search, from `start` (zero if `None`, or
/// if its length does not fit the problem), until the gradient norm is below `tolerance` or
/// `max_iterations` pass. Returns the parameters and the iterations used.
pub fn minimize(
    problem: &Problem,
    start: Option<&[f64]>,
    tolerance: f64,
    max_iterations: usize,
) -> (Vec<f64>, usize) {
    const MEMORY: usize = 10;
    let n = problem.len();
    let mut w = match start {
        Some(start) if start.len() == n => start.to_vec(),
        _ => vec![0.0; n],
    };
    let mut grad = vec![0.0; n];
    let mut f = problem.evaluate(&w, &mut grad);
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::with_capacity(MEMORY);
    let (mut next_w, mut next_grad) = (vec![0.0; n], vec![0.0; n]);
    let mut direction = vec![0.0; n];
    for iteration in 0..max_iterations {
        if norm(&grad) < tolerance {
            return (w, iteration);
        }
        // Two-loop recursion: direction = −H·grad.
        direction.copy_from_slice(&grad);
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &direction);
            direction.iter_mut().zip(y).for_each(|(d, yi)| *d -= a * yi);
            alphas.push(a);
        }
        if let Some((s, y, _)) = history.last() {
            let gamma = dot(s, y) / dot(y, y);
            direction.iter_mut().for_each(|d| *d *= gamma);
        }
        for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &direction);
            direction
                .iter_mut()
                .zip(s)
                .for_each(|(d, si)| *d += (a - b) * si);
        }
        direction.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&grad, &direction);
        if slope >= 0.0 {
            // Not a descent direction (stale curvature): restart from steepest descent.
            history.clear();
            direction.iter_mut().zip(&grad).for_each(|(d, g)| *d = -g);
            slope = -dot(&grad, &grad);
        }
        let mut step = if history.is_empty() {
            1.0 / norm(&grad).max(1.0)
        } else {
            1.0
        };
        let mut next_f;
        loop {
            next_w
                .iter_mut()
                .zip(&w)
                .zip(&direction)
                .for_each(|((nw, wi), d)| *nw = wi + step * d);
            next_f = problem.evaluate(&next_w, &mut next_grad);
            if next_f <= f + 1e-4 * step * slope || step < 1e-12 {
                break;
            }
            step *= 0.5;
        }
        let s: Vec<f64> = next_w.iter().zip(&w).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next_grad.iter().zip(&grad).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if history.len() == MEMORY {
                history.remove(0);
            }
            history.push((s, y, 1.0 / sy));
        }
        std::mem::swap(&mut w, &mut next_w);
        std::mem::swap(&mut grad, &mut next_grad);
        if (f - next_f).abs() <= f64::EPSILON * f.abs().max(1.0) {
            return (w, iteration + 1);
        }
        f = next_f;
    }
    (w, max_iterations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let rows: Vec<SparseVec> = vec![
            vec![(0, 0.6), (2, 0.8)],
            vec![(1, 1.0)],
            vec![(0, 0.3), (1, 0.4)],
        ];
        let refs: Vec<&SparseVec> = rows.iter().collect();
        let problem = Problem {
            rows: &refs,
            labels: &[0, 1, 2],
            n_features: 3,
            n_classes: 3,
            alpha: 0.5,
        };
        let w: Vec<f64> = (0..12).map(|i| (i as f64 * 0.37).sin()).collect();
        let mut grad = vec![0.0; 12];
        problem.evaluate(&w, &mut grad);
        for i in 0..12 {
            let (mut plus, mut minus) = (w.clone(), w.clone());
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            let mut scratch = vec![0.0; 12];
            let numeric = (problem.evaluate(&plus, &mut scratch)
                - problem.evaluate(&minus, &mut scratch))
                / 2e-6;
            assert!(
                (numeric - grad[i]).abs() < 1e-5,
                "coordinate {i}: {numeric} vs {}",
                grad[i]
            );
        }
    }

    #[test]
    fn converges_on_a_separable_problem() {
        let rows: Vec<SparseVec> = vec![
            vec![(0, 1.0)],
            vec![(1, 1.0)],
            vec![(0, 1.0)],
            vec![(1, 1.0)],
        ];
        let refs: Vec<&SparseVec> = rows.iter().collect();
        let problem = Problem {
            rows: &refs,
            labels: &[0, 1, 0, 1],
            n_features: 2,
            n_classes: 2,
            alpha: 1.0,
        };
        let (w, _) = minimize(&problem, None, 1e-8, 500);
        let mut grad = vec![0.0; w.len()];
        problem.evaluate(&w, &mut grad);
        assert!(norm(&grad) < 1e-6);
        // Feature 0 pushes toward class 0.
        assert!(w[0] > w[1]);
    }
}
