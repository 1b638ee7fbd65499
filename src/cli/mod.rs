//! Command-line definitions (clap derive), one file per subcommand.

/// `print!` / `println!` that return a failed write (a full disk, a closed descriptor) as an
/// error naming stdout, where the std macros would panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*).map_err(|e| crate::Error::io("stdout", e))?
    }};
}
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*).map_err(|e| crate::Error::io("stdout", e))?
    }};
}

mod article;
mod audit;
mod eval;
mod eval_report;
mod inspect;
mod json_string;
mod parties;
mod progress;
mod score;
mod suggest;
mod train;
mod values;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::data::{self, Format};
use crate::model::{Scorer, MAX_WEIGHT};
use crate::parties::Registry;
use crate::{Error, Result};

#[derive(Parser)]
#[command(
    name = "stance",
    version,
    about = "Which side does a statement take toward a party? favor, against or none.",
    long_about = "Trains, applies and evaluates stance models: bag-of-words features with target-aware \
marks and multinomial logistic regression (linfa-logistic), one model per party plus a pooled one.\n\n\
Without --model, score/eval/audit use the default model built into this binary, trained from the \
project's labeled/ corpus of international news statements and NewsMTSC's human-labeled news sentences.",
    after_help = "Examples:\n  stance score \"The Kremlin accused Washington of prolonging the war\"\n  \
stance train --out my.model data/train.jsonl\n  stance eval --model my.model --min-f-avg 0.6 data/dev.jsonl\n\n\
Exit codes: 0 success, 1 an evaluation threshold was missed, 2 bad usage or bad input."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bars (they are only drawn on a terminal anyway).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    Train(Box<train::TrainArgs>),
    Score(score::ScoreArgs),
    Article(article::ArticleArgs),
    Eval(eval::EvalArgs),
    Audit(audit::AuditArgs),
    Suggest(suggest::SuggestArgs),
    Parties(parties::PartiesArgs),
    Inspect(inspect::InspectArgs),
    /// Print a shell completion script: stance completions bash > /etc/bash_completion.d/stance
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    progress::set_quiet(cli.quiet);
    match cli.command {
        Command::Train(args) => train::run(*args),
        Command::Score(args) => score::run(args),
        Command::Article(args) => article::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Parties(args) => parties::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "stance", &mut script);
            out!("{}", String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `stance train` with these arguments (no program or subcommand name), for callers that are
/// not a shell (the Python package's `train`): the same flags, checks and messages.
pub fn train_from_args(args: &[String]) -> Result<()> {
    use clap::FromArgMatches;
    let command = <train::TrainArgs as clap::Args>::augment_args(clap::Command::new("train"));
    let parsed = command
        .try_get_matches_from(std::iter::once("train".to_string()).chain(args.iter().cloned()))
        .and_then(|matches| train::TrainArgs::from_arg_matches(&matches))
        .map_err(|e| Error::Usage(first_line(&e.to_string())))?;
    train::run(parsed).map(|_| ())
}

/// `stance train`'s options: each long name, whether it takes a value (else it is a flag), its
/// help line and its possible values (empty when any value goes).
pub fn train_options() -> Vec<(String, bool, String, Vec<String>)> {
    let command = <train::TrainArgs as clap::Args>::augment_args(clap::Command::new("train"));
    command
        .get_arguments()
        .filter_map(|a| {
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let values = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            Some((
                a.get_long()?.to_string(),
                a.get_action().takes_values(),
                help,
                values,
            ))
        })
        .collect()
}

/// A clap message without its "error: " prefix, usage and help lines.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Six decimals, for probabilities and scores printed as JSON: an f32's digits beyond them are
/// noise.
fn rounded(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// `--parties FILE` and `--parties-only`: the party registry to use.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RegistryArgs {
    /// A party registry file (TOML, as labeled/parties.toml: [[party]] name, aliases, ambiguous)
    /// whose parties are added to the built-in ones; a party of a known name gains its aliases.
    #[arg(long, value_name = "FILE")]
    pub parties: Option<PathBuf>,
    /// Use only the parties of the --parties file, not the built-in ones.
    #[arg(long, requires = "parties")]
    pub parties_only: bool,
}

impl RegistryArgs {
    pub fn registry(&self) -> Result<Registry> {
        match &self.parties {
            Some(path) => Registry::with_file(path, self.parties_only),
            None => Ok(Registry::default_registry()),
        }
    }
}

/// Loads the model named by `--model`, or the embedded default (`crate::load_model`); a build
/// without one says to pass --model.
fn load_model(model: Option<&Path>) -> Result<crate::model::StanceModel> {
    crate::load_model(model).map_err(|e| match e {
        Error::NoDefaultModel => Error::Usage(format!("{e}; pass --model FILE")),
        e => e,
    })
}

/// Loads the model named by `--model`, or the embedded default, to score with `registry`; says
/// once, on stderr, when the model was trained with another registry.
fn load_scorer(model: Option<&PathBuf>, registry: Registry) -> Result<Scorer> {
    let model = load_model(model.map(PathBuf::as_path))?;
    if let Some(trained) = &model.metadata.registry {
        let now = registry.record();
        if trained.sha256 != now.sha256 {
            let added: Vec<&str> = now
                .parties
                .iter()
                .filter(|p| !trained.parties.contains(p))
                .map(String::as_str)
                .collect();
            let mut note = format!(
                "note: the model was trained with another party registry ({} parties; this one has {}",
                trained.parties.len(),
                now.parties.len()
            );
            if !added.is_empty() {
                note += &format!(", new: {}", added.join(", "));
            }
            note += "); parties it has no model of their own for are scored by its pooled model";
            eprintln!("{note}");
        }
    }
    if let Some(warning) = model.lexicon_warning() {
        eprintln!("warning: {warning}");
    }
    Ok(Scorer::new(model, registry))
}

/// Reads labeled files (`data::read_labeled`) and reports on stderr the rows --skip-invalid
/// left out and the warnings about duplicate ids and conflicting labels.
fn read_labeled(
    files: &[PathBuf],
    format: Option<Format>,
    skip_invalid: bool,
) -> Result<data::Labeled> {
    let labeled = data::read_labeled(files, format, skip_invalid)?;
    report_skipped(&labeled.skipped);
    for warning in &labeled.warnings {
        warn_list(warning.what, &warning.items);
    }
    Ok(labeled)
}

/// Says how many rows --skip-invalid left out, and the first few reasons.
fn report_skipped(skipped: &[crate::Error]) {
    if skipped.is_empty() {
        return;
    }
    eprintln!(
        "warning: skipped {} invalid rows (--skip-invalid); the first:",
        skipped.len()
    );
    for e in skipped.iter().take(5) {
        eprintln!("  {e}");
    }
}

fn warn_list(what: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    eprintln!("warning: {} {what}:", items.len());
    for item in items.iter().take(5) {
        eprintln!("  {item}");
    }
    if items.len() > 5 {
        eprintln!("  … and {} more", items.len() - 5);
    }
}

/// The cross-validation table as text, one row a line, each line starting with `indent`
/// (printed by `train --cv` and by `inspect`).
pub fn cv_table(table: &[crate::model::CvResult], indent: &str) -> String {
    let width = table
        .iter()
        .map(|row| row.features.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(22);
    let mut out = format!(
        "{indent}{:<width$}{:>8}{:>12}{:>10}{:>10}{:>10}{:>18}\n",
        "features", "l2", "own models", "accuracy", "macro-F1", "F_avg", "fold mean ± se"
    );
    for row in table {
        let own = row
            .min_target_rows
            .map_or("none".to_string(), |m| format!(">={m}"));
        out += &format!(
            "{indent}{:<width$}{:>8}{:>12}{:>10.4}{:>10.4}{:>10.4}{:>18}{}\n",
            row.features,
            row.l2,
            own,
            row.accuracy,
            row.macro_f1,
            row.f_avg,
            format!("{:.4} ± {:.4}", row.mean, row.se),
            if row.chosen { "  <- chosen" } else { "" }
        );
    }
    out
}

/// A command-line fraction in [0, 1] (thresholds): NaN, infinities and numbers outside are
/// refused while the arguments are parsed, so a gate can never be silently off.
pub fn fraction(value: &str) -> std::result::Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{value:?} is not a fraction between 0 and 1")),
    }
}

/// A command-line weight: a number from 0 to `MAX_WEIGHT` (beyond it the solver's numbers
/// overflow).
pub fn weight(value: &str) -> std::result::Result<f32, String> {
    match value.trim().parse::<f32>() {
        Ok(x) if x.is_finite() && (0.0..=MAX_WEIGHT as f32).contains(&x) => Ok(x),
        _ => Err(format!("{value:?} is not a number from 0 to {MAX_WEIGHT}")),
    }
}

/// A command-line weight that must be above 0.
pub fn positive_weight(value: &str) -> std::result::Result<f32, String> {
    match weight(value) {
        Ok(x) if x > 0.0 => Ok(x),
        _ => Err(format!(
            "{value:?} is not a number above 0 and at most {MAX_WEIGHT}"
        )),
    }
}

/// A command-line L2 strength: above 0 and at most `MAX_WEIGHT`.
pub fn l2_strength(value: &str) -> std::result::Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= MAX_WEIGHT => Ok(x),
        _ => Err(format!(
            "{value:?} is not a number above 0 and at most {MAX_WEIGHT}"
        )),
    }
}

/// Refuses to write `output` (given with `flag`) when it is the same file as one of `inputs`:
/// compared by device and inode, so another name, a link or `./` does not hide it. Writing
/// would replace the input with the output.
pub fn refuse_overwriting_an_input(
    flag: &str,
    output: &std::path::Path,
    inputs: &[&std::path::Path],
) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(out) = std::fs::metadata(output) else {
            return Ok(()); // a new file is no input
        };
        for input in inputs {
            let same = std::fs::metadata(input)
                .is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino());
            if same {
                return Err(Error::Usage(format!(
                    "{flag} {} is the input {}; writing it would destroy the input (nothing was written)",
                    output.display(),
                    input.display()
                )));
            }
        }
    }
    let _ = (flag, output, inputs);
    Ok(())
}
