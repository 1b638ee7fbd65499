//! From a statement to its output rows: one row toward the target it names, or one per
//! registered party it mentions (the fan-out), with abstention below a probability threshold
//! and, if asked, explanations. `stance score` writes these rows; the Python package returns them.

use serde::Serialize;

use crate::data::{Example, Stance};
use crate::model::{Explanation, ScoreState, Scorer};
use crate::parties::SpanScratch;
use crate::text::Language;

/// How each statement is turned into rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowOptions<'a> {
    /// The party rows that name no target are scored toward; none: every party they mention.
    pub target: Option<&'a str>,
    /// Explain each row with this many features on each side.
    pub explain: Option<usize>,
    /// Abstain (stance none, `abstained: true`) when no stance reaches this probability.
    pub threshold: Option<f32>,
}

/// A row's probabilities by class.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Probabilities {
    pub favor: f32,
    pub against: f32,
    pub none: f32,
}

/// One mention of a row's target in the row's text: code-point offsets (end exclusive) and the
/// alias that matched, as the registry writes it (an unregistered target: the target as given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MentionSpan<'a> {
    pub start: usize,
    pub end: usize,
    pub alias: &'a str,
}

/// One output row: a statement scored toward one party (or, naming none, a note saying so).
/// Its fields and their order are those of `stance score`'s JSONL rows.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Document input: the sentence's 0-based index, its paragraph, and its code-point offsets
    /// in the document (end exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    pub text: &'a str,
    pub target: Option<&'a str>,
    pub stance: Option<&'static str>,
    pub probabilities: Option<Probabilities>,
    /// Where the text mentions the target (empty when no target or no mention).
    pub mentions: Vec<MentionSpan<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentioned: Option<bool>,
    /// Present with --threshold: no stance reached it, so the row says none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abstained: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
    /// The statement's language, when the model was trained on none of its statements in it.
    #[serde(skip)]
    pub unseen_language: Option<Language>,
}

impl<'a> ScoreRow<'a> {
    /// A row with no stance yet.
    pub fn unscored(id: Option<&'a str>, text: &'a str, note: Option<&'static str>) -> Self {
        ScoreRow {
            id,
            sentence: None,
            paragraph: None,
            start: None,
            end: None,
            text,
            target: None,
            stance: None,
            probabilities: None,
            mentions: Vec::new(),
            mentioned: None,
            abstained: None,
            explanation: None,
            note,
            unseen_language: None,
        }
    }
}

/// The note of a row whose statement names no registered party.
pub const NO_PARTY: &str =
    "no registered party is mentioned; name a target to score toward a party";

/// Scores one example and hands each of its rows to `emit`: one row toward its target, or,
/// with none named, one per registered party the statement mentions.
pub fn score_example<'a>(
    scorer: &'a Scorer,
    state: &mut ScoreState,
    example: &'a Example,
    options: &RowOptions<'a>,
    mut emit: impl FnMut(&ScoreRow<'a>),
) {
    let row = |state: &mut ScoreState,
               target: Option<&'a str>,
               spans: Option<&[(usize, usize)]>,
               mentions: Vec<MentionSpan<'a>>| {
        let mut row = ScoreRow::unscored(
            example.id.as_deref(),
            &example.text,
            target.is_none().then_some(NO_PARTY),
        );
        if let Some(t) = target {
            let (p, explanation) = match options.explain {
                Some(top) => {
                    let (p, e) = scorer.explain_with(state, &example.text, t, spans, top);
                    (p, Some(e))
                }
                None => (scorer.predict_with(state, &example.text, t, spans), None),
            };
            let [favor, against, none] = p.probabilities;
            let mut stance = p.stance;
            if let Some(threshold) = options.threshold {
                let abstained = p.probabilities.iter().all(|&v| v < threshold);
                if abstained {
                    stance = Stance::None;
                }
                row.abstained = Some(abstained);
            }
            row.stance = Some(stance.name());
            row.probabilities = Some(Probabilities {
                favor,
                against,
                none,
            });
            row.mentioned = Some(p.target_found);
            row.unseen_language = (!scorer.knows_language(p.language)).then_some(p.language);
            row.explanation = explanation;
        }
        row.target = target;
        row.mentions = mentions;
        row
    };
    let registry = scorer.registry();
    let text = example.text.as_str();
    if let Some(t) = example.target.as_deref().or(options.target) {
        let target = registry.canonical(t);
        let mentions = match example.spans.as_deref() {
            Some(spans) => spans
                .iter()
                .map(|&(start, end)| {
                    let matched: String = text.chars().skip(start).take(end - start).collect();
                    MentionSpan {
                        start,
                        end,
                        alias: registry.alias_spelled(target, &matched).unwrap_or(target),
                    }
                })
                .collect(),
            None => target_mentions(registry, text, target, state.span_scratch()),
        };
        // The mentions (given or just found) are the target's spans: the scorer need not find
        // them again.
        let spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
        return emit(&row(state, Some(target), Some(&spans), mentions));
    }
    // No target named: every registered party the statement mentions, in order of first mention.
    let mentions = registry.mentions_with_aliases_in(text, state.span_scratch());
    let mut parties: Vec<usize> = Vec::new();
    for (m, _) in &mentions {
        if !parties.contains(&m.party) {
            parties.push(m.party);
        }
    }
    if parties.is_empty() {
        return emit(&row(state, None, None, Vec::new()));
    }
    for party in parties {
        let own: Vec<MentionSpan<'a>> = mentions
            .iter()
            .filter(|(m, _)| m.party == party)
            .map(|&(ref m, alias)| MentionSpan {
                start: m.start,
                end: m.end,
                alias,
            })
            .collect();
        let spans: Vec<(usize, usize)> = own.iter().map(|m| (m.start, m.end)).collect();
        emit(&row(
            state,
            Some(&registry.parties()[party].name),
            Some(&spans),
            own,
        ));
    }
}

/// The mentions of `target` in `text`: a registered party's aliases, or the target's own words.
/// `scratch` keeps the statement's alias matches for the scorer's next ask.
pub fn target_mentions<'a>(
    registry: &'a crate::parties::Registry,
    text: &str,
    target: &'a str,
    scratch: &mut SpanScratch,
) -> Vec<MentionSpan<'a>> {
    match registry.resolve(target) {
        Some(party) => registry
            .mentions_with_aliases_in(text, scratch)
            .into_iter()
            .filter(|(m, _)| registry.parties()[m.party].name == party.name)
            .map(|(m, alias)| MentionSpan {
                start: m.start,
                end: m.end,
                alias,
            })
            .collect(),
        None => crate::folding::find_words(text, target.trim())
            .into_iter()
            .map(|(start, end)| MentionSpan {
                start,
                end,
                alias: target.trim(),
            })
            .collect(),
    }
}
