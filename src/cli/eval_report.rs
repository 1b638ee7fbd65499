//! Builds the HTML report of `stance eval --report` from an evaluation's results.

use crate::data::{Example, Stance};
use crate::model::{Contribution, Prediction, ScoreState, Scorer};
use crate::report::{self, ClassRow, Mistake, ReportInput, TargetRow};

use crate::eval::Evaluation;

/// Contributions shown per side of each mistake.
const CONTRIBUTIONS: usize = 6;

pub(super) fn render(
    scorer: &Scorer,
    (files, model): (&[std::path::PathBuf], Option<&std::path::Path>),
    examples: &[Example],
    predictions: &[Prediction],
    report: &Evaluation,
) -> String {
    let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let model_name = model.map_or("embedded default model".to_string(), |m| {
        m.display().to_string()
    });
    let mut per_target: Vec<TargetRow> = report
        .per_target
        .iter()
        .map(|(t, s)| TargetRow {
            target: t.clone(),
            n: s.n,
            accuracy: s.accuracy,
            macro_f1: s.macro_f1,
            f_avg: s.f_avg,
        })
        .collect();
    per_target.sort_by(|a, b| b.n.cmp(&a.n).then(a.target.cmp(&b.target)));
    let input = ReportInput {
        title: format!("stance eval: {}", files.join(", ")),
        generated_by: format!("stance {}", env!("CARGO_PKG_VERSION")),
        model: model_name,
        files,
        n: report.overall.n,
        statements: examples
            .iter()
            .map(|e| e.text.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        accuracy: report.overall.accuracy,
        macro_f1: report.overall.macro_f1,
        f_avg: report.overall.f_avg,
        classes: Stance::ALL
            .iter()
            .map(|s| {
                let c = &report.classes[s.name()];
                ClassRow {
                    name: s.name().into(),
                    precision: c.precision,
                    recall: c.recall,
                    f1: c.f1,
                    support: c.support,
                }
            })
            .collect(),
        confusion: report.confusion,
        calibration: report.calibration.clone(),
        per_target,
        mistakes: mistakes(scorer, examples, predictions),
        metadata: metadata(scorer),
    };
    report::render(&input)
}

/// The wrong predictions the model was surest of, with what drove each.
fn mistakes(scorer: &Scorer, examples: &[Example], predictions: &[Prediction]) -> Vec<Mistake> {
    let mut wrong: Vec<(usize, f32)> = examples
        .iter()
        .zip(predictions)
        .enumerate()
        .filter(|(_, (e, p))| e.stance != Some(p.stance))
        .map(|(i, (_, p))| (i, p.probabilities[p.stance.index()]))
        .collect();
    wrong.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let convert = |list: Vec<Contribution>| {
        list.into_iter()
            .map(|c| report::Contribution {
                words: c.words,
                feature: c.feature,
                value: c.value,
            })
            .collect()
    };
    let state = &mut ScoreState::default();
    wrong
        .into_iter()
        .take(report::MAX_MISTAKES)
        .map(|(i, confidence)| {
            let e = &examples[i];
            let target = e.target.clone().unwrap_or_default();
            let (p, explanation) =
                scorer.explain_with(state, &e.text, &target, e.spans.as_deref(), CONTRIBUTIONS);
            Mistake {
                id: e.id.clone(),
                text: e.text.clone(),
                target: scorer.registry().canonical(&target).to_string(),
                gold: e.stance.unwrap_or(Stance::None).name().into(),
                predicted: p.stance.name().into(),
                confidence,
                probabilities: p.probabilities,
                toward: convert(explanation.toward),
                against: convert(explanation.against),
            }
        })
        .collect()
}

fn metadata(scorer: &Scorer) -> Vec<(String, String)> {
    let m = &scorer.model.metadata;
    let mut rows = vec![(
        "written by".to_string(),
        format!("stance {}", m.tool_version),
    )];
    for f in &m.files {
        rows.push((
            "training file".into(),
            format!("{} ({} rows, sha256 {})", f.path, f.rows, f.sha256),
        ));
    }
    rows.push(("features".into(), scorer.model.vocabulary.len().to_string()));
    let own: Vec<&str> = scorer.model.targets.keys().map(String::as_str).collect();
    rows.push((
        "models".into(),
        if own.is_empty() {
            "one pooled model for every target".into()
        } else {
            format!("pooled, and own models for {}", own.join(", "))
        },
    ));
    rows.push((
        "options".into(),
        serde_json::to_string(&m.options).unwrap_or_default(),
    ));
    rows.push((
        "targets in training".into(),
        m.rows_per_target.len().to_string(),
    ));
    for note in &m.notes {
        rows.push(("note".into(), note.clone()));
    }
    if let Some(best) = m.cross_validation.iter().find(|r| r.chosen) {
        rows.push((
            "cross-validation".into(),
            format!(
                "{} settings tried; chosen: {}, l2 {} (accuracy {:.4}, macro-F1 {:.4}, F_avg {:.4})",
                m.cross_validation.len(), best.features, best.l2, best.accuracy, best.macro_f1, best.f_avg
            ),
        ));
    }
    rows
}
