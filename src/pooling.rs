//! The dense block: pretrained word vectors pooled around the target, in the spirit of Vo and
//! Zhang (2015, target-dependent Twitter sentiment): the words left of a mention, right of it,
//! the mention's own words, and the whole statement, each averaged and scaled to unit length,
//! so that a word the labeled rows never showed still lands near the words they did.

use serde::{Deserialize, Serialize};

use crate::folding::fold_into;
use crate::text::{Terms, NO_ROW};
use crate::vectors::WordVectors;

/// The pooled regions, in the order of their blocks.
pub const REGIONS: [&str; 4] = ["left context", "right context", "mention", "statement"];

/// How the vectors are pooled; saved in the model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PoolingOptions {
    /// Words up to this many tokens before (after) a mention belong to its left (right) context;
    /// 0: the whole side.
    pub window: usize,
    /// Weight of the dense block against the sparse blocks (each of unit length).
    pub weight: f32,
}

/// The defaults, chosen by 5-fold CV on NewsMTSC train (macro-F1, l2 1; seeds 1 / 2): window 6,
/// the sparse context marks' window, 0.6989 / 0.7004 against 0.6957 / 0.6944 for whole sides
/// (3, 10 and 20: 0.6945, 0.6979, 0.6964); weight 1 against 0.6939 at 2 and 0.6898 at 4.
impl Default for PoolingOptions {
    fn default() -> Self {
        PoolingOptions {
            window: 6,
            weight: 1.0,
        }
    }
}

/// Columns of the dense block for vectors of dimension `dim`.
pub fn width(dim: usize) -> usize {
    REGIONS.len() * dim
}

/// Writes the dense block of a statement into `out` (`width(vectors.dim)` values) from its
/// words as the analyzer found them (`Terms::vector_words`): each region's average scaled to
/// length weight / 2, so the whole block has length `weight` when every region has a word.
/// A defended target's pools leave out the blame and its dismissal ("attempts to blame Tehran
/// were provocative"), as negated words are left out: their hostility is not aimed at it.
/// `sums` is the caller's buffer for the group sums, reused from statement to statement.
pub fn pool_into(
    vectors: &WordVectors,
    options: &PoolingOptions,
    terms: &Terms,
    sums: &mut Vec<f32>,
    out: &mut Vec<f32>,
) {
    let words = terms.vector_words();
    let defended = terms.is_defended();
    let dim = vectors.dim;
    out.clear();
    out.resize(width(dim), 0.0);
    let within = |d: u32| options.window == 0 || d as usize <= options.window;
    // Each word is added once, to the sum of the one group it belongs to (the most expensive
    // step is adding vectors); the regions are sums of groups.
    const MENTION: usize = 0;
    const LEFT_ONLY: usize = 1;
    const RIGHT_ONLY: usize = 2;
    const BOTH_SIDES: usize = 3;
    const OUTSIDE: usize = 4;
    sums.clear();
    sums.resize(5 * dim, 0.0);
    // The nearest mention before the current word, and `next` walks ahead to the one after.
    let mut before: Option<u32> = None;
    let mut next = 0;
    for word in words {
        if word.mention {
            before = Some(word.token);
        } else {
            while next < words.len() && !(words[next].mention && words[next].token > word.token) {
                next += 1;
            }
        }
        if word.row == NO_ROW || (defended && word.defence_cue) {
            continue;
        }
        let left = words
            .get(next)
            .is_some_and(|m| within(m.token - word.token));
        let right = before.is_some_and(|m| within(word.token - m));
        let group = match (word.mention, left, right) {
            (true, _, _) => MENTION,
            (_, true, true) => BOTH_SIDES,
            (_, true, false) => LEFT_ONLY,
            (_, false, true) => RIGHT_ONLY,
            _ => OUTSIDE,
        };
        vectors.add_to(word.row, &mut sums[group * dim..(group + 1) * dim]);
    }
    let group = |g: usize| &sums[g * dim..(g + 1) * dim];
    let (left, rest) = out.split_at_mut(dim);
    let (right, rest) = rest.split_at_mut(dim);
    let (mention, statement) = rest.split_at_mut(dim);
    for j in 0..dim {
        let [m, l, r, b, o] =
            [MENTION, LEFT_ONLY, RIGHT_ONLY, BOTH_SIDES, OUTSIDE].map(|g| group(g)[j]);
        left[j] = l + b;
        right[j] = r + b;
        mention[j] = m;
        statement[j] = m + l + r + b + o;
    }
    // The average's direction is the sum's: scaling the sum to a fixed length averages it.
    let length = options.weight / (REGIONS.len() as f32).sqrt();
    for block in out.chunks_exact_mut(dim) {
        let norm = block.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            block.iter_mut().for_each(|v| *v *= length / norm);
        }
    }
}

/// The row of a raw word in `vectors` (`NO_ROW`: none): the word folded, without a possessive
/// "'s"; a hyphenated word the vectors lack, by its last part ("pro-Kremlin" → "kremlin").
/// Asked once per distinct word (the analyzer memoizes the row with the word), so the folded
/// word's buffer is its own.
pub fn row_of(vectors: &WordVectors, raw: &str) -> u32 {
    let mut word = String::with_capacity(raw.len());
    fold_into(raw, &mut word);
    if word.ends_with("'s") {
        word.truncate(word.len() - 2);
    }
    vectors
        .get(&word)
        .or_else(|| {
            word.rsplit_once('-')
                .and_then(|(_, last)| vectors.get(last))
        })
        .unwrap_or(NO_ROW)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Analyzer, AnalyzerConfig, Scratch, Terms, VectorRows};

    fn vectors() -> WordVectors {
        let text = "praised 1 0\ncondemned 0 1\nkyiv 3 4\nthe 1 1\nstrikes -1 0\n";
        WordVectors::from_text("tiny", "0", text.as_bytes(), 100).unwrap()
    }

    fn pooled(text: &str, spans: &[(usize, usize)], window: usize) -> Vec<f32> {
        let vectors = vectors();
        let row_of = |raw: &str| row_of(&vectors, raw);
        let rows = VectorRows {
            fingerprint: vectors.fingerprint(),
            row_of: &row_of,
        };
        let mut terms = Terms::default();
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let scratch = &mut Scratch::default();
        analyzer.terms_with_ids_into(scratch, text, (spans, &[]), (None, Some(&rows)), &mut terms);
        let mut out = Vec::new();
        let options = PoolingOptions {
            window,
            weight: 2.0,
        };
        pool_into(&vectors, &options, &terms, &mut Vec::new(), &mut out);
        out
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.02)
    }

    #[test]
    fn regions_average_their_words_and_have_the_block_length() {
        // "Moscow praised Kyiv's strikes": the target is Kyiv (code points 15..21).
        let out = pooled("Moscow praised Kyiv's strikes", &[(15, 21)], 0);
        // weight 2 over four regions: each region has length 1.
        assert!(close(&out[0..2], &[1.0, 0.0]), "left: {:?}", &out[0..2]);
        assert!(close(&out[2..4], &[-1.0, 0.0]), "right: {:?}", &out[2..4]);
        assert!(close(&out[4..6], &[0.6, 0.8]), "mention: {:?}", &out[4..6]);
        // praised + kyiv + strikes = (3, 4): unit length (0.6, 0.8).
        assert!(
            close(&out[6..8], &[0.6, 0.8]),
            "statement: {:?}",
            &out[6..8]
        );
    }

    #[test]
    fn the_window_limits_the_context_and_unknown_target_leaves_it_empty() {
        // "the" is two tokens left of Kyiv (22..26): outside a window of 1.
        let text = "condemned the praised Kyiv";
        let near = pooled(text, &[(22, 26)], 1);
        assert!(close(&near[0..2], &[1.0, 0.0]), "{near:?}");
        let wide = pooled(text, &[(22, 26)], 0);
        let (x, y) = (2.0f32, 2.0f32); // praised + the + condemned = (2, 2)
        let n = (x * x + y * y).sqrt();
        assert!(close(&wide[0..2], &[x / n, y / n]), "{wide:?}");
        let none = pooled(text, &[], 0);
        assert!(none[..6].iter().all(|&v| v == 0.0));
        assert!(none[6..].iter().any(|&v| v != 0.0));
    }

    #[test]
    fn a_mention_without_a_vector_still_splits_left_from_right() {
        // "Zelensky" has no vector; "praised" is left of him and "strikes" right.
        let out = pooled("praised Zelensky strikes", &[(8, 16)], 1);
        assert!(close(&out[0..2], &[1.0, 0.0]), "{out:?}");
        assert!(close(&out[2..4], &[-1.0, 0.0]), "{out:?}");
        assert!(out[4..6].iter().all(|&v| v == 0.0));
    }

    #[test]
    fn possessives_and_hyphenated_words_find_their_vectors() {
        let v = vectors();
        assert_eq!(row_of(&v, "Kyiv's"), v.get("kyiv").unwrap());
        assert_eq!(row_of(&v, "pro-Kyiv"), v.get("kyiv").unwrap());
        assert_eq!(row_of(&v, "Moscow"), NO_ROW);
    }
}
