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

/// `n` rows toward Alpha in English and `n` in Russian: "good"/"хорошо" favor, "bad"/"плохо"
/// against, the rest none.
fn two_languages(n: usize) -> Vec<Example> {
    let mut examples = Vec::new();
    for i in 0..n {
        let (en, ru, stance) = match i % 3 {
            0 => ("good", "хорошо", Stance::Favor),
            1 => ("bad", "плохо", Stance::Against),
            _ => ("report", "сообщение", Stance::None),
        };
        examples.push(example(&format!("Alpha {en} item{i}"), "Alpha", stance));
        examples.push(example(&format!("Альфа {ru} пункт{i}"), "Alpha", stance));
    }
    examples
}

fn options_with(language: crate::text::Language) -> TrainOptions {
    TrainOptions {
        analyzer: AnalyzerConfig {
            language,
            ..AnalyzerConfig::default()
        },
        min_df: 1,
        vectors: None,
        ..TrainOptions::default()
    }
}

#[test]
fn under_auto_each_language_with_enough_rows_gets_a_model_and_scores_its_statements() {
    use crate::text::Language;
    let registry = Registry::default_registry();
    let examples = two_languages(LANGUAGE_MODEL_ROWS);
    let model = train(
        &examples,
        vec![],
        &options_with(Language::Auto),
        &registry,
        None,
    )
    .unwrap();
    assert_eq!(model.language_models(), ["english", "russian"]);
    assert_eq!(model.target_models(), 0);
    let scorer = Scorer::new(model, Registry::default_registry());
    let (_, own) = scorer.model_for("Alpha", Some(Language::Russian));
    assert_eq!(own, Some("@language:russian"));
    let (_, own) = scorer.model_for("Alpha", Some(Language::French));
    assert_eq!(
        own, None,
        "a language without a model of its own gets the pooled one"
    );
    assert_eq!(
        scorer.predict("Альфа плохо", "Alpha", None).stance,
        Stance::Against
    );
    // A fixed language, or too few rows of one language: one pooled model, as before.
    let fixed = train(
        &examples,
        vec![],
        &options_with(Language::English),
        &registry,
        None,
    );
    assert!(fixed.unwrap().targets.is_empty());
    let few = two_languages(LANGUAGE_MODEL_ROWS - 1);
    let few = train(&few, vec![], &options_with(Language::Auto), &registry, None).unwrap();
    assert!(few.targets.is_empty());
}

#[test]
fn a_language_models_none_threshold_moves_that_model_alone_and_is_kept_in_the_file() {
    use crate::text::Language;
    let registry = Registry::default_registry();
    let examples = two_languages(LANGUAGE_MODEL_ROWS);
    let options = options_with(Language::Auto);
    let mut model = train(&examples, vec![], &options, &registry, None).unwrap();
    let none = Stance::None.index();
    let intercept = |m: &StanceModel, key: &str| m.targets[key].intercept[none];
    let (english, russian) = (
        intercept(&model, "@language:english"),
        intercept(&model, "@language:russian"),
    );
    model.shift_language_none(Language::Russian, -1.5);
    assert_eq!(intercept(&model, "@language:english"), english);
    assert_eq!(intercept(&model, "@language:russian"), russian - 1.5);
    let read = crate::model_file::from_bytes("test", &crate::model_file::to_bytes(&model).unwrap())
        .unwrap();
    assert_eq!(read.metadata.language_none_shifts["russian"], -1.5);
    assert_eq!(intercept(&read, "@language:russian"), russian - 1.5);

    // The recipe's choice: each language cross-validated alone, with and without the
    // threshold; these rows are told apart without one, so the simpler candidate stays.
    let shifts = crate::cv::language_none_shifts(
        &examples,
        &options,
        &registry,
        None,
        (5, 1, crate::cv::Metric::MacroF1),
    )
    .unwrap();
    let languages: Vec<Language> = shifts.iter().map(|t| t.language).collect();
    assert_eq!(languages, [Language::English, Language::Russian]);
    for t in &shifts {
        assert_eq!(t.shift, 0.0);
        assert!(t.without > 0.9, "{t:?}");
    }
}

#[test]
fn augmented_targets_and_a_model_per_language_do_not_undo_each_other() {
    use crate::text::Language;
    let registry = Registry::default_registry();
    let options = TrainOptions {
        min_target_rows: Some(10),
        augment_targets: Some(1.0),
        ..options_with(Language::Auto)
    };
    let model = train(
        &two_languages(LANGUAGE_MODEL_ROWS),
        vec![],
        &options,
        &registry,
        None,
    )
    .unwrap();
    // A row can take one copy of the features: Alpha's own, not a language's as well, so the
    // target's model is fit on its rows rather than left with the shared copy alone.
    assert_no_language_models_and_a_note(&model, "--augment-targets");
    let scorer = Scorer::new(model, registry);
    let (_, own) = scorer.model_for("Alpha", Some(Language::Russian));
    assert_eq!(own, Some("Alpha"));
    for (text, stance) in [
        ("Alpha good item1", Stance::Favor),
        ("Alpha bad item1", Stance::Against),
        ("Альфа плохо пункт1", Stance::Against),
        ("Альфа хорошо пункт1", Stance::Favor),
    ] {
        assert_eq!(scorer.predict(text, "Alpha", None).stance, stance, "{text}");
    }
}

#[test]
fn augmented_sources_say_they_leave_out_the_models_per_language() {
    use crate::text::Language;
    let registry = Registry::default_registry();
    let mut examples = two_languages(LANGUAGE_MODEL_ROWS);
    for (i, example) in examples.iter_mut().enumerate() {
        example.source = i % 2;
    }
    let options = TrainOptions {
        augment_sources: Some(1.0),
        ..options_with(Language::Auto)
    };
    let model = train(&examples, vec![], &options, &registry, None).unwrap();
    assert_no_language_models_and_a_note(&model, "--augment-sources");
}

/// The model has no model per language, and a training note that starts with `option` says so.
fn assert_no_language_models_and_a_note(model: &StanceModel, option: &str) {
    assert!(model.language_models().is_empty());
    let notes = &model.metadata.notes;
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with(option) && n.contains("per language")),
        "{notes:?}"
    );
}
