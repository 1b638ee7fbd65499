//! `stance article`: the per-party picture of whole documents.

use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::article::{self, PartySummary, ScoredDocument};
use crate::article_report::{self, ArticleReportInput, DocumentReport};
use crate::{Error, Result};

#[derive(Args)]
#[command(
    about = "Summarize documents party by party: stance counts, lean, and the telling sentences",
    after_help = "Examples:\n  stance article docs/sample-article.txt\n  \
stance article --format json report1.txt report2.txt\n  \
stance article --report article.html docs/sample-article.txt\n  cat article.txt | stance article -\n\n\
Each document is split into sentences (paragraphs, sentence ends; not at \"U.S.\", \"Mr.\", \"No. 10\", \
decimals or initials), and every sentence is scored toward every registered party it names. For each \
party: the sentences naming it, how many are predicted favor, against and none, the mean probabilities, \
the net lean (mean of P(favor) - P(against); -1 all against, +1 all favor) with a 90% bootstrap interval \
over sentences (seeded: the same every run), and the three most confident sentences each way with the \
features behind them. For the rows themselves, use `stance score --input-format article`."
)]
pub struct ArticleArgs {
    /// Documents (plain text or Markdown, UTF-8), or - for stdin.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Model file; default: the model built into this binary.
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ArticleFormat::Table)]
    format: ArticleFormat,
    /// Also write a self-contained HTML report: each document with its sentences coloured per
    /// party (a party picker that needs no script), the summary as a chart, the telling sentences.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    #[command(flatten)]
    registry: super::RegistryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ArticleFormat {
    /// Text for people.
    Table,
    /// One JSON object per document, one a line.
    Json,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    file: &'a str,
    sentences: usize,
    paragraphs: usize,
    parties: &'a [PartySummary],
}

pub fn run(args: ArticleArgs) -> Result<ExitCode> {
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage("stdin (-) can be read only once".into()));
    }
    if let Some(report) = &args.report {
        let inputs: Vec<&Path> = args
            .files
            .iter()
            .chain(&args.model)
            .map(PathBuf::as_path)
            .collect();
        super::refuse_overwriting_an_input("--report", report, &inputs)?;
    }
    let scorer = super::load_scorer(args.model.as_ref(), args.registry.registry()?)?;
    let mut documents: Vec<(String, ScoredDocument, Vec<PartySummary>)> = Vec::new();
    for path in &args.files {
        let (name, text) = super::score::read_document(path)?;
        let scored = article::score_document(&scorer, &text);
        if scored.sentences.is_empty() {
            return Err(Error::file(&name, "holds no text"));
        }
        let summary = article::summarize(&scored);
        documents.push((name, scored, summary));
    }
    if let Some(path) = &args.report {
        let input = ArticleReportInput {
            title: format!(
                "stance article: {}",
                documents
                    .iter()
                    .map(|d| d.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            generated_by: format!("stance {}", env!("CARGO_PKG_VERSION")),
            model: args
                .model
                .as_ref()
                .map_or("embedded default model".to_string(), |m| {
                    m.display().to_string()
                }),
            documents: documents
                .iter()
                .map(|(name, scored, summary)| DocumentReport {
                    name,
                    scored,
                    summary,
                })
                .collect(),
        };
        crate::io::write_file(path, article_report::render(&input).as_bytes())?;
        eprintln!("report written to {}", path.display());
    }
    for (i, (name, scored, summary)) in documents.iter().enumerate() {
        let paragraphs = scored.sentences.last().map_or(0, |s| s.paragraph + 1);
        match args.format {
            ArticleFormat::Json => {
                let json = DocumentJson {
                    file: name,
                    sentences: scored.sentences.len(),
                    paragraphs,
                    parties: summary,
                };
                outln!("{}", serde_json::to_string(&json).unwrap_or_default());
            }
            ArticleFormat::Table => {
                if i > 0 {
                    outln!();
                }
                print_table(name, scored, summary, paragraphs)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(
    name: &str,
    scored: &ScoredDocument,
    summary: &[PartySummary],
    paragraphs: usize,
) -> Result<()> {
    let named = scored
        .rows
        .iter()
        .map(|r| r.sentence)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    outln!(
        "{name}: {} in {}; {} named, in {}",
        count(scored.sentences.len(), "sentence", "sentences"),
        count(paragraphs, "paragraph", "paragraphs"),
        count(summary.len(), "party", "parties"),
        count(named, "sentence", "sentences")
    );
    if summary.is_empty() {
        outln!("  no registered party is named");
        return Ok(());
    }
    outln!(
        "{:<18}{:>9}{:>7}{:>8}{:>6}{:>10}{:>11}{:>9}{:>8}  90% interval",
        "party",
        "sentences",
        "favor",
        "against",
        "none",
        "P(favor)",
        "P(against)",
        "P(none)",
        "lean"
    );
    for p in summary {
        outln!(
            "{:<18}{:>9}{:>7}{:>8}{:>6}{:>10.3}{:>11.3}{:>9.3}{:>+8.2}  [{:+.2}, {:+.2}]",
            p.party,
            p.sentences,
            p.favor,
            p.against,
            p.none,
            p.mean_probabilities[0],
            p.mean_probabilities[1],
            p.mean_probabilities[2],
            p.lean,
            p.lean_interval[0],
            p.lean_interval[1]
        );
    }
    for p in summary {
        if p.most_favor.is_empty() && p.most_against.is_empty() {
            continue;
        }
        outln!();
        outln!("{}: the most confident sentences", p.party);
        for (stance, examples) in [("favor", &p.most_favor), ("against", &p.most_against)] {
            for e in examples.iter() {
                outln!(
                    "  {stance:<8}{:.2}  #{:<3} {}",
                    e.probability,
                    e.sentence,
                    e.text
                );
                let why: Vec<String> = e
                    .explanation
                    .toward
                    .iter()
                    .take(3)
                    .map(|c| {
                        let words = if c.words.trim().is_empty() {
                            &c.feature
                        } else {
                            &c.words
                        };
                        format!("{words} (+{:.2})", c.value)
                    })
                    .collect();
                if !why.is_empty() {
                    outln!("{:<20}because: {}", "", why.join(", "));
                }
            }
        }
    }
    Ok(())
}
