//! `stance inspect`: what a model holds — its metadata and, per target and class, the features
//! with the strongest weights.

use clap::Args;

use crate::parties::Registry;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::model::StanceModel;
use crate::{model_info, Error, Result};

#[derive(Args)]
#[command(
    about = "Show a model's metadata and its strongest features per target and class",
    after_help = "Examples:\n  stance inspect\n  stance inspect --target Russia --top 15\n  stance inspect --model news.model --json | jq .metadata.options"
)]
pub struct InspectArgs {
    /// Model file; default: the model built into this binary.
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Only this target's model (any alias); targets without a model of their own use the pooled one.
    #[arg(long, short)]
    target: Option<String>,
    /// Features shown per class.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: InspectArgs) -> Result<ExitCode> {
    let scorer = super::load_scorer(args.model.as_ref(), Registry::default_registry())?;
    let model = &scorer.model;
    let (views, note) = model_info::views(&scorer, args.target.as_deref(), args.top);
    if let Some(note) = note {
        eprintln!("note: {note}");
    }
    if args.json {
        let json = serde_json::to_string_pretty(&model_info::json(model, &views))
            .map_err(|e| Error::Usage(e.to_string()))?;
        outln!("{json}");
        return Ok(ExitCode::SUCCESS);
    }
    print_metadata(model)?;
    for v in &views {
        outln!(
            "\n== {} ({} rows; intercepts favor {:.3}, against {:.3}, none {:.3})",
            v.name,
            v.rows,
            v.intercept[0],
            v.intercept[1],
            v.intercept[2]
        );
        for (class, list) in &v.strongest {
            outln!("  {}:", class.name());
            for w in list {
                outln!("    {:>8.3}  {}", w.weight, w.feature);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_metadata(model: &StanceModel) -> Result<()> {
    let m = &model.metadata;
    outln!("stance model, written by stance {}", m.tool_version);
    outln!(
        "features: {}   targets with their own model: {}",
        model.vocabulary.len(),
        model.target_models()
    );
    let languages = model.language_models();
    if !languages.is_empty() {
        outln!(
            "languages with their own model (--language auto): {}",
            languages.join(", ")
        );
    }
    match model_info::vectors_view(model) {
        Some(v) => outln!(
            "word vectors: {}: {} words, dimension {}, sha256 {}; pooled over left context, right context, mention and statement",
            v.origin, v.words, v.dim, v.sha256
        ),
        None => outln!("word vectors: none"),
    }
    match &m.registry {
        Some(r) => outln!(
            "party registry: {} parties, sha256 {}",
            r.parties.len(),
            r.sha256
        ),
        None => outln!("party registry: not recorded (a model written before registries were)"),
    }
    if !m.options.analyzer.lexicon {
        outln!("sentiment lexicons: not used");
    } else {
        match &m.lexicon {
            Some(sha) if sha == crate::text::lexicon_fingerprint() => {
                outln!("sentiment lexicons: sha256 {sha} (this stance's)")
            }
            Some(sha) => outln!(
                "sentiment lexicons: sha256 {sha}; this stance's differ (sha256 {}): retrain the model",
                crate::text::lexicon_fingerprint()
            ),
            None => outln!("sentiment lexicons: not recorded (a model written before they were)"),
        }
    }
    outln!("training files:");
    for f in &m.files {
        outln!("  {}  {} rows  sha256 {}", f.path, f.rows, f.sha256);
    }
    outln!(
        "options: {}",
        serde_json::to_string(&m.options).unwrap_or_default()
    );
    let mut rows: Vec<(&String, &usize)> = m.rows_per_target.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    outln!(
        "rows per target ({} targets{}):",
        rows.len(),
        if rows.len() > 20 { ", largest 20" } else { "" }
    );
    for (target, n) in rows.iter().take(20) {
        outln!("  {n:>6}  {target}");
    }
    for note in &m.notes {
        outln!("note: {note}");
    }
    if !m.languages.is_empty() {
        let counts: Vec<String> = m
            .languages
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        outln!(
            "languages (--language auto, statements as detected): {}",
            counts.join(", ")
        );
    }
    if let Some(selection) = &m.selection {
        outln!("selection: {selection}");
    }
    if let Some(shift) = m.none_shift {
        outln!("none threshold: {shift:+.2} added to the none logit (chosen by cross-validation)");
    }
    for (language, shift) in &m.language_none_shifts {
        outln!("none threshold of the {language} model: {shift:+.2} added to its none logit (chosen by cross-validation on its rows)");
    }
    if let Some(t) = m.temperature {
        outln!("temperature: {t:.3} (weights divided by it: probabilities fit to the held-out folds of selection)");
    }
    if !m.cross_validation.is_empty() {
        outln!("cross-validation (out-of-fold: all folds pooled, and the selection metric's mean over folds):");
        out!("{}", super::cv_table(&m.cross_validation, "  "));
    }
    Ok(())
}
