//! `stance parties`: list the registry, or the parties a text mentions with their spans.

use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

use crate::Result;

#[derive(Args)]
#[command(
    about = "List registered parties, or the parties mentioned in a text",
    after_help = "Examples:\n  stance parties\n  stance parties --parties my-parties.toml\n  stance parties \"Tel Aviv and the Kremlin traded accusations\"\n  stance parties --json \"Washington hosted the talks\"\n\n\
Spans are code-point offsets, end exclusive. Mentions through an ambiguous alias (\"Washington\" may be \
the US state) are marked."
)]
pub struct PartiesArgs {
    /// Texts to find parties in; none lists the registry.
    texts: Vec<String>,
    /// Print JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    registry: super::RegistryArgs,
}

#[derive(Serialize)]
struct Found<'a> {
    party: &'a str,
    mention: String,
    start: usize,
    end: usize,
    ambiguous: bool,
}

pub fn run(args: PartiesArgs) -> Result<ExitCode> {
    let registry = args.registry.registry()?;
    if args.texts.is_empty() {
        for party in registry.parties() {
            if args.json {
                outln!(
                    "{}",
                    serde_json::json!({"name": party.name, "aliases": party.aliases, "ambiguous": party.ambiguous})
                );
            } else {
                outln!("{}: {}", party.name, party.aliases.join(", "));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    for text in &args.texts {
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<Found> = registry
            .mentions(text)
            .into_iter()
            .map(|m| Found {
                party: &registry.parties()[m.party].name,
                mention: chars[m.start..m.end].iter().collect(),
                start: m.start,
                end: m.end,
                ambiguous: m.ambiguous,
            })
            .collect();
        if args.json {
            outln!("{}", serde_json::json!({"text": text, "parties": found}));
            continue;
        }
        if args.texts.len() > 1 {
            outln!("{text}");
        }
        if found.is_empty() {
            outln!("  no registered party mentioned");
        }
        for f in &found {
            let flag = if f.ambiguous {
                "  (ambiguous alias)"
            } else {
                ""
            };
            outln!(
                "  {:<22} {:?} [{}, {}]{}",
                f.party,
                f.mention,
                f.start,
                f.end,
                flag
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
