//! Command-line definitions (clap derive), one file per subcommand.

/// `print!` / `println!` that return a failed write (a full disk, a closed descriptor) as an
/// error naming stdout, where the std macros would panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*).map_err(|e| stance::Error::io("stdout", e))?
    }};
}
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*).map_err(|e| stance::Error::io("stdout", e))?
    }};
}

mod eval;
mod eval_report;
mod inspect;
mod json_string;
mod parties;
mod progress;
mod score;
mod train;

use clap::{Parser, Subcommand};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use stance::data::{self, Example, Format, Need};
use stance::model::Scorer;
use stance::parties::Registry;
use stance::{Error, Result};

#[derive(Parser)]
#[command(
    name = "stance",
    version,
    about = "Which side does a statement take toward a party? favor, against or none.",
    long_about = "Trains, applies and evaluates stance models: bag-of-words features with target-aware \
marks and multinomial logistic regression (linfa-logistic), one model per party plus a pooled one.\n\n\
Without --model, score/eval/parties use the default model built into this binary, trained from the \
project's labeled/ corpus of international news statements.",
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
    Eval(eval::EvalArgs),
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
        Command::Eval(args) => eval::run(args),
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

/// Loads the model named by `--model`, or the embedded default.
fn load_scorer(model: Option<&PathBuf>) -> Result<Scorer> {
    let model = stance::load_model(model.map(PathBuf::as_path))?;
    Ok(Scorer::new(model, Registry::default_registry()))
}

/// Reads several labeled files into one list, in order. With `skip_invalid`, bad rows are
/// reported and left out; with none valid left, it is still an error. Warns about duplicate ids
/// and about a statement labeled twice toward one target with different stances.
fn read_labeled(
    files: &[PathBuf],
    format: Option<Format>,
    skip_invalid: bool,
) -> Result<(Vec<Example>, Vec<usize>)> {
    let mut examples = Vec::new();
    let mut origin: Vec<(usize, usize)> = Vec::new();
    let mut skipped = Vec::new();
    let mut per_file = Vec::new();
    for (f, file) in files.iter().enumerate() {
        let rows = data::read_file_with(
            file,
            format,
            Need::Labeled,
            skip_invalid.then_some(&mut skipped),
        )?;
        per_file.push(rows.len());
        origin.extend(rows.iter().map(|e| (f, e.line)));
        examples.extend(rows);
    }
    report_skipped(&skipped);
    let place = |i: usize| format!("{}:{}", files[origin[i].0].display(), origin[i].1);
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut labels: HashMap<(&str, &str), usize> = HashMap::new();
    let (mut duplicate_ids, mut conflicts) = (Vec::new(), Vec::new());
    for (i, e) in examples.iter().enumerate() {
        if let Some(id) = e.id.as_deref() {
            if let Some(&first) = ids.get(id) {
                duplicate_ids.push(format!("id {id:?} at {} and {}", place(first), place(i)));
            } else {
                ids.insert(id, i);
            }
        }
        let key = (e.text.as_str(), e.target.as_deref().unwrap_or_default());
        match labels.get(&key) {
            Some(&first) if examples[first].stance != e.stance => conflicts.push(format!(
                "{} and {} label the same statement toward {} differently ({} vs {})",
                place(first),
                place(i),
                key.1,
                examples[first].stance.map_or("?", |s| s.name()),
                e.stance.map_or("?", |s| s.name()),
            )),
            Some(_) => {}
            None => {
                labels.insert(key, i);
            }
        }
    }
    warn_list("duplicate ids", &duplicate_ids);
    warn_list("conflicting labels", &conflicts);
    Ok((examples, per_file))
}

/// Says how many rows --skip-invalid left out, and the first few reasons.
fn report_skipped(skipped: &[stance::Error]) {
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
pub fn cv_table(table: &[stance::model::CvResult], indent: &str) -> String {
    let width = table
        .iter()
        .map(|row| row.features.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(22);
    let mut out = format!(
        "{indent}{:<width$}{:>8}{:>12}{:>10}{:>10}{:>10}\n",
        "features", "l2", "own models", "accuracy", "macro-F1", "F_avg"
    );
    for row in table {
        let own = row
            .min_target_rows
            .map_or("none".to_string(), |m| format!(">={m}"));
        out += &format!(
            "{indent}{:<width$}{:>8}{:>12}{:>10.4}{:>10.4}{:>10.4}{}\n",
            row.features,
            row.l2,
            own,
            row.accuracy,
            row.macro_f1,
            row.f_avg,
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

/// A command-line weight: a finite number of 0 or more.
pub fn weight(value: &str) -> std::result::Result<f32, String> {
    match value.trim().parse::<f32>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("{value:?} is not a finite number of 0 or more")),
    }
}

/// A command-line weight that must be above 0.
pub fn positive_weight(value: &str) -> std::result::Result<f32, String> {
    match weight(value) {
        Ok(x) if x > 0.0 => Ok(x),
        _ => Err(format!("{value:?} is not a finite number above 0")),
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
