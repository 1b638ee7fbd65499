//! Tests of `stance score`'s row writers.

use super::output::write_jsonl_row;
use crate::data::Stance;
use crate::model::{Contribution, Explanation};
use crate::scoring::{MentionSpan, Probabilities, ScoreRow, NO_PARTY};

#[test]
fn rows_are_written_as_serde_json_writes_them() {
    let contribution = |words: &str, value| Contribution {
        words: words.into(),
        feature: format!("L1:{words}"),
        value,
    };
    let full = ScoreRow {
        id: Some("s\"1\""),
        sentence: Some(3),
        paragraph: Some(1),
        start: Some(120),
        end: Some(190),
        mentions: vec![
            MentionSpan {
                start: 39,
                end: 45,
                alias: "Tehran",
            },
            MentionSpan {
                start: 60,
                end: 66,
                alias: "Kyiv \"x\"",
            },
        ],
        text: "Lavrov said \"attempts\" to blame\tTehran were\nprovocative — Kyiv’s line",
        target: Some("Iran"),
        stance: Some("favor"),
        probabilities: Some(Probabilities {
            favor: 0.712_345_6,
            against: 0.1,
            none: 0.187_654_4,
        }),
        mentioned: Some(true),
        abstained: Some(false),
        explanation: Some(Explanation {
            class: Stance::Favor,
            intercept: -0.25,
            logit: 1.5,
            all: Vec::new(),
            toward: vec![contribution("blame", 0.5)],
            against: vec![contribution("war\\", -0.125)],
        }),
        note: None,
        unseen_language: None,
    };
    let bare = ScoreRow::unscored(None, "", Some(NO_PARTY));
    let mut odd_numbers = ScoreRow::unscored(None, "x", None);
    odd_numbers.probabilities = Some(Probabilities {
        favor: f32::NAN,
        against: 1e-12,
        none: 1.0,
    });
    odd_numbers.mentioned = Some(false);
    odd_numbers.abstained = Some(true);
    // Offsets of every number of digits, the ends included.
    let mut far = ScoreRow::unscored(None, "y", Some(NO_PARTY));
    far.sentence = Some(0);
    far.paragraph = Some(10);
    far.start = Some(1_000_000_007);
    far.end = Some(usize::MAX);
    far.mentions = vec![MentionSpan {
        start: 0,
        end: 9,
        alias: "Y",
    }];
    for row in [full, bare, odd_numbers, far] {
        let mut ours = Vec::new();
        write_jsonl_row(&mut ours, &row);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(&row).unwrap()
        );
    }
}
