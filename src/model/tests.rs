//! Tests of the saved model and the scorer.

use super::*;
use std::collections::HashSet;

fn default_scorer() -> Scorer {
    Scorer::new(
        crate::load_model(None).unwrap(),
        Registry::default_registry(),
    )
}

#[test]
fn calibrating_changes_how_sure_not_what_is_decided() {
    let model = crate::load_model(None).unwrap();
    let mut calibrated = model.clone();
    calibrated.calibrate(2.0);
    assert_eq!(calibrated.metadata.temperature, Some(2.0));
    let (plain, soft) = (
        Scorer::new(model, Registry::default_registry()),
        Scorer::new(calibrated, Registry::default_registry()),
    );
    for text in [
        "Russia condemned the strikes on Kyiv.",
        "The EU praised Ukraine's reforms.",
        "Officials from Iran met in Geneva.",
    ] {
        let target = if text.contains("Iran") {
            "Iran"
        } else {
            "Ukraine"
        };
        let (a, b) = (
            plain.predict(text, target, None),
            soft.predict(text, target, None),
        );
        assert_eq!(a.stance, b.stance, "{text}");
        let top = |p: &[f32; 3]| p.iter().copied().fold(0.0, f32::max);
        assert!(top(&b.probabilities) < top(&a.probabilities), "{text}");
        // The explanation still adds up to the (softened) logit.
        let (_, e) = soft.explain(text, target, None, 5);
        let sum: f32 = e.intercept + e.all.iter().map(|c| c.value).sum::<f32>();
        assert!((sum - e.logit).abs() < 1e-3, "{text}: {sum} vs {}", e.logit);
    }
    // A class absent from a model's rows stays out of reach.
    let mut absent = LinearModel {
        weights: vec![0.5; 6],
        intercept: [1.0, ABSENT_CLASS_INTERCEPT, 0.0],
        rows: 2,
    };
    absent.soften(4.0);
    assert_eq!(absent.intercept, [0.25, ABSENT_CLASS_INTERCEPT, 0.0]);
    assert_eq!(absent.weights, vec![0.125; 6]);
}

/// Scoring counts features without sorting them; its probabilities must still be those of
/// the sorted training row, and `explain` must agree with `predict`.
#[test]
fn scoring_explaining_and_the_training_row_agree() {
    let scorer = default_scorer();
    // Repeated words and marks, so that some features occur more than once.
    let text = "Moscow said Kyiv shelled the plant; Kyiv denied it and said Moscow, \
                not Kyiv, shelled the plant again and again";
    for target in ["Russia", "Ukraine", "NATO"] {
        let predicted = scorer.predict(text, target, None);
        let (explained, explanation) = scorer.explain(text, target, None, 5);
        assert_eq!(predicted, explained);

        let (terms, _) = scorer.terms(text, target, None);
        let vocabulary = &scorer.model.vocabulary;
        let mut indices = Vec::new();
        let scratch = &mut crate::text::Scratch::default();
        scorer
            .analyzer
            .for_each_feature_text(&terms, scratch, |f, _, _| {
                indices.extend(vocabulary.get(f));
            });
        assert!(indices.len() > indices.iter().collect::<HashSet<_>>().len());
        let mut row = SparseVec::new();
        vocabulary.vectorize_indices(&mut indices, &mut row);
        // The dense block as training appends it: columns after the vocabulary's.
        let mut dense = Vec::new();
        scorer.dense_into(&terms, &mut dense);
        assert_eq!(dense.len(), scorer.model.dense_width());
        let offset = vocabulary.len() as u32;
        row.extend(
            dense
                .iter()
                .enumerate()
                .map(|(j, &v)| (offset + j as u32, v)),
        );
        let (model, _) = scorer.model_for(target, Some(terms.language()));
        let trained = softmax(model.logits(&row));
        for (t, p) in trained.iter().zip(predicted.probabilities) {
            assert!((t - p).abs() < 1e-5);
        }
        let sum: f32 = explanation.all.iter().map(|c| c.value).sum();
        assert!((explanation.intercept + sum - explanation.logit).abs() < 1e-4);
    }
}

#[test]
fn one_state_scores_a_statement_toward_each_party_as_fresh_states_do() {
    // Rows of one statement toward several parties reuse its tokens, language and alias
    // matches; a different statement in between, or a Russian one, must not be mistaken for it.
    let scorer = default_scorer();
    let lavrov = "Lavrov said attempts to blame Tehran were provocative and accused Washington \
                  of prolonging the war";
    let russian = "США обвинили Москву в затягивании войны";
    let rows = [
        (lavrov, "Iran"),
        (lavrov, "United States"),
        (lavrov, "Russia"),
        (russian, "United States"),
        (russian, "Russia"),
        (lavrov, "United States"),
        ("Egypt did not condemn Israel's strike", "Israel"),
        (lavrov, "Iran"),
    ];
    let state = &mut ScoreState::default();
    for (text, target) in rows {
        let shared = scorer.predict_with(state, text, target, None);
        let fresh = scorer.predict(text, target, None);
        assert_eq!(shared, fresh, "{target}: {text}");
    }
    let iran = scorer.predict(lavrov, "Iran", None);
    let us = scorer.predict(lavrov, "United States", None);
    assert_ne!(iran.stance, us.stance);
    assert_eq!(
        scorer.predict(russian, "Russia", None).language,
        Language::Russian
    );
}

#[cfg(target_arch = "x86_64")]
#[test]
fn the_avx2_dot_product_is_the_plain_one_bit_for_bit() {
    if !std::arch::is_x86_feature_detected!("avx2") {
        return; // nothing to compare on this processor
    }
    for n in [0, 3, 8, 50, 200, 203] {
        let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..n).map(|i| (i as f32 * 1.3).cos() / 7.0).collect();
        // SAFETY: AVX2 is present, as checked above.
        let wide = unsafe { dot_avx2(&a, &b) };
        assert_eq!(wide.to_bits(), dot_lanes(&a, &b).to_bits(), "{n} values");
    }
}
