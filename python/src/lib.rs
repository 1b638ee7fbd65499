//! The compiled half of the Python package `stance`: the library's model, scoring, training and
//! evaluation behind a few functions; stance/__init__.py gives them their Python shape. Nothing
//! here decides anything the library or the CLI does not: rows come from
//! `stance::scoring::score_example`, training from the CLI's own `train` flags, metrics from
//! `stance::eval`.

use pyo3::exceptions::{
    PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError, PyValueError,
};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

use stance::data::{self, Example, Format};
use stance::model::{Scorer, StatePool};
use stance::parties::Registry;
use stance::scoring::{score_example, RowOptions, ScoreRow};

/// Statements scored per parallel task.
const SLICE: usize = 256;
/// Statements scored before their rows are handed to Python.
const CHUNK: usize = 8192;

/// The library's errors as Python's: problems with a file are `OSError` (its subclasses where
/// the cause is known), everything else — bad rows, bad options, untrainable data — `ValueError`;
/// the message is the CLI's.
fn py_error(e: stance::Error) -> PyErr {
    let text = e.to_string();
    match &e {
        stance::Error::File { message, .. } => match message.as_str() {
            "no such file" => PyFileNotFoundError::new_err(text),
            "permission denied" => PyPermissionError::new_err(text),
            m if m.starts_with("is a directory") => PyIsADirectoryError::new_err(text),
            _ => PyOSError::new_err(text),
        },
        _ => PyValueError::new_err(text),
    }
}

/// A probability as the CLI's JSON writes it (the shortest decimal that reads back as the same
/// f32), read as a Python float: the two then compare equal.
fn py_float(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::NAN)
}

fn format_named(name: Option<&str>) -> PyResult<Option<Format>> {
    name.map(|n| {
        Format::parse(n).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown format {n:?} (expected jsonl, csv, tsv, semeval or text)"
            ))
        })
    })
    .transpose()
}

/// A loaded model with the default party registry, ready to score.
#[pyclass(frozen, module = "stance._stance")]
struct RawModel {
    scorer: Arc<Scorer>,
    /// Score states kept from call to call, so that scoring starts with warm word caches.
    states: StatePool,
    origin: String,
}

impl RawModel {
    fn new(model: stance::model::StanceModel, origin: String) -> Self {
        RawModel {
            scorer: Arc::new(Scorer::new(model, Registry::default_registry())),
            states: StatePool::default(),
            origin,
        }
    }

    /// The statements as the library's rows, checked like a file's rows. A missing (`None`)
    /// or blank statement is an error naming it, or, with `blank_ok` (DataFrames, where nulls
    /// are common), a row with no stance (`None` here).
    fn statements(
        texts: Vec<Option<String>>,
        targets: Option<Vec<Option<String>>>,
        blank_ok: bool,
    ) -> PyResult<Vec<Option<Example>>> {
        let targets = match targets {
            Some(t) if t.len() != texts.len() => {
                return Err(PyValueError::new_err(format!(
                    "{} statements but {} targets; give one target (or None) per statement",
                    texts.len(),
                    t.len()
                )))
            }
            Some(t) => t,
            None => vec![None; texts.len()],
        };
        texts
            .into_iter()
            .zip(targets)
            .enumerate()
            .map(|(i, (text, target))| {
                let number = i + 1;
                let text = match text {
                    Some(text) if !text.trim().is_empty() => text,
                    _ if blank_ok => return Ok(None),
                    Some(_) => {
                        return Err(PyValueError::new_err(format!(
                            "statement {number} is empty; there is nothing to score"
                        )))
                    }
                    None => {
                        return Err(PyValueError::new_err(format!(
                            "statement {number} is None, not text"
                        )))
                    }
                };
                if target.as_deref().is_some_and(|t| t.trim().is_empty()) {
                    return Err(PyValueError::new_err(format!(
                        "target {number} is empty; name a party (any alias) or give None"
                    )));
                }
                data::statement("statement", number, text, target)
                    .map(Some)
                    .map_err(|e| PyValueError::new_err(format!("statement {number}: {e}")))
            })
            .collect()
    }

    /// Every row of every statement (a statement left out, `None`, gets one row with no
    /// stance), with the index of the statement it came from (counted from `first`); scored in
    /// parallel, in input order.
    fn rows<'a>(
        &'a self,
        examples: &'a [Option<Example>],
        first: usize,
        options: &RowOptions<'a>,
    ) -> Vec<(usize, ScoreRow<'a>)> {
        examples
            .par_chunks(SLICE)
            .enumerate()
            .map_init(
                || self.states.take(),
                |state, (c, slice)| {
                    let mut out = Vec::with_capacity(slice.len());
                    for (i, example) in slice.iter().enumerate() {
                        let index = first + c * SLICE + i;
                        match example {
                            Some(example) => {
                                score_example(&self.scorer, state, example, options, |row| {
                                    out.push((index, row.clone()))
                                })
                            }
                            None => out.push((index, ScoreRow::unscored(None, "", None))),
                        }
                    }
                    out
                },
            )
            .flatten_iter()
            .collect()
    }

    /// Scores the statements chunk by chunk on the pool, from a thread of its own, and hands
    /// each chunk's rows, in order, to `take` on this thread, which holds the GIL: turning rows
    /// into Python objects overlaps with scoring the next chunk. The GIL is released while
    /// waiting for a chunk, and Ctrl-C is honoured between chunks.
    fn each_chunk<'a>(
        &'a self,
        py: Python<'_>,
        examples: &'a [Option<Example>],
        options: &'a RowOptions<'a>,
        mut take: impl FnMut(&[(usize, ScoreRow<'a>)]) -> PyResult<()>,
    ) -> PyResult<()> {
        std::thread::scope(|threads| {
            // Two chunks may wait, so memory stays bounded by the chunk size.
            let (sender, receiver) = std::sync::mpsc::sync_channel(2);
            threads.spawn(move || {
                for (c, chunk) in examples.chunks(CHUNK).enumerate() {
                    if sender.send(self.rows(chunk, c * CHUNK, options)).is_err() {
                        break; // `take` failed, or Ctrl-C: the receiver is gone
                    }
                }
            });
            let receiver = std::sync::Mutex::new(receiver);
            while let Some(rows) = py.allow_threads(|| receiver.lock().ok()?.recv().ok()) {
                take(&rows)?;
                py.check_signals()?;
            }
            Ok(())
        })
    }
}

#[pymethods]
impl RawModel {
    /// The model built into the package.
    #[staticmethod]
    fn embedded() -> PyResult<Self> {
        let model = stance::load_model(None).map_err(py_error)?;
        Ok(RawModel::new(model, "embedded default model".into()))
    }

    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let model = stance::load_model(Some(&path)).map_err(py_error)?;
        Ok(RawModel::new(model, path.display().to_string()))
    }

    #[staticmethod]
    fn from_bytes(data: &[u8], name: &str) -> PyResult<Self> {
        let model = stance::model_file::from_bytes(name, data).map_err(py_error)?;
        Ok(RawModel::new(model, name.to_string()))
    }

    #[getter]
    fn origin(&self) -> &str {
        &self.origin
    }

    /// Said when the model was trained with other sentiment lexicons than this build's.
    fn lexicon_warning(&self) -> Option<String> {
        self.scorer.model.lexicon_warning()
    }

    /// Rows as dicts, with the fields of `stance score`'s JSONL rows, and the index of each
    /// row's statement.
    #[pyo3(signature = (texts, targets=None, explain=None, threshold=None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Option<String>>,
        targets: Option<Vec<Option<String>>>,
        explain: Option<usize>,
        threshold: Option<f32>,
    ) -> PyResult<(Bound<'py, PyList>, Vec<usize>)> {
        check_threshold(threshold)?;
        let examples = Self::statements(texts, targets, false)?;
        let options = RowOptions {
            target: None,
            explain,
            threshold,
        };
        let loads = py.import("json")?.getattr("loads")?;
        let list = PyList::empty(py);
        let mut indices = Vec::with_capacity(examples.len());
        self.each_chunk(py, &examples, &options, |rows| {
            for (index, row) in rows {
                list.append(row_dict(py, row, &loads)?)?;
                indices.push(*index);
            }
            Ok(())
        })?;
        Ok((list, indices))
    }

    /// Rows as columns (for DataFrames): `row` (the statement's index), `target`, `stance`,
    /// `p_favor`, `p_against`, `p_none`, `mentioned`, and `abstained` with a threshold. A
    /// missing or blank statement gets one row of nulls.
    #[pyo3(signature = (texts, targets=None, threshold=None))]
    fn score_columns<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Option<String>>,
        targets: Option<Vec<Option<String>>>,
        threshold: Option<f32>,
    ) -> PyResult<Bound<'py, PyDict>> {
        check_threshold(threshold)?;
        let examples = Self::statements(texts, targets, true)?;
        let options = RowOptions {
            target: None,
            explain: None,
            threshold,
        };
        let mut columns = Columns::default();
        self.each_chunk(py, &examples, &options, |rows| {
            columns.extend(rows);
            Ok(())
        })?;
        columns.into_dict(py, threshold.is_some())
    }

    /// The model file's bytes (for pickling and for shipping to Spark executors).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let bytes = stance::model_file::to_bytes(&self.scorer.model).map_err(py_error)?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }

    /// What `stance inspect --json` prints, as JSON text, and the note for a target the
    /// training data did not have.
    #[pyo3(signature = (target=None, top=10))]
    fn info_json(&self, target: Option<&str>, top: usize) -> PyResult<(String, Option<String>)> {
        let (views, note) = stance::model_info::views(&self.scorer, target, top);
        let json = serde_json::to_string(&stance::model_info::json(&self.scorer.model, &views))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok((json, note))
    }

    /// What `stance eval --json` prints, as JSON text, and the warnings about the files.
    #[pyo3(signature = (files, format=None, skip_invalid=false))]
    fn evaluate_json(
        &self,
        py: Python<'_>,
        files: Vec<PathBuf>,
        format: Option<&str>,
        skip_invalid: bool,
    ) -> PyResult<(String, Vec<String>)> {
        let format = format_named(format)?;
        let (json, warnings) = py
            .allow_threads(|| -> stance::Result<_> {
                let labeled = data::read_labeled(&files, format, skip_invalid)?;
                let (evaluation, _) = stance::eval::evaluate(&self.scorer, &labeled.examples);
                let mut warnings: Vec<String> = Vec::new();
                if !labeled.skipped.is_empty() {
                    warnings.push(format!(
                        "skipped {} invalid rows; the first: {}",
                        labeled.skipped.len(),
                        labeled.skipped[0]
                    ));
                }
                for w in &labeled.warnings {
                    warnings.push(format!("{} {}: {}", w.items.len(), w.what, w.items[0]));
                }
                let json = serde_json::to_string(&evaluation).unwrap_or_default();
                Ok((json, warnings))
            })
            .map_err(py_error)?;
        Ok((json, warnings))
    }

    /// A few facts for `repr`: rows trained on, targets seen, targets with their own model,
    /// features, whether it has word vectors, and the options as JSON.
    fn summary(&self) -> (usize, usize, Vec<String>, usize, bool, String) {
        let model = &self.scorer.model;
        let meta = &model.metadata;
        (
            meta.rows_per_target.values().sum(),
            meta.rows_per_target.len(),
            model
                .targets
                .keys()
                .map(|k| {
                    stance::model::language_of_key(k)
                        .map_or(k.clone(), |l| format!("{l} statements"))
                })
                .collect(),
            model.vocabulary.len(),
            model.vectors.is_some(),
            serde_json::to_string(&meta.options).unwrap_or_default(),
        )
    }
}

/// Score rows as columns, filled chunk by chunk.
#[derive(Default)]
struct Columns {
    row: Vec<usize>,
    target: Vec<Option<String>>,
    stance: Vec<Option<&'static str>>,
    p: [Vec<Option<f64>>; 3],
    mentioned: Vec<Option<bool>>,
    abstained: Vec<Option<bool>>,
}

impl Columns {
    fn extend(&mut self, rows: &[(usize, ScoreRow)]) {
        for (index, r) in rows {
            self.row.push(*index);
            self.target.push(r.target.map(str::to_string));
            self.stance.push(r.stance);
            let p = r.probabilities.map(|p| [p.favor, p.against, p.none]);
            for (k, column) in self.p.iter_mut().enumerate() {
                column.push(p.map(|p| py_float(p[k])));
            }
            self.mentioned.push(r.mentioned);
            self.abstained.push(r.abstained);
        }
    }

    fn into_dict(self, py: Python<'_>, with_abstained: bool) -> PyResult<Bound<'_, PyDict>> {
        let columns = PyDict::new(py);
        columns.set_item("row", self.row)?;
        columns.set_item("target", self.target)?;
        columns.set_item("stance", self.stance)?;
        let [favor, against, none] = self.p;
        columns.set_item("p_favor", favor)?;
        columns.set_item("p_against", against)?;
        columns.set_item("p_none", none)?;
        columns.set_item("mentioned", self.mentioned)?;
        if with_abstained {
            columns.set_item("abstained", self.abstained)?;
        }
        Ok(columns)
    }
}

fn check_threshold(threshold: Option<f32>) -> PyResult<()> {
    match threshold {
        Some(p) if !(0.0..=1.0).contains(&p) => Err(PyValueError::new_err(
            "threshold must be a probability between 0 and 1",
        )),
        _ => Ok(()),
    }
}

/// One row as a dict, keys in the order of the CLI's JSONL rows.
fn row_dict<'py>(
    py: Python<'py>,
    row: &ScoreRow,
    loads: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if let Some(id) = row.id {
        d.set_item(intern!(py, "id"), id)?;
    }
    d.set_item(intern!(py, "text"), row.text)?;
    d.set_item(intern!(py, "target"), row.target)?;
    d.set_item(intern!(py, "stance"), row.stance)?;
    let probabilities = match &row.probabilities {
        Some(p) => {
            let pd = PyDict::new(py);
            pd.set_item(intern!(py, "favor"), py_float(p.favor))?;
            pd.set_item(intern!(py, "against"), py_float(p.against))?;
            pd.set_item(intern!(py, "none"), py_float(p.none))?;
            pd.into_any()
        }
        None => py.None().into_bound(py),
    };
    d.set_item(intern!(py, "probabilities"), probabilities)?;
    let mentions = PyList::empty(py);
    for m in &row.mentions {
        let md = PyDict::new(py);
        md.set_item(intern!(py, "start"), m.start)?;
        md.set_item(intern!(py, "end"), m.end)?;
        md.set_item(intern!(py, "alias"), m.alias)?;
        mentions.append(md)?;
    }
    d.set_item(intern!(py, "mentions"), mentions)?;
    if let Some(m) = row.mentioned {
        d.set_item(intern!(py, "mentioned"), m)?;
    }
    if let Some(a) = row.abstained {
        d.set_item(intern!(py, "abstained"), a)?;
    }
    if let Some(e) = &row.explanation {
        let json = serde_json::to_string(e).map_err(|e| PyValueError::new_err(e.to_string()))?;
        d.set_item(intern!(py, "explanation"), loads.call1((json,))?)?;
    }
    if let Some(note) = row.note {
        d.set_item(intern!(py, "note"), note)?;
    }
    Ok(d)
}

/// `stance train` with these command-line arguments; the GIL is released while it trains.
#[pyfunction]
fn train_args(py: Python<'_>, args: Vec<String>) -> PyResult<()> {
    py.allow_threads(|| stance::cli::train_from_args(&args))
        .map_err(py_error)
}

/// `stance train`'s options: (long name, takes a value, help, possible values).
#[pyfunction]
fn train_options() -> Vec<(String, bool, String, Vec<String>)> {
    stance::cli::train_options()
}

#[pymodule]
fn _stance(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RawModel>()?;
    m.add_function(wrap_pyfunction!(train_args, m)?)?;
    m.add_function(wrap_pyfunction!(train_options, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
