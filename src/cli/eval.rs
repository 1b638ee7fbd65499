//! `stance eval`: accuracy, per-class P/R/F1, macro-F1, F_avg, confusion matrix, per-target figures;
//! exit 1 when a threshold is missed, so CI can gate on it.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::data::{Format, Stance};
use crate::eval::{evaluate, Evaluation, Summary};
use crate::Result;

#[derive(Args)]
#[command(
    about = "Evaluate a model on labeled files; fail (exit 1) below a threshold",
    after_help = "Examples:\n  stance eval labeled/test.jsonl\n  \
stance eval --model tweets.model --min-f-avg 0.65 semeval/val.jsonl\n  \
stance eval --json --model news.model dev.jsonl | jq .macro_f1\n\n\
F_avg is SemEval-2016's measure: the mean of the F1 of favor and of against, over all targets pooled.\n\
Thresholds are fractions in [0, 1]. Exit codes: 0 all thresholds met, 1 one missed, 2 bad input."
)]
pub struct EvalArgs {
    /// Labeled files to evaluate on.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Model file; default: the model built into this binary.
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// File format, when the extension does not tell it.
    #[arg(long, value_parser = super::values::format())]
    format: Option<Format>,
    /// Fail (exit 1) if accuracy is below this.
    #[arg(long, value_name = "X", value_parser = super::fraction)]
    min_accuracy: Option<f64>,
    /// Fail (exit 1) if macro-F1 is below this.
    #[arg(long, value_name = "X", value_parser = super::fraction)]
    min_macro_f1: Option<f64>,
    /// Fail (exit 1) if F_avg is below this.
    #[arg(long, value_name = "X", value_parser = super::fraction)]
    min_f_avg: Option<f64>,
    /// Print one JSON object instead of the report.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML report (metrics, confusion heatmap, per-class bars,
    /// confident mistakes with explanations, model metadata).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Leave out invalid rows (reported on stderr) instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    #[command(flatten)]
    registry: super::RegistryArgs,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if let Some(report) = &args.report {
        let mut inputs: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
        inputs.extend(args.model.as_deref());
        super::refuse_overwriting_an_input("--report", report, &inputs)?;
    }
    let scorer = super::load_scorer(args.model.as_ref(), args.registry.registry()?)?;
    let examples = super::read_labeled(&args.files, args.format, args.skip_invalid)?.examples;
    let (report, predictions) = evaluate(&scorer, &examples);
    if let Some(path) = &args.report {
        let html = super::eval_report::render(
            &scorer,
            (&args.files, args.model.as_deref()),
            &examples,
            &predictions,
            &report,
        );
        crate::io::write_file(path, html.as_bytes())?;
        eprintln!("report written to {}", path.display());
    }
    if args.json {
        outln!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        print_report(&report)?;
    }
    let mut missed = false;
    for gate in report.gates(args.min_accuracy, args.min_macro_f1, args.min_f_avg) {
        if gate.missed() {
            eprintln!(
                "stance: {} {:.4} is below the threshold {:.4}",
                gate.name, gate.value, gate.threshold
            );
            missed = true;
        }
    }
    Ok(if missed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(report: &Evaluation) -> Result<()> {
    let o = &report.overall;
    outln!("rows: {}", o.n);
    outln!(
        "accuracy: {:.4}   macro-F1: {:.4}   F_avg: {:.4}   calibration error (ECE, 10 bins): {:.4}",
        o.accuracy,
        o.macro_f1,
        o.f_avg,
        report.ece
    );
    outln!();
    outln!(
        "{:<10}{:>10}{:>10}{:>10}{:>10}",
        "class",
        "precision",
        "recall",
        "F1",
        "support"
    );
    for stance in Stance::ALL {
        let c = &report.classes[stance.name()];
        outln!(
            "{:<10}{:>10.4}{:>10.4}{:>10.4}{:>10}",
            stance.name(),
            c.precision,
            c.recall,
            c.f1,
            c.support
        );
    }
    outln!();
    outln!("confusion (rows: gold, columns: predicted)");
    outln!("{:<10}{:>9}{:>9}{:>9}", "", "favor", "against", "none");
    for stance in Stance::ALL {
        let row = report.confusion[stance.index()];
        outln!(
            "{:<10}{:>9}{:>9}{:>9}",
            stance.name(),
            row[0],
            row[1],
            row[2]
        );
    }
    outln!();
    // Data sets with a target per person (NewsMTSC) have thousands: show the largest.
    const SHOWN: usize = 25;
    let mut targets: Vec<(&String, &Summary)> = report.per_target.iter().collect();
    targets.sort_by(|a, b| b.1.n.cmp(&a.1.n).then(a.0.cmp(b.0)));
    let hidden = targets.len().saturating_sub(SHOWN);
    targets.truncate(SHOWN);
    let width = targets
        .iter()
        .map(|(t, _)| t.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 40)
        + 2;
    outln!(
        "{:<width$}{:>6}{:>10}{:>10}{:>10}",
        "target",
        "rows",
        "accuracy",
        "macro-F1",
        "F_avg"
    );
    for (target, s) in targets {
        let target: String = target.chars().take(40).collect();
        outln!(
            "{:<width$}{:>6}{:>10.4}{:>10.4}{:>10.4}",
            target,
            s.n,
            s.accuracy,
            s.macro_f1,
            s.f_avg
        );
    }
    if hidden > 0 {
        outln!("… and {hidden} more targets with fewer rows (all are in --json)");
    }
    Ok(())
}
