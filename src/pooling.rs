//! The dense block: pretrained word vectors pooled around the target, in the spirit of Vo and
//! Zhang (2015, target-dependent Twitter sentiment): the words left of a mention, right of it,
//! the mention's own words, and the whole statement, each averaged and scaled to unit length,
//! so that a word the labeled rows never showed still lands near the words they did.

use serde::{Deserialize, Serialize};

use crate::parties::{fold_into, Span};
use crate::text::tokenize::{tokenize_into, Kind, Token};
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

impl Default for PoolingOptions {
    fn default() -> Self {
        PoolingOptions {
            window: 0,
            weight: 1.0,
        }
    }
}

/// Columns of the dense block for vectors of dimension `dim`.
pub fn width(dim: usize) -> usize {
    REGIONS.len() * dim
}

/// Buffers reused from statement to statement.
#[derive(Default)]
pub struct PoolScratch {
    tokens: Vec<Token>,
    word: String,
    /// Vector row and region flags of each token that has a vector.
    found: Vec<(u32, u8)>,
}

const LEFT: u8 = 1;
const RIGHT: u8 = 2;
const MENTION: u8 = 4;
const STATEMENT: u8 = 8;

/// Writes the dense block of `text` toward the mentions `target_spans` into `out`
/// (`width(vectors.dim)` values, each region's average scaled to length weight / 2, so the whole
/// block has length `weight` when every region has a word).
pub fn pool_into(
    vectors: &WordVectors,
    options: &PoolingOptions,
    text: &str,
    target_spans: &[Span],
    scratch: &mut PoolScratch,
    out: &mut Vec<f32>,
) {
    let dim = vectors.dim;
    out.clear();
    out.resize(width(dim), 0.0);
    let PoolScratch {
        tokens,
        word,
        found,
    } = scratch;
    tokenize_into(text, tokens);
    found.clear();
    // Token positions of the mentions, to measure context distance in tokens.
    let is_mention = |t: &Token| target_spans.iter().any(|&(s, e)| t.start < e && s < t.end);
    let mention_at: Vec<usize> = (0..tokens.len()).filter(|&i| is_mention(&tokens[i])).collect();
    let within = |d: usize| options.window == 0 || d <= options.window;
    for (i, token) in tokens.iter().enumerate() {
        let raw = match token.kind {
            Kind::Word => &text[token.byte_start..token.byte_end],
            Kind::Hashtag => &text[token.byte_start + 1..token.byte_end],
            _ => continue,
        };
        let mut regions = STATEMENT;
        if mention_at.binary_search(&i).is_ok() {
            regions |= MENTION;
        } else {
            // A mention after this token puts it in the left context, one before it in the right.
            let next = mention_at.partition_point(|&m| m < i);
            if mention_at.get(next).is_some_and(|&m| within(m - i)) {
                regions |= LEFT;
            }
            if next > 0 && within(i - mention_at[next - 1]) {
                regions |= RIGHT;
            }
        }
        look_up(vectors, raw, word, |row| found.push((row, regions)));
    }
    let mut counts = [0usize; 4];
    for &(row, regions) in found.iter() {
        for (r, count) in counts.iter_mut().enumerate() {
            if regions & (1 << r) != 0 {
                vectors.add_to(row, &mut out[r * dim..(r + 1) * dim]);
                *count += 1;
            }
        }
    }
    // The average's direction is the sum's: scaling the sum to a fixed length averages it.
    let length = options.weight / (REGIONS.len() as f32).sqrt();
    for (r, &count) in counts.iter().enumerate() {
        let block = &mut out[r * dim..(r + 1) * dim];
        let norm = block.iter().map(|v| v * v).sum::<f32>().sqrt();
        if count > 0 && norm > 0.0 {
            block.iter_mut().for_each(|v| *v *= length / norm);
        }
    }
}

/// Calls `found` with the vector row of a word: the word folded, without a possessive "'s"; a
/// hyphenated word the vectors lack, by its parts.
fn look_up(vectors: &WordVectors, raw: &str, word: &mut String, mut found: impl FnMut(u32)) {
    word.clear();
    fold_into(raw, word);
    if word.ends_with("'s") {
        word.truncate(word.len() - 2);
    }
    if let Some(row) = vectors.get(word) {
        found(row);
    } else if word.contains('-') {
        for part in word.split('-') {
            if let Some(row) = vectors.get(part) {
                found(row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> WordVectors {
        let text = "praised 1 0\ncondemned 0 1\nkyiv 3 4\nthe 1 1\nstrikes -1 0\n";
        WordVectors::from_text("tiny", "0", text.as_bytes(), 100).unwrap()
    }

    fn pooled(text: &str, spans: &[Span], window: usize) -> Vec<f32> {
        let mut out = Vec::new();
        let options = PoolingOptions { window, weight: 2.0 };
        pool_into(&vectors(), &options, text, spans, &mut PoolScratch::default(), &mut out);
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
        assert!(close(&out[6..8], &[0.6, 0.8]), "statement: {:?}", &out[6..8]);
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
}
