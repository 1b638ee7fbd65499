use super::*;
use crate::model::Scorer;
use crate::text::AnalyzerConfig;

fn example(text: &str, target: &str, stance: Stance) -> Example {
    Example {
        id: None,
        text: text.into(),
        target: Some(target.into()),
        stance: Some(stance),
        spans: None,
        line: 1,
        source: 0,
    }
}

/// Alpha's rows teach that "wonderful" means favor and "terrible" against; Beta's rows never
/// use those words, and most of them are neutral.
fn two_targets() -> Vec<Example> {
    let mut examples = Vec::new();
    for i in 0..6 {
        examples.push(example(
            &format!("wonderful alpha {i}"),
            "Alpha",
            Stance::Favor,
        ));
        examples.push(example(
            &format!("terrible alpha {i}"),
            "Alpha",
            Stance::Against,
        ));
        examples.push(example(&format!("alpha report {i}"), "Alpha", Stance::None));
    }
    for i in 0..4 {
        examples.push(example(
            &format!("beta splendid {i}"),
            "Beta",
            Stance::Favor,
        ));
        examples.push(example(
            &format!("beta dreadful {i}"),
            "Beta",
            Stance::Against,
        ));
    }
    for i in 0..8 {
        examples.push(example(&format!("beta schedule {i}"), "Beta", Stance::None));
    }
    examples
}

fn beta_stance(augment_targets: Option<f32>) -> Stance {
    let options = TrainOptions {
        // Without the sentiment lexicon, which would tell Beta that "wonderful" is
        // positive by itself.
        analyzer: AnalyzerConfig {
            lexicon: false,
            ..AnalyzerConfig::default()
        },
        min_df: 1,
        min_target_rows: Some(10),
        augment_targets,
        vectors: None,
        ..TrainOptions::default()
    };
    let registry = Registry::default_registry();
    let model = train(&two_targets(), Vec::new(), &options, &registry, None).unwrap();
    assert_eq!(model.targets.len(), 2);
    let scorer = Scorer::new(model, registry);
    scorer.predict("what a wonderful day", "Beta", None).stance
}

#[test]
fn augmented_targets_borrow_evidence_from_each_other() {
    // Beta's own model has never seen "wonderful" and falls back on its prior.
    assert_eq!(beta_stance(None), Stance::None);
    // With a shared copy of every feature, what Alpha's rows taught reaches Beta.
    assert_eq!(beta_stance(Some(0.5)), Stance::Favor);
}
