//! `stance inspect`: what a model holds — its metadata and, per target and class, the features
//! with the strongest weights.

use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

use stance::data::Stance;
use stance::model::{LinearModel, StanceModel};
use stance::{Error, Result};

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

#[derive(Serialize)]
struct Weighted {
    feature: String,
    weight: f32,
}

/// What `inspect` says of a model's word vectors.
#[derive(Serialize)]
struct VectorsView<'a> {
    origin: &'a str,
    sha256: &'a str,
    dim: usize,
    words: usize,
}

fn vectors_view(model: &StanceModel) -> Option<VectorsView<'_>> {
    model.vectors.as_ref().map(|v| VectorsView {
        origin: &v.origin,
        sha256: &v.sha256,
        dim: v.dim,
        words: v.len(),
    })
}

#[derive(Serialize)]
struct ModelView {
    name: String,
    rows: usize,
    intercept: [f32; 3],
    /// Per class (favor, against, none): the features with the largest weights.
    strongest: Vec<(Stance, Vec<Weighted>)>,
}

fn view(name: &str, model: &LinearModel, stance_model: &StanceModel, top: usize) -> ModelView {
    let strongest = Stance::ALL
        .iter()
        .map(|&class| {
            let k = class.index();
            let mut weights: Vec<(usize, f32)> = (0..stance_model.vocabulary.len())
                .map(|f| (f, model.weights[3 * f + k]))
                .filter(|&(_, w)| w > 0.0)
                .collect();
            weights.sort_by(|a, b| b.1.total_cmp(&a.1));
            let list = weights
                .into_iter()
                .take(top)
                .map(|(f, weight)| Weighted {
                    feature: stance_model.vocabulary.terms[f].clone(),
                    weight,
                })
                .collect();
            (class, list)
        })
        .collect();
    ModelView {
        name: name.to_string(),
        rows: model.rows,
        intercept: model.intercept,
        strongest,
    }
}

pub fn run(args: InspectArgs) -> Result<ExitCode> {
    let scorer = super::load_scorer(args.model.as_ref())?;
    let model = &scorer.model;
    let views: Vec<ModelView> = match &args.target {
        Some(target) => {
            let canonical = scorer.registry().canonical(target).to_string();
            let (linear, own) = scorer.model_for(&canonical);
            if own.is_none() && !model.metadata.rows_per_target.contains_key(&canonical) {
                eprintln!(
                    "note: {canonical} was not in the training data; the pooled model serves it"
                );
            }
            let name = own.map_or(format!("pooled model (serves {canonical})"), |t| {
                format!("{t}'s own model")
            });
            vec![view(&name, linear, model, args.top)]
        }
        None => std::iter::once(view("pooled model", &model.pooled, model, args.top))
            .chain(
                model
                    .targets
                    .iter()
                    .map(|(t, m)| view(&format!("{t}'s own model"), m, model, args.top)),
            )
            .collect(),
    };
    if args.json {
        let out = serde_json::json!({
            "metadata": model.metadata,
            "features": model.vocabulary.len(),
            "vectors": vectors_view(model),
            "models": views,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| Error::Usage(e.to_string()))?
        );
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
        model.targets.len()
    );
    match vectors_view(model) {
        Some(v) => outln!(
            "word vectors: {}: {} words, dimension {}, sha256 {}; pooled over left context, right context, mention and statement",
            v.origin, v.words, v.dim, v.sha256
        ),
        None => outln!("word vectors: none"),
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
    if !m.cross_validation.is_empty() {
        outln!("cross-validation (out-of-fold, all folds pooled):");
        out!("{}", super::cv_table(&m.cross_validation, "  "));
    }
    Ok(())
}
