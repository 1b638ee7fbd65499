//! `stance train`: fit a model from labeled files and write it atomically.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use stance::data::{self, Format, Need};
use stance::model::{TrainOptions, TrainingFile};
use stance::parties::Registry;
use stance::text::{AnalyzerConfig, Language};
use stance::{model_file, train, Error, Result};

const DEFAULT_TRAIN: &str = "labeled/train.jsonl";
const DEFAULT_OUT: &str = "models/default.stance";

#[derive(Args)]
#[command(
    about = "Train a model from labeled files",
    after_help = "Examples:\n  stance train                                  # labeled/train.jsonl → models/default.stance\n  \
stance train --out tweets.model semeval/train.jsonl\n  stance train --out news.model --ngrams 3 --l2 0.5 a.jsonl b.csv\n\n\
Labeled files: JSONL {\"id\"?, \"text\", \"target\", \"stance\", \"spans\"?}, CSV/TSV with a header naming \
text, target, stance (id optional), or SemEval-2016 TSV (ID, Target, Tweet, Stance)."
)]
pub struct TrainArgs {
    /// Labeled files; none means labeled/train.jsonl (run from the repository root).
    files: Vec<PathBuf>,
    /// Where to write the model; required when FILES are given. Default: models/default.stance
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// File format, when the extension does not tell it.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Stemming language.
    #[arg(long, value_enum, default_value_t = Language::English)]
    language: Language,
    /// Longest word n-gram.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=5))]
    ngrams: u64,
    /// Do not replace the target's mentions by a placeholder (for comparison).
    #[arg(long)]
    no_target_placeholder: bool,
    /// Minimum number of statements a feature must occur in.
    #[arg(long, default_value_t = 2)]
    min_df: usize,
    /// Number of feature columns kept (chi-square selection) for the solver.
    #[arg(long, default_value_t = 8000)]
    max_features: usize,
    /// Rows a target needs for a model of its own; others use the pooled model.
    #[arg(long, default_value_t = 100)]
    min_target_rows: usize,
    /// L2 regularization strength (scikit-learn's C = 1 / l2).
    #[arg(long, default_value_t = 1.0)]
    l2: f64,
    /// Solver iteration limit.
    #[arg(long, default_value_t = 200)]
    max_iter: u64,
    /// Let linfa start from zero instead of a sparse L-BFGS warm start (slower; same optimum).
    #[arg(long)]
    no_warm_start: bool,
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    let (files, out) = match (args.files.is_empty(), args.out) {
        (true, out) => (
            vec![PathBuf::from(DEFAULT_TRAIN)],
            out.unwrap_or(DEFAULT_OUT.into()),
        ),
        (false, Some(out)) => (args.files, out),
        (false, None) => {
            return Err(Error::Usage(
                "--out MODEL is required when training files are given".into(),
            ))
        }
    };
    if !(args.l2.is_finite() && args.l2 > 0.0) {
        return Err(Error::Usage("--l2 must be a positive number".into()));
    }
    if args.max_features == 0 {
        return Err(Error::Usage("--max-features must be at least 1".into()));
    }
    let options = TrainOptions {
        analyzer: AnalyzerConfig {
            language: args.language,
            ngram_max: args.ngrams as usize,
            target_placeholder: !args.no_target_placeholder,
        },
        min_df: args.min_df.max(1),
        max_features: args.max_features,
        min_target_rows: args.min_target_rows,
        l2: args.l2,
        max_iterations: args.max_iter,
        warm_start: !args.no_warm_start,
    };
    let mut examples = Vec::new();
    let mut fingerprints = Vec::new();
    for file in &files {
        let rows = data::read_file(file, args.format, Need::Labeled)?;
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        fingerprints.push(TrainingFile {
            path: file.display().to_string(),
            sha256: model_file::sha256_hex(&bytes),
            rows: rows.len(),
        });
        examples.extend(rows);
    }
    let registry = Registry::default_registry();
    let model = train::train(&examples, fingerprints, &options, &registry)?;
    model_file::save(&model, &out)?;
    eprintln!(
        "trained on {} rows ({} targets, {} with a model of their own), {} features → {}",
        examples.len(),
        model.metadata.rows_per_target.len(),
        model.targets.len(),
        model.vocabulary.len(),
        out.display()
    );
    for note in &model.metadata.notes {
        eprintln!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}
