//! Command-line definitions (clap derive), one file per subcommand.

mod eval;
mod eval_report;
mod inspect;
mod parties;
mod score;
mod train;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use stance::data::{self, Example, Format, Need};
use stance::model::Scorer;
use stance::parties::Registry;
use stance::Result;

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
}

#[derive(Subcommand)]
enum Command {
    Train(train::TrainArgs),
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
    match cli.command {
        Command::Train(args) => train::run(args),
        Command::Score(args) => score::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Parties(args) => parties::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "stance", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads the model named by `--model`, or the embedded default.
fn load_scorer(model: Option<&PathBuf>) -> Result<Scorer> {
    let model = stance::load_model(model.map(PathBuf::as_path))?;
    Ok(Scorer::new(model, Registry::default_registry()))
}

/// Reads several labeled files into one list, in order.
fn read_labeled(files: &[PathBuf], format: Option<Format>) -> Result<Vec<Example>> {
    let mut examples = Vec::new();
    for file in files {
        examples.extend(data::read_file(file, format, Need::Labeled)?);
    }
    Ok(examples)
}
