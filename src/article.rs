//! Documents: splitting an article into sentences with their code-point offsets, scoring every
//! (sentence, party), and the per-party summary that `stance article` prints and reports.
//!
//! Sentences come from Unicode's sentence boundaries (UAX #29, the `unicode-segmentation` crate)
//! inside each paragraph (paragraphs end at blank lines; a Markdown heading line is a paragraph of
//! its own), then a boundary is undone where it is not a sentence end: after an abbreviation
//! ("Mr.", "U.S.", "Gen."), an initial ("J."), "No." before a number, or before a word in lower
//! case (a quotation that the sentence goes on after: `"We will not yield?" asked the envoy`).

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::data::Stance;
use crate::model::{Explanation, ScoreState, Scorer};

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// 0-based, in document order.
    pub index: usize,
    /// 0-based paragraph the sentence is in.
    pub paragraph: usize,
    /// Code-point offsets in the document, end exclusive: `document[start..end] == text`.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Abbreviations after which a full stop does not end a sentence (compared without case for
/// titles, as written for the dotted capitals).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "sen", "rep", "gov", "pres", "amb", "st", "mt", "jr", "sr", "rev", "hon", "messrs", "vs",
    "etc", "approx", "dept", "est", "inc", "corp", "ltd", "co", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "al",
];

/// Abbreviations that hold the sentence together only before a number ("No. 10", "Art. 5").
const BEFORE_NUMBERS: &[&str] = &["no", "nos", "art", "p", "pp", "para", "fig", "vol", "ch"];

/// A document's bytes as text; not UTF-8 is an error naming the line of the first bad byte.
pub fn document_text(name: &str, bytes: Vec<u8>) -> crate::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        crate::Error::input(name, line, "is not valid UTF-8")
    })
}

/// Splits a document into sentences. Whitespace around sentences is left out of them; a
/// byte-order mark at the start is not text.
pub fn split(document: &str) -> Vec<Sentence> {
    // Paragraphs as byte ranges: runs of lines that are not blank; a heading line alone.
    let mut paragraphs: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in document.split_inclusive('\n') {
        let (start, end) = (at, at + line.len());
        at = end;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            paragraphs.extend(open.take());
        } else if trimmed.starts_with('#') {
            paragraphs.extend(open.take());
            paragraphs.push((start, end));
        } else {
            open = Some((open.map_or(start, |(s, _)| s), end));
        }
    }
    paragraphs.extend(open);

    let mut sentences = Vec::new();
    // Byte → code-point offsets, counted forward as sentences come in order.
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut char_offset = |target: usize| {
        chars += document[byte..target].chars().count();
        byte = target;
        chars
    };
    for (paragraph, &(p_start, p_end)) in paragraphs.iter().enumerate() {
        // Line breaks inside a paragraph are wrapping, not sentence ends: segment a copy with
        // spaces for them (same bytes, same offsets).
        let flat: String = document[p_start..p_end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        for (offset, piece) in flat.split_sentence_bound_indices() {
            let (start, end) = trim_range(&flat, offset, offset + piece.len());
            if start == end {
                continue;
            }
            match pieces.last_mut() {
                Some(last) if continues(&flat[last.0..last.1], &flat[start..end]) => last.1 = end,
                _ => pieces.push((start, end)),
            }
        }
        for (start, end) in pieces {
            let (start, end) = (p_start + start, p_start + end);
            let text = document[start..end].to_string();
            let start_char = char_offset(start);
            let end_char = char_offset(end);
            sentences.push(Sentence {
                index: sentences.len(),
                paragraph,
                start: start_char,
                end: end_char,
                text,
            });
        }
    }
    // Paragraph numbers count the paragraphs that hold text.
    let mut last = None;
    let mut number = 0;
    for s in &mut sentences {
        if last.is_some_and(|l| l != s.paragraph) {
            number += 1;
        }
        last = Some(s.paragraph);
        s.paragraph = number;
    }
    sentences
}

/// `start..end` without the whitespace (and byte-order marks) at either end.
fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let piece = &text[start..end];
    let is_space = |c: char| c.is_whitespace() || c == '\u{feff}';
    let lead = piece.len() - piece.trim_start_matches(is_space).len();
    let trimmed = piece.trim_matches(is_space);
    (start + lead, start + lead + trimmed.len())
}

/// Whether `next` goes on the sentence `previous` (both trimmed) rather than starting one.
fn continues(previous: &str, next: &str) -> bool {
    let first = next.chars().find(|c| c.is_alphanumeric());
    // A quotation or clause the sentence goes on after: `"Why now?" asked the envoy`.
    if next.chars().next().is_some_and(char::is_lowercase) {
        return true;
    }
    let Some(word) = previous.strip_suffix('.') else {
        return false;
    };
    let last_word = word
        .rsplit(|c: char| c.is_whitespace() || "([\"“‘'".contains(c))
        .next()
        .unwrap_or_default();
    if last_word.is_empty() {
        return false;
    }
    let lower = last_word.to_lowercase();
    // "U.S.", "U.N.", "E.U.", "J.D.": dotted capitals; an initial "J." too.
    let dotted = last_word
        .split('.')
        .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
    dotted
        || ABBREVIATIONS.contains(&lower.as_str())
        || (BEFORE_NUMBERS.contains(&lower.as_str()) && first.is_some_and(|c| c.is_ascii_digit()))
}

/// One (sentence, party) scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceScore {
    pub sentence: usize,
    pub party: String,
    pub stance: Stance,
    /// favor, against, none.
    pub probabilities: [f32; 3],
    pub explanation: Explanation,
    /// Code-point offsets of the party's mentions in the sentence, with the alias matched.
    pub mentions: Vec<(usize, usize, String)>,
}

/// A scored document: its sentences, and a row for every (sentence, party it names).
#[derive(Debug, Clone, Serialize)]
pub struct ScoredDocument {
    pub sentences: Vec<Sentence>,
    pub rows: Vec<SentenceScore>,
}

/// Features shown each way when a sentence is explained.
pub const EXPLAIN_TOP: usize = 5;

/// Splits `document` and scores every sentence toward every registered party it names.
pub fn score_document(scorer: &Scorer, document: &str) -> ScoredDocument {
    use rayon::prelude::*;
    let sentences = split(document);
    let registry = scorer.registry();
    let rows = sentences
        .par_iter()
        .map_init(ScoreState::default, |state, s| {
            let mentions = registry.mentions_with_aliases(&s.text);
            let mut parties: Vec<usize> = Vec::new();
            for (m, _) in &mentions {
                if !parties.contains(&m.party) {
                    parties.push(m.party);
                }
            }
            parties
                .into_iter()
                .map(|party| {
                    let own: Vec<(usize, usize, String)> = mentions
                        .iter()
                        .filter(|(m, _)| m.party == party)
                        .map(|(m, alias)| (m.start, m.end, alias.to_string()))
                        .collect();
                    let spans: Vec<(usize, usize)> = own.iter().map(|m| (m.0, m.1)).collect();
                    let name = &registry.parties()[party].name;
                    let (p, explanation) =
                        scorer.explain_with(state, &s.text, name, Some(&spans), EXPLAIN_TOP);
                    SentenceScore {
                        sentence: s.index,
                        party: name.clone(),
                        stance: p.stance,
                        probabilities: p.probabilities,
                        explanation,
                        mentions: own,
                    }
                })
                .collect::<Vec<_>>()
        })
        .flatten_iter()
        .collect();
    ScoredDocument { sentences, rows }
}

/// One sentence picked as an example of a stance toward a party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub sentence: usize,
    pub text: String,
    pub probability: f32,
    pub explanation: Explanation,
}

/// What a document says about one party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartySummary {
    pub party: String,
    /// Sentences that name the party.
    pub sentences: usize,
    pub favor: usize,
    pub against: usize,
    pub none: usize,
    /// Mean probabilities over those sentences: favor, against, none.
    pub mean_probabilities: [f64; 3],
    /// Mean of P(favor) − P(against) over the sentences: −1 all against, +1 all favor.
    pub lean: f64,
    /// A 90% bootstrap interval of the lean (resampling sentences, seeded: the same every run).
    pub lean_interval: [f64; 2],
    /// The most confident favor and against sentences, at most [`EXAMPLES`] each.
    pub most_favor: Vec<Example>,
    pub most_against: Vec<Example>,
}

/// Examples kept each way.
pub const EXAMPLES: usize = 3;
/// Bootstrap resamples for the lean interval.
pub const RESAMPLES: usize = 2000;

/// The per-party summary of a scored document, parties in order of first mention.
pub fn summarize(document: &ScoredDocument) -> Vec<PartySummary> {
    let mut order: Vec<&str> = Vec::new();
    for row in &document.rows {
        if !order.contains(&row.party.as_str()) {
            order.push(&row.party);
        }
    }
    order
        .into_iter()
        .map(|party| {
            let rows: Vec<&SentenceScore> =
                document.rows.iter().filter(|r| r.party == party).collect();
            let n = rows.len();
            let count = |s: Stance| rows.iter().filter(|r| r.stance == s).count();
            let mean_probabilities: [f64; 3] = std::array::from_fn(|k| {
                rows.iter()
                    .map(|r| f64::from(r.probabilities[k]))
                    .sum::<f64>()
                    / n as f64
            });
            let leans: Vec<f64> = rows
                .iter()
                .map(|r| f64::from(r.probabilities[0]) - f64::from(r.probabilities[1]))
                .collect();
            let lean = leans.iter().sum::<f64>() / n as f64;
            let examples = |stance: Stance| {
                let mut picked: Vec<&&SentenceScore> =
                    rows.iter().filter(|r| r.stance == stance).collect();
                let k = stance.index();
                picked.sort_by(|a, b| {
                    b.probabilities[k]
                        .total_cmp(&a.probabilities[k])
                        .then(a.sentence.cmp(&b.sentence))
                });
                picked
                    .into_iter()
                    .take(EXAMPLES)
                    .map(|r| Example {
                        sentence: r.sentence,
                        text: document.sentences[r.sentence].text.clone(),
                        probability: r.probabilities[k],
                        explanation: r.explanation.clone(),
                    })
                    .collect()
            };
            PartySummary {
                party: party.to_string(),
                sentences: n,
                favor: count(Stance::Favor),
                against: count(Stance::Against),
                none: count(Stance::None),
                mean_probabilities,
                lean,
                lean_interval: bootstrap_interval(&leans, party),
                most_favor: examples(Stance::Favor),
                most_against: examples(Stance::Against),
            }
        })
        .collect()
}

/// The 5th and 95th percentiles of the mean of `values` over [`RESAMPLES`] resamples drawn
/// with replacement; the generator is seeded from `seed`, so the interval is the same every run.
pub fn bootstrap_interval(values: &[f64], seed: &str) -> [f64; 2] {
    let n = values.len();
    if n == 0 {
        return [0.0, 0.0];
    }
    let mut state = seed
        .bytes()
        .fold(0x5eed_2026_u64, |h, b| splitmix(h ^ u64::from(b)));
    let mut means: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let sum: f64 = (0..n)
                .map(|_| {
                    state = splitmix(state);
                    values[(state % n as u64) as usize]
                })
                .sum();
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    [at(0.05), at(0.95)]
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(document: &str) -> Vec<String> {
        split(document).into_iter().map(|s| s.text).collect()
    }

    /// `document[start..end]` in code points.
    fn cut(document: &str, s: &Sentence) -> String {
        document
            .chars()
            .skip(s.start)
            .take(s.end - s.start)
            .collect()
    }

    #[test]
    fn offsets_round_trip_through_abbreviations_quotes_decimals_crlf_and_non_ascii() {
        let document = "\u{feff}Mr. Lavrov met U.S. envoys in Genève on Friday. Growth was 2.5% \
                        in Q3.\r\n\r\n\"We will not yield,\" Mr. Zelensky said. “Why now?” asked \
                        the Kremlin’s spokesman.\r\nThe talks at No. 10 Downing Street ended; \
                        J. D. Vance left at 5 p.m. for the airport.\r\n\r\n\
                        Türkiye’s Erdoğan called it “a step.” Then he left.\n";
        let sentences = split(document);
        for s in &sentences {
            assert_eq!(cut(document, s), s.text, "{s:?}");
        }
        assert_eq!(
            texts(document),
            [
                "Mr. Lavrov met U.S. envoys in Genève on Friday.",
                "Growth was 2.5% in Q3.",
                "\"We will not yield,\" Mr. Zelensky said.",
                "“Why now?” asked the Kremlin’s spokesman.",
                "The talks at No. 10 Downing Street ended; J. D. Vance left at 5 p.m. for the airport.",
                "Türkiye’s Erdoğan called it “a step.”",
                "Then he left.",
            ]
        );
        let paragraphs: Vec<usize> = sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 0, 1, 1, 1, 2, 2]);
        let indices: Vec<usize> = sentences.iter().map(|s| s.index).collect();
        assert_eq!(indices, [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn wrapped_lines_and_headings() {
        let document = "# Talks resume\nThe envoys met\nin Vienna. They\nleft.\n\n\n  \n";
        let sentences = split(document);
        assert_eq!(
            texts(document),
            [
                "# Talks resume",
                "The envoys met\nin Vienna.",
                "They\nleft."
            ]
        );
        assert_eq!(sentences[1].paragraph, 1);
        for s in &sentences {
            assert_eq!(cut(document, s), s.text);
        }
        assert!(split("").is_empty());
        assert!(split(" \r\n\r\n ").is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512, ..Default::default()
        })]
        /// Any document: sentences in order, never overlapping, trimmed, each `document[start..end]`,
        /// and together they hold every character that is not white space.
        #[test]
        fn sentences_cover_the_document_in_order(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "Mr.", " ", "U.S.", "2.5", "\r\n", "\n\n", "\n", "“", "”", "\"", "日本", "Kyiv",
                ".", "?", "!", "a", "B", "No.", "10", "# ", "\u{feff}", "é", "\t",
            ]), 0..40)
        ) {
            let document: String = pieces.concat();
            let chars: Vec<char> = document.chars().collect();
            let sentences = split(&document);
            let mut covered = vec![false; chars.len()];
            let mut last_end = 0;
            for (i, s) in sentences.iter().enumerate() {
                proptest::prop_assert_eq!(s.index, i);
                proptest::prop_assert!(s.start >= last_end && s.start < s.end);
                proptest::prop_assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text.clone());
                proptest::prop_assert_eq!(s.text.trim(), s.text.as_str());
                covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
                last_end = s.end;
            }
            for (i, c) in chars.iter().enumerate() {
                proptest::prop_assert!(
                    covered[i] || c.is_whitespace() || *c == '\u{feff}',
                    "{:?} at {} of {:?}", c, i, document
                );
            }
        }
    }

    #[test]
    fn the_bootstrap_is_seeded_and_brackets_the_mean() {
        let values = [0.5, -0.25, 0.75, 0.0, 0.1];
        let a = bootstrap_interval(&values, "Iran");
        assert_eq!(a, bootstrap_interval(&values, "Iran"));
        let mean = values.iter().sum::<f64>() / 5.0;
        assert!(a[0] <= mean && mean <= a[1], "{a:?}");
        assert_eq!(bootstrap_interval(&[0.3], "x"), [0.3, 0.3]);
    }
}
