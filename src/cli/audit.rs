//! `stance audit`: the labeled rows whose label the model finds least likely, out of fold.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::data::Format;
use crate::parties::Registry;
use crate::{audit, cv, Error, Result};

#[derive(Args)]
#[command(
    about = "List the labeled rows whose label looks wrong, most suspicious first (JSONL)",
    after_help = "Examples:\n  stance audit labeled/train.jsonl labeled/test.jsonl --top 50\n  \
stance audit --model news.model --folds 10 news/train.jsonl > suspects.jsonl\n\n\
Each row is scored by a model trained on the other folds (K-fold by statement, with the options and \
word vectors of --model, by default the built-in model's), so a row never judges itself. Output: one \
JSON object per row, least likely label first: id, file, line, text, target, stance (given), \
suggested, p_given, p_suggested."
)]
pub struct AuditArgs {
    /// Labeled files to audit (read together, as `stance train` reads them).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Train the fold models with this model's options and word vectors; default: the model
    /// built into this binary.
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// File format, when the extension does not tell it.
    #[arg(long, value_parser = super::values::format())]
    format: Option<Format>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print only the N most suspicious rows; 0 prints every row.
    #[arg(long, value_name = "N", default_value_t = 50)]
    top: usize,
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    let model = super::load_model(args.model.as_deref())?;
    let labeled = super::read_labeled(&args.files, args.format, false)?;
    let examples = labeled.examples;
    let registry = Registry::default_registry();
    let options = &model.metadata.options;
    if args.folds < 2 {
        return Err(Error::Usage("--folds must be at least 2".into()));
    }
    let bar = super::progress::bar(args.folds as u64, "audit", false);
    let probabilities = cv::out_of_fold_probabilities(
        &examples,
        options,
        args.folds,
        args.seed,
        &registry,
        model.vectors.as_ref(),
        &|step| {
            bar.set_message(step.to_string());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    let suspects = audit::suspects(&examples, &probabilities);
    let shown = if args.top == 0 {
        suspects.len()
    } else {
        args.top
    };
    for suspect in suspects.iter().take(shown) {
        let example = &examples[suspect.index];
        let row = Row {
            id: example.id.as_deref(),
            file: args.files[example.source].display().to_string(),
            line: example.line,
            text: &example.text,
            target: example.target.as_deref(),
            stance: suspect.given.name(),
            suggested: suspect.suggested.name(),
            p_given: super::rounded(suspect.p_given.into()),
            p_suggested: super::rounded(suspect.p_suggested.into()),
        };
        let line = serde_json::to_string(&row).expect("a row of strings and numbers serializes");
        outln!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// One output row, fields in this order.
#[derive(serde::Serialize)]
struct Row<'a> {
    id: Option<&'a str>,
    file: String,
    line: usize,
    text: &'a str,
    target: Option<&'a str>,
    stance: &'static str,
    suggested: &'static str,
    p_given: f64,
    p_suggested: f64,
}
