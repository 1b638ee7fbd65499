//! The fit of one model: the rows and columns of a job, and the solver route that fits it.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};

use crate::data::Stance;
use crate::error::{Error, Result};
use crate::features::SparseVec;
use crate::model::{LinearModel, TrainOptions, ABSENT_CLASS_INTERCEPT};
use crate::solver;

use super::{FitMode, SELECTION_TOLERANCE};

/// The columns a fit may use: how many, and each one's chi-square rank (0 is best), by which
/// the dense budget drops columns.
pub(super) struct Columns<'a> {
    pub(super) len: usize,
    pub(super) rank: &'a (dyn Fn(u32) -> u32 + Sync),
}

/// One fitting job: a subset of rows restricted to the feature columns it uses, the classes
/// they hold, and its problem on sparse rows.
struct Job {
    /// The subset's rows, with features renumbered to `0..kept.len()`.
    subset: Vec<SparseVec>,
    /// Vocabulary index of each kept column.
    kept: Vec<u32>,
    /// linfa's class columns: the classes present, ascending.
    present: Vec<usize>,
    /// Class column of each row.
    class_of_row: Vec<usize>,
    alpha: f64,
}

impl Job {
    /// Keeps the columns that occur in these rows — a column that never occurs gets weight 0 at
    /// the optimum anyway — and of those at most `max_cells / rows`, best chi-square rank first,
    /// so the dense matrix handed to linfa stays within its budget.
    fn new(
        rows: &[SparseVec],
        labels: &[usize],
        indices: &[usize],
        columns: &Columns,
        options: &TrainOptions,
    ) -> Job {
        // The columns present, in increasing order: marked, then read off in order (sorting
        // every entry of every row took several percent of selection's time).
        let mut present_column = vec![false; columns.len];
        for &i in indices {
            for &(f, _) in &rows[i] {
                present_column[f as usize] = true;
            }
        }
        let mut active: Vec<u32> = (0..columns.len as u32)
            .filter(|&f| present_column[f as usize])
            .collect();
        let budget = (options.dense_budget_cells() / indices.len().max(1)).max(1);
        if active.len() > budget {
            active.sort_by_key(|&f| (columns.rank)(f));
            active.truncate(budget);
            active.sort_unstable();
        }
        let mut column_of = vec![u32::MAX; columns.len];
        for (column, &feature) in active.iter().enumerate() {
            column_of[feature as usize] = column as u32;
        }
        let subset = indices
            .iter()
            .map(|&i| {
                rows[i]
                    .iter()
                    .filter(|&&(f, _)| column_of[f as usize] != u32::MAX)
                    .map(|&(f, v)| (column_of[f as usize], v))
                    .collect()
            })
            .collect();
        let mut present: Vec<usize> = indices.iter().map(|&i| labels[i]).collect();
        present.sort_unstable();
        present.dedup();
        let class_of_row = indices
            .iter()
            .map(|&i| present.iter().position(|&c| c == labels[i]).unwrap_or(0))
            .collect();
        Job {
            subset,
            kept: active,
            present,
            class_of_row,
            alpha: options.l2,
        }
    }

    /// A model over all `width` columns from parameters in the solver's layout; a class absent
    /// from these rows gets zero weights and a very low intercept, so it is never predicted.
    fn model(&self, w: &[f64], width: usize, rows: usize) -> LinearModel {
        let k = self.present.len();
        let mut weights = vec![0f32; width * 3];
        let mut intercept = [ABSENT_CLASS_INTERCEPT; 3];
        for (column, &class) in self.present.iter().enumerate() {
            intercept[class] = w[self.kept.len() * k + column] as f32;
            for (c, &feature) in self.kept.iter().enumerate() {
                weights[3 * feature as usize + class] = w[c * k + column] as f32;
            }
        }
        LinearModel {
            weights,
            intercept,
            rows,
        }
    }

    fn problem<'a>(&'a self, refs: &'a [&'a SparseVec]) -> solver::Problem<'a> {
        solver::Problem {
            rows: refs,
            labels: &self.class_of_row,
            n_features: self.kept.len(),
            n_classes: self.present.len(),
            alpha: self.alpha,
        }
    }
}

/// A fitted model, and a note when the solver stopped before converging.
pub struct Fitted {
    pub model: LinearModel,
    pub note: Option<String>,
    /// In selection, the solver's parameters, to start the next fit of the L2 path from.
    pub(super) solution: Option<Vec<f64>>,
}

/// How one model is fitted (see `FitMode`).
pub(super) enum Route<'a> {
    Final,
    Selection(Option<&'a Vec<f64>>),
}

/// Augmented fits are one model over remapped columns: they start from zero.
pub(super) fn selecting(mode: &FitMode) -> bool {
    matches!(mode, FitMode::Selection(_))
}

/// Fits one multinomial model: linfa-logistic on the dense rows × kept-columns matrix, started
/// from the sparse warm start unless disabled.
pub(super) fn fit(
    rows: &[SparseVec],
    labels: &[usize],
    indices: &[usize],
    columns: &Columns,
    options: &TrainOptions,
    how: Route,
) -> Result<Fitted> {
    let job = Job::new(rows, labels, indices, columns, options);
    if job.present.len() < 2 {
        let only = Stance::ALL[job.present.first().copied().unwrap_or(2)].name();
        return Err(Error::Training(format!(
            "all {} rows are labeled {only}; a classifier needs at least two stances",
            indices.len()
        )));
    }
    let refs: Vec<&SparseVec> = job.subset.iter().collect();
    let problem = job.problem(&refs);
    let (n_columns, k) = (job.kept.len(), job.present.len());
    // linfa minimizes the summed loss; scikit-learn's tolerance 1e-4 applies to the mean loss,
    // so the same stopping point is a gradient norm of 1e-4 per row.
    let tolerance = 1e-4 * indices.len() as f64;
    if let Route::Selection(start) = how {
        let limit = 1000;
        let (w, iterations) = solver::minimize(
            &problem,
            start.map(Vec::as_slice),
            SELECTION_TOLERANCE * tolerance,
            limit,
        );
        let note = (iterations == limit)
            .then(|| format!("the sparse solver stopped at {limit} iterations"));
        return Ok(Fitted {
            model: job.model(&w, columns.len, indices.len()),
            note,
            solution: Some(w),
        });
    }
    // f32 halves the dense matrix; the warm start and the final check run in f64 on sparse rows.
    let mut logistic = MultiLogisticRegression::default()
        .alpha(options.l2 as f32)
        .max_iterations(options.max_iterations)
        .gradient_tolerance(tolerance as f32);
    let mut warm_iterations = 0;
    if options.warm_start {
        // Half linfa's tolerance, so that linfa's own convergence test accepts the start when
        // the sparse solver got there; if it did not, linfa iterates on from it.
        let (w, iterations) = solver::minimize(&problem, None, 0.5 * tolerance, 1000);
        warm_iterations = iterations;
        let w: Vec<f32> = w.iter().map(|&v| v as f32).collect();
        let start = Array2::from_shape_vec((n_columns + 1, k), w)
            .map_err(|e| Error::Training(e.to_string()))?;
        logistic = logistic.initial_params(start);
    }
    let mut x = Array2::<f32>::zeros((indices.len(), n_columns));
    for (r, row) in job.subset.iter().enumerate() {
        for &(column, value) in row {
            x[[r, column as usize]] = value;
        }
    }
    let y: Array1<usize> = indices.iter().map(|&i| labels[i]).collect();
    let fitted = logistic
        .fit(&Dataset::new(x, y))
        .map_err(|e| Error::Training(e.to_string()))?;

    // linfa's answer in the solver's layout (its class columns are the classes present,
    // ascending, as `Job::present`), then back to all columns by `Job::model`.
    let params = fitted.params();
    let mut flat = vec![0.0; (n_columns + 1) * k];
    for column in 0..fitted.classes().len() {
        flat[n_columns * k + column] = fitted.intercept()[column] as f64;
        for c in 0..n_columns {
            flat[c * k + column] = params[[c, column]] as f64;
        }
    }
    // linfa does not report whether it converged; the gradient at its answer does.
    let mut gradient = vec![0.0; flat.len()];
    problem.evaluate(&flat, &mut gradient);
    let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
    let note = (gradient_norm > tolerance).then(|| {
        format!(
            "the solver stopped before converging (gradient norm {gradient_norm:.3} > tolerance {tolerance:.3} after {} iterations{}); raise --max-iter or --l2",
            options.max_iterations,
            if options.warm_start { format!(" and {warm_iterations} warm-start iterations") } else { String::new() }
        )
    });
    Ok(Fitted {
        model: job.model(&flat, columns.len, indices.len()),
        note,
        solution: None,
    })
}
