//! What a model holds, for people: its metadata, its word vectors and, per target and class,
//! the features with the strongest weights (`stance inspect`, Python's `Model.info()`).

use serde::Serialize;

use crate::data::Stance;
use crate::model::{LinearModel, Scorer, StanceModel};

#[derive(Serialize)]
pub struct Weighted {
    pub feature: String,
    pub weight: f32,
}

/// What `inspect` says of a model's word vectors.
#[derive(Serialize)]
pub struct VectorsView<'a> {
    pub origin: &'a str,
    pub sha256: &'a str,
    pub dim: usize,
    pub words: usize,
}

pub fn vectors_view(model: &StanceModel) -> Option<VectorsView<'_>> {
    model.vectors.as_ref().map(|v| VectorsView {
        origin: &v.origin,
        sha256: &v.sha256,
        dim: v.dim,
        words: v.len(),
    })
}

#[derive(Serialize)]
pub struct ModelView {
    pub name: String,
    pub rows: usize,
    pub intercept: [f32; 3],
    /// Per class (favor, against, none): the features with the largest weights.
    pub strongest: Vec<(Stance, Vec<Weighted>)>,
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

/// The views of the pooled model and of every target's own model, or of the one model that
/// serves `target`; with a note when that target was not in the training data.
pub fn views(
    scorer: &Scorer,
    target: Option<&str>,
    top: usize,
) -> (Vec<ModelView>, Option<String>) {
    let model = &scorer.model;
    let mut note = None;
    let views = match target {
        Some(target) => {
            let canonical = scorer.registry().canonical(target).to_string();
            let (linear, own) = scorer.model_for(&canonical, None);
            if own.is_none() && !model.metadata.rows_per_target.contains_key(&canonical) {
                note = Some(format!(
                    "{canonical} was not in the training data; the pooled model serves it"
                ));
            }
            let name = own.map_or(format!("pooled model (serves {canonical})"), |t| {
                format!("{t}'s own model")
            });
            vec![view(&name, linear, model, top)]
        }
        None => std::iter::once(view("pooled model", &model.pooled, model, top))
            .chain(
                model
                    .targets
                    .iter()
                    .map(|(t, m)| view(&format!("{t}'s own model"), m, model, top)),
            )
            .collect(),
    };
    (views, note)
}

/// What `stance inspect --json` prints.
pub fn json(model: &StanceModel, views: &[ModelView]) -> serde_json::Value {
    serde_json::json!({
        "metadata": model.metadata,
        "features": model.vocabulary.len(),
        "vectors": vectors_view(model),
        "models": views,
    })
}
