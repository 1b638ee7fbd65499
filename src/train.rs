//! Training: analyze labeled rows, fit the vocabulary, and fit linfa-logistic models
//! (one pooled over all rows, one per target with enough rows), in parallel.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use std::collections::BTreeMap;

use crate::data::{Example, Stance};
use crate::error::{Error, Result};
use crate::features::{SparseVec, Vocabulary};
use crate::model::{LinearModel, Metadata, StanceModel, TrainOptions, TrainingFile};
use crate::parties::Registry;
use crate::solver;
use crate::text::Analyzer;

/// Rows ready for fitting: canonical target, class index and sparse features.
pub struct Prepared {
    pub targets: Vec<String>,
    pub labels: Vec<usize>,
    pub docs: Vec<Vec<String>>,
}

/// Analyzes labeled examples into feature lists. Every example must have target and stance.
pub fn prepare(examples: &[Example], options: &TrainOptions, registry: &Registry) -> Prepared {
    let analyzer = Analyzer::new(options.analyzer.clone());
    let rows: Vec<(String, usize, Vec<String>)> = examples
        .par_iter()
        .map(|example| {
            let target = example.target.as_deref().unwrap_or_default();
            let spans = match &example.spans {
                Some(spans) => spans.clone(),
                None => registry.target_spans(&example.text, target),
            };
            let stance = example.stance.unwrap_or(Stance::None);
            (
                registry.canonical(target),
                stance.index(),
                analyzer.features(&example.text, &spans),
            )
        })
        .collect();
    let mut prepared = Prepared {
        targets: Vec::with_capacity(rows.len()),
        labels: Vec::with_capacity(rows.len()),
        docs: Vec::with_capacity(rows.len()),
    };
    for (target, label, doc) in rows {
        prepared.targets.push(target);
        prepared.labels.push(label);
        prepared.docs.push(doc);
    }
    prepared
}

pub fn train(
    examples: &[Example],
    files: Vec<TrainingFile>,
    options: &TrainOptions,
    registry: &Registry,
) -> Result<StanceModel> {
    if examples.is_empty() {
        return Err(Error::Training("no labeled rows".into()));
    }
    let prepared = prepare(examples, options, registry);
    let vocabulary = Vocabulary::fit(
        &prepared.docs,
        &prepared.labels,
        options.min_df,
        options.max_features,
    );
    if vocabulary.is_empty() {
        return Err(Error::Training(format!(
            "no feature occurs in {} or more statements; lower --min-df",
            options.min_df
        )));
    }
    let rows: Vec<SparseVec> = prepared
        .docs
        .par_iter()
        .map(|doc| vocabulary.vectorize(doc.iter().map(String::as_str)))
        .collect();

    let mut rows_per_target: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, target) in prepared.targets.iter().enumerate() {
        rows_per_target.entry(target.clone()).or_default().push(i);
    }
    let all: Vec<usize> = (0..rows.len()).collect();
    let mut jobs: Vec<(Option<&String>, &[usize])> = vec![(None, &all)];
    let mut notes = Vec::new();
    for (target, indices) in &rows_per_target {
        if indices.len() >= options.min_target_rows {
            jobs.push((Some(target), indices));
        }
    }
    let fitted: Vec<(Option<&String>, Result<Fitted>)> = jobs
        .par_iter()
        .map(|&(target, indices)| {
            (
                target,
                fit(&rows, &prepared.labels, indices, vocabulary.len(), options),
            )
        })
        .collect();

    let mut pooled = None;
    let mut targets = BTreeMap::new();
    for (target, result) in fitted {
        let name = target.map_or("pooled model", String::as_str);
        if let Ok(Fitted {
            note: Some(note), ..
        }) = &result
        {
            notes.push(format!("{name}: {note}"));
        }
        match (target, result) {
            (None, result) => pooled = Some(result?.model),
            (Some(target), Ok(fitted)) => {
                targets.insert(target.clone(), fitted.model);
            }
            (Some(target), Err(e)) => notes.push(format!("{target}: uses the pooled model ({e})")),
        }
    }
    let pooled = pooled.ok_or_else(|| Error::Training("the pooled model was not fitted".into()))?;
    Ok(StanceModel {
        vocabulary,
        labels: Stance::ALL.to_vec(),
        pooled,
        targets,
        metadata: Metadata {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            files,
            rows_per_target: rows_per_target
                .iter()
                .map(|(t, rows)| (t.clone(), rows.len()))
                .collect(),
            options: options.clone(),
            notes,
        },
    })
}

/// One fitting job: a subset of rows, the classes they hold, and its problem on sparse rows.
struct Job<'a> {
    subset: Vec<&'a SparseVec>,
    /// linfa's class columns: the classes present, ascending.
    present: Vec<usize>,
    columns: Vec<usize>,
    n_features: usize,
    alpha: f64,
}

impl Job<'_> {
    fn problem(&self) -> solver::Problem<'_> {
        solver::Problem {
            rows: &self.subset,
            labels: &self.columns,
            n_features: self.n_features,
            n_classes: self.present.len(),
            alpha: self.alpha,
        }
    }
}

/// A fitted model, and a note when the solver stopped before converging.
pub struct Fitted {
    pub model: LinearModel,
    pub note: Option<String>,
}

/// Fits one multinomial model: linfa-logistic on the dense rows × selected-features matrix,
/// started from the sparse warm start unless disabled.
fn fit(
    rows: &[SparseVec],
    labels: &[usize],
    indices: &[usize],
    n_features: usize,
    options: &TrainOptions,
) -> Result<Fitted> {
    let mut present: Vec<usize> = indices.iter().map(|&i| labels[i]).collect();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        let only = Stance::ALL[present.first().copied().unwrap_or(2)].name();
        return Err(Error::Training(format!(
            "all {} rows are labeled {only}; a classifier needs at least two stances",
            indices.len()
        )));
    }
    let job = Job {
        subset: indices.iter().map(|&i| &rows[i]).collect(),
        columns: indices
            .iter()
            .map(|&i| present.iter().position(|&c| c == labels[i]).unwrap_or(0))
            .collect(),
        present,
        n_features,
        alpha: options.l2,
    };
    // linfa minimizes the summed loss; scikit-learn's tolerance 1e-4 applies to the mean loss,
    // so the same stopping point is a gradient norm of 1e-4 per row.
    let tolerance = 1e-4 * indices.len() as f64;
    let mut logistic = MultiLogisticRegression::default()
        .alpha(options.l2)
        .max_iterations(options.max_iterations)
        .gradient_tolerance(tolerance);
    let mut warm_iterations = 0;
    if options.warm_start {
        // Half linfa's tolerance, so that linfa's own convergence test accepts the start when
        // the sparse solver got there; if it did not, linfa iterates on from it.
        let (w, iterations) = solver::minimize(&job.problem(), 0.5 * tolerance, 1000);
        warm_iterations = iterations;
        let shape = (n_features + 1, job.present.len());
        let start = Array2::from_shape_vec(shape, w).map_err(|e| Error::Training(e.to_string()))?;
        logistic = logistic.initial_params(start);
    }
    let mut x = Array2::<f64>::zeros((indices.len(), n_features));
    for (r, row) in job.subset.iter().enumerate() {
        for &(feature, value) in row.iter() {
            x[[r, feature as usize]] = value as f64;
        }
    }
    let y: Array1<usize> = indices.iter().map(|&i| labels[i]).collect();
    let fitted = logistic
        .fit(&Dataset::new(x, y))
        .map_err(|e| Error::Training(e.to_string()))?;

    // linfa orders its columns by the classes it saw; a class absent from these rows gets
    // zero weights and a very low intercept, so it is never predicted.
    let mut weights = vec![0f32; n_features * 3];
    let mut intercept = [-30f32; 3];
    let params = fitted.params();
    let k = job.present.len();
    let mut flat = vec![0.0; (n_features + 1) * k];
    for (column, &class) in fitted.classes().iter().enumerate() {
        intercept[class] = fitted.intercept()[column] as f32;
        flat[n_features * k + column] = fitted.intercept()[column];
        for feature in 0..n_features {
            weights[3 * feature + class] = params[[feature, column]] as f32;
            flat[feature * k + column] = params[[feature, column]];
        }
    }
    // linfa does not report whether it converged; the gradient at its answer does.
    let mut gradient = vec![0.0; flat.len()];
    job.problem().evaluate(&flat, &mut gradient);
    let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
    let note = (gradient_norm > tolerance).then(|| {
        format!(
            "the solver stopped before converging (gradient norm {gradient_norm:.3} > tolerance {tolerance:.3} after {} iterations{}); raise --max-iter or --l2",
            options.max_iterations,
            if options.warm_start { format!(" and {warm_iterations} warm-start iterations") } else { String::new() }
        )
    });
    Ok(Fitted {
        model: LinearModel {
            weights,
            intercept,
            rows: indices.len(),
        },
        note,
    })
}
