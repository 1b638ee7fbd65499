//! What a model holds, for people: its metadata, its word vectors and, per target and class,
//! the features with the strongest weights (`stance inspect`, Python's `Model.info()`).

use serde::Serialize;

use crate::data::Stance;
use crate::model::{language_of_key, LinearModel, Scorer, StanceModel};

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

/// A model's name for people: the pooled one, a target's own, or a language's own
/// (`@language:english` → "english model").
fn model_name(key: Option<&str>) -> String {
    match key {
        None => "pooled model".into(),
        Some(key) => match language_of_key(key) {
            Some(language) => format!("{language} model"),
            None => format!("{key}'s own model"),
        },
    }
}

/// The views of the pooled model and of every target's or language's own model, or of the
/// models that serve `target`: its own, else each language's own model (for statements in that
/// language) and the pooled one (for the others); with a note when that target was not in the
/// training data.
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
            let by_languages = !model.language_models().is_empty();
            if own.is_none() && !model.metadata.rows_per_target.contains_key(&canonical) {
                let serves = if !by_languages {
                    "the pooled model serves it"
                } else {
                    "the models below serve it"
                };
                note = Some(format!(
                    "{canonical} was not in the training data; {serves}, as any party, by the words around its mentions"
                ));
            }
            match own {
                Some(key) => vec![view(&model_name(Some(key)), linear, model, top)],
                None if !by_languages => vec![view(
                    &format!("pooled model (serves {canonical})"),
                    linear,
                    model,
                    top,
                )],
                None => {
                    let by_language = model.targets.iter().filter_map(|(key, linear)| {
                        let language = language_of_key(key)?;
                        let name = format!(
                            "{language} model (serves {canonical} in {language} statements)"
                        );
                        Some(view(&name, linear, model, top))
                    });
                    let pooled = format!(
                        "pooled model (serves {canonical} in statements of other languages)"
                    );
                    by_language
                        .chain(std::iter::once(view(&pooled, linear, model, top)))
                        .collect()
                }
            }
        }
        None => std::iter::once(view(&model_name(None), &model.pooled, model, top))
            .chain(
                model
                    .targets
                    .iter()
                    .map(|(key, m)| view(&model_name(Some(key)), m, model, top)),
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
