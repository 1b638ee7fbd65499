//! What to label next: among scored (statement, party) rows, the ones the model is least sure
//! of (uncertainty sampling), spread over the parties and kept apart from near-duplicates of
//! rows already chosen, so N suggestions teach the model N different things.

use std::collections::{BTreeMap, HashSet};

/// How uncertainty is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// 1 − (largest − second largest probability): the two leading classes are close.
    Margin,
    /// Entropy of the three probabilities, divided by ln 3 (0 certain, 1 uniform).
    Entropy,
    /// A seeded random order: the baseline the others must beat.
    Random,
}

/// One scored row a suggestion can be made from.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub text: &'a str,
    pub target: &'a str,
    /// In `Stance::ALL` order.
    pub probabilities: [f32; 3],
}

/// Rows sharing this share of their words (Jaccard) with a chosen row are not chosen too.
pub const MAX_OVERLAP: f64 = 0.6;

/// The uncertainty of probabilities under `strategy` (random: a value from the seed and text).
pub fn uncertainty(strategy: Strategy, candidate: &Candidate, seed: u64) -> f64 {
    let p = candidate.probabilities.map(f64::from);
    match strategy {
        Strategy::Margin => {
            let mut sorted = p;
            sorted.sort_by(|a, b| b.total_cmp(a));
            1.0 - (sorted[0] - sorted[1])
        }
        Strategy::Entropy => {
            -p.iter()
                .filter(|&&v| v > 0.0)
                .map(|v| v * v.ln())
                .sum::<f64>()
                / 3f64.ln()
        }
        Strategy::Random => {
            let key = format!("{}\u{0}{}", candidate.text, candidate.target);
            (hash(key.as_bytes(), seed) >> 11) as f64 / (1u64 << 53) as f64
        }
    }
}

/// Up to `n` candidates to label next, most useful first, as (index, uncertainty): each party's rows ranked
/// by uncertainty (ties in input order), the parties taken in turn (the party with the most
/// uncertain row first), skipping a row whose statement was already chosen or whose words
/// overlap a chosen row's by `MAX_OVERLAP` or more. Deterministic for a given seed.
pub fn choose(
    candidates: &[Candidate],
    n: usize,
    strategy: Strategy,
    seed: u64,
) -> Vec<(usize, f64)> {
    let scores: Vec<f64> = candidates
        .iter()
        .map(|c| uncertainty(strategy, c, seed))
        .collect();
    let mut queues: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        queues.entry(c.target).or_default().push(i);
    }
    let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    let mut queues: Vec<Vec<usize>> = queues
        .into_values()
        .map(|mut q| {
            q.sort_by(by_score);
            q.reverse(); // popped from the end
            q
        })
        .collect();
    queues.sort_by(|a, b| by_score(&a[a.len() - 1], &b[b.len() - 1]));
    let mut chosen = Vec::new();
    let mut chosen_texts: HashSet<&str> = HashSet::new();
    let mut chosen_words: Vec<HashSet<String>> = Vec::new();
    while chosen.len() < n && queues.iter().any(|q| !q.is_empty()) {
        for queue in &mut queues {
            if chosen.len() == n {
                break;
            }
            while let Some(i) = queue.pop() {
                let text = candidates[i].text;
                if chosen_texts.contains(text) {
                    continue;
                }
                let words = words_of(text);
                if chosen_words
                    .iter()
                    .any(|w| jaccard(w, &words) >= MAX_OVERLAP)
                {
                    continue;
                }
                chosen.push((i, scores[i]));
                chosen_texts.insert(text);
                chosen_words.push(words);
                break;
            }
        }
    }
    chosen
}

fn words_of(text: &str) -> HashSet<String> {
    text.split(|c| !crate::folding::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(crate::folding::fold)
        .collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.len() + b.len() - shared;
    if all == 0 {
        1.0
    } else {
        shared as f64 / all as f64
    }
}

fn hash(bytes: &[u8], seed: u64) -> u64 {
    // FNV-1a, then a splitmix finish: stable across runs and platforms.
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(text: &'a str, target: &'a str, p: [f32; 3]) -> Candidate<'a> {
        Candidate {
            text,
            target,
            probabilities: p,
        }
    }

    #[test]
    fn margin_and_entropy_rank_close_calls_first() {
        let sure = candidate("a", "NATO", [0.9, 0.05, 0.05]);
        let torn = candidate("b", "NATO", [0.45, 0.44, 0.11]);
        for strategy in [Strategy::Margin, Strategy::Entropy] {
            assert!(uncertainty(strategy, &torn, 1) > uncertainty(strategy, &sure, 1));
        }
        let uniform = candidate("c", "NATO", [1.0 / 3.0; 3]);
        assert!((uncertainty(Strategy::Entropy, &uniform, 1) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn suggestions_take_parties_in_turn_and_skip_near_duplicates() {
        let rows = [
            candidate(
                "Kyiv thanked NATO for the air defence",
                "NATO",
                [0.4, 0.3, 0.3],
            ),
            candidate(
                "Kyiv thanked NATO for the air defence systems",
                "NATO",
                [0.4, 0.35, 0.25],
            ),
            candidate("NATO ministers met in Brussels", "NATO", [0.2, 0.1, 0.7]),
            candidate("Moscow warned of escalation", "Russia", [0.1, 0.5, 0.4]),
            candidate("The Kremlin said little", "Russia", [0.1, 0.1, 0.8]),
        ];
        let indices =
            |chosen: Vec<(usize, f64)>| chosen.into_iter().map(|(i, _)| i).collect::<Vec<_>>();
        let chosen = indices(choose(&rows, 4, Strategy::Margin, 1));
        // Most uncertain first (row 1, margin 0.05), then Russia's best, then NATO's next that is
        // not a near-duplicate of row 1 (row 0 is), then Russia's next.
        assert_eq!(chosen, [1, 3, 2, 4]);
        assert_eq!(indices(choose(&rows, 2, Strategy::Margin, 1)), [1, 3]);
        let random = indices(choose(&rows, 5, Strategy::Random, 7));
        assert_eq!(random, indices(choose(&rows, 5, Strategy::Random, 7)));
        let unique: HashSet<usize> = random.iter().copied().collect();
        assert_eq!(unique.len(), random.len());
    }
}
