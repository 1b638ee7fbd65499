//! Vocabulary (fit on training data only), chi-square feature selection, and sparse TF-IDF vectors.

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::text::{Family, CHAR_NGRAM_PREFIX};
pub use crate::text::{CHAR_BLOCK, CONTEXT_BLOCK, WORD_BLOCK};

/// A sparse row: (feature index, value), L2-normalized; sorted by index in training.
pub type SparseVec = Vec<(u32, f32)>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Feature strings; a feature's index is its position here.
    pub terms: Vec<String>,
    pub idf: Vec<f32>,
    /// Weight of each feature block (words, characters, target context), each L2-normalized
    /// on its own.
    pub block_weights: [f32; 3],
    #[serde(skip)]
    index: HashMap<String, u32>,
    #[serde(skip)]
    blocks: Vec<u8>,
    /// Chi-square rank of each feature (0 is best); known only right after `fit`.
    #[serde(skip)]
    ranks: Vec<u32>,
}

/// The block a feature's text belongs to, by its prefix: character n-grams (`c:`) in
/// `CHAR_BLOCK`, a family's features where `Family::block` puts them, anything else (n-grams,
/// target words) in `WORD_BLOCK`.
pub fn block_of(feature: &str) -> u8 {
    let Some((tag, _)) = feature.split_once(':') else {
        return WORD_BLOCK;
    };
    if tag == &CHAR_NGRAM_PREFIX[..CHAR_NGRAM_PREFIX.len() - 1] {
        return CHAR_BLOCK;
    }
    Family::ALL
        .iter()
        .find(|family| family.tag() == tag)
        .map_or(WORD_BLOCK, |family| family.block())
}

/// Whether a feature is one of the fixed marks (`P:speaker`, `V:pos`): a designed cue about the
/// target, few in number, kept whatever its chi-square, since a rare cue such as `P:spared`
/// ("did not condemn X") would otherwise lose its place to hundreds of thousands of n-grams.
fn is_mark(feature: &str) -> bool {
    feature.contains(':') && Family::parse(feature).is_some_and(|(family, _)| !family.has_terms())
}

impl Vocabulary {
    pub fn new(terms: Vec<String>, idf: Vec<f32>, block_weights: [f32; 3]) -> Self {
        let mut vocabulary = Vocabulary {
            terms,
            idf,
            block_weights,
            index: HashMap::default(),
            blocks: Vec::new(),
            ranks: Vec::new(),
        };
        vocabulary.rebuild_index();
        vocabulary
    }

    /// Restores the lookup table after deserialization.
    pub fn rebuild_index(&mut self) {
        self.index = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        self.blocks = self.terms.iter().map(|t| block_of(t)).collect();
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Chi-square rank of a feature from `fit`; every feature ranks alike on a loaded model.
    pub fn rank(&self, feature: u32) -> u32 {
        self.ranks.get(feature as usize).copied().unwrap_or(0)
    }

    pub fn get(&self, feature: &str) -> Option<u32> {
        self.index.get(feature).copied()
    }

    /// Keeps features seen in at least `min_df` documents, then the `max_features` that tell the
    /// classes apart best by chi-square (the fixed marks always among them), so the dense matrix
    /// handed to the solver stays small.
    pub fn fit(
        docs: &[&Vec<String>],
        labels: &[usize],
        min_df: usize,
        max_features: usize,
        block_weights: [f32; 3],
    ) -> Self {
        let n_classes = labels.iter().max().map_or(1, |&m| m + 1);
        let mut class_docs = vec![0usize; n_classes];
        // Per feature: the last document that counted it (a feature counts once per document)
        // and its documents per class.
        let mut counts: HashMap<&str, (usize, Vec<usize>)> = HashMap::default();
        for (d, (doc, &label)) in docs.iter().zip(labels).enumerate() {
            class_docs[label] += 1;
            for feature in doc.iter() {
                let (last, per_class) = counts
                    .entry(feature.as_str())
                    .or_insert_with(|| (usize::MAX, vec![0; n_classes]));
                if *last != d {
                    *last = d;
                    per_class[label] += 1;
                }
            }
        }
        let n_docs = docs.len().max(1) as f64;
        let mut scored: Vec<(bool, f64, usize, &str)> = counts
            .iter()
            .filter_map(|(&feature, (_, per_class))| {
                let df: usize = per_class.iter().sum();
                (df >= min_df).then(|| {
                    let chi = chi_square(per_class, &class_docs, n_docs);
                    (is_mark(feature), chi, df, feature)
                })
            })
            .collect();
        // Marks first, then best score; ties broken by document frequency, then alphabetically:
        // deterministic.
        scored.sort_by(|a, b| {
            (b.0.cmp(&a.0))
                .then(b.1.total_cmp(&a.1))
                .then(b.2.cmp(&a.2))
                .then(a.3.cmp(b.3))
        });
        scored.truncate(max_features);
        // Each kept feature's rank and document frequency, in alphabetical order.
        let mut ranked: Vec<(usize, (usize, &str))> = scored
            .into_iter()
            .map(|(_, _, df, feature)| (df, feature))
            .enumerate()
            .collect();
        ranked.sort_by(|a, b| a.1 .1.cmp(b.1 .1));
        let idf = ranked
            .iter()
            .map(|&(_, (df, _))| ((1.0 + n_docs) / (1.0 + df as f64)).ln() as f32 + 1.0)
            .collect();
        let ranks = ranked.iter().map(|&(rank, _)| rank as u32).collect();
        let terms = ranked
            .into_iter()
            .map(|(_, (_, f))| f.to_string())
            .collect();
        let mut vocabulary = Vocabulary::new(terms, idf, block_weights);
        vocabulary.ranks = ranks;
        vocabulary
    }

    /// Sublinear TF-IDF (1 + ln tf) × idf, L2-normalized; unknown features are dropped.
    /// `indices` is scratch space reused across calls to avoid allocation.
    pub fn vectorize_indices(&self, indices: &mut [u32], out: &mut SparseVec) {
        out.clear();
        indices.sort_unstable();
        // Blocks are normalized apart, as scikit-learn's FeatureUnion of TF-IDF vectorizers
        // would, then weighted.
        let mut squares = [0f32; 3];
        let mut i = 0;
        while i < indices.len() {
            let feature = indices[i];
            let mut count = 0;
            while i < indices.len() && indices[i] == feature {
                count += 1;
                i += 1;
            }
            let v = self.tf_idf(feature, count);
            squares[self.block(feature)] += v * v;
            out.push((feature, v));
        }
        self.scale(out, self.block_scales(squares));
    }

    /// Multiplies each value of `row` by its block's scale (from `vectorize_unscaled`).
    pub fn scale(&self, row: &mut SparseVec, scales: [f32; 3]) {
        for (feature, v) in row.iter_mut() {
            *v *= scales[self.block(*feature)];
        }
    }

    /// Scoring's `vectorize_indices`, without its sort: occurrences are counted in `counts`
    /// (one slot per feature, all zero before and after), so the row comes in the order
    /// features first occur. Returns the values before each block's scaling and the scale of
    /// each block, which scoring applies in the same pass as the weights.
    pub fn vectorize_unscaled(
        &self,
        indices: &[u32],
        counts: &mut Vec<u32>,
        out: &mut SparseVec,
    ) -> [f32; 3] {
        out.clear();
        counts.resize(self.len(), 0);
        for &feature in indices {
            let count = &mut counts[feature as usize];
            if *count == 0 {
                out.push((feature, 0.0));
            }
            *count += 1;
        }
        let mut squares = [0f32; 3];
        for (feature, v) in out.iter_mut() {
            let count = std::mem::take(&mut counts[*feature as usize]);
            *v = self.tf_idf(*feature, count);
            squares[self.block(*feature)] += *v * *v;
        }
        self.block_scales(squares)
    }

    /// Sublinear TF-IDF of a feature that occurs `count` times.
    fn tf_idf(&self, feature: u32, count: u32) -> f32 {
        // ln 1 = 0: most features occur once, and this skips the logarithm for them.
        let tf = if count == 1 {
            1.0
        } else {
            1.0 + (count as f32).ln()
        };
        tf * self.idf[feature as usize]
    }

    /// Each block's factor from its sum of squares: its weight over its L2 norm.
    fn block_scales(&self, squares: [f32; 3]) -> [f32; 3] {
        std::array::from_fn(|b| {
            if squares[b] > 0.0 {
                self.block_weights[b] / squares[b].sqrt()
            } else {
                0.0
            }
        })
    }

    /// The block of feature `feature` (see `block_of`).
    pub fn block(&self, feature: u32) -> usize {
        self.blocks[feature as usize] as usize
    }

    pub fn vectorize<'a>(&self, features: impl IntoIterator<Item = &'a str>) -> SparseVec {
        let mut indices: Vec<u32> = features.into_iter().filter_map(|f| self.get(f)).collect();
        let mut out = SparseVec::new();
        self.vectorize_indices(&mut indices, &mut out);
        out
    }
}

/// Pearson's chi-square of a feature's presence against the class, from per-class document counts.
fn chi_square(present: &[usize], class_docs: &[usize], n_docs: f64) -> f64 {
    let df: usize = present.iter().sum();
    let p_feature = df as f64 / n_docs;
    let mut score = 0.0;
    for (&observed, &in_class) in present.iter().zip(class_docs) {
        for (obs, p) in [
            (observed as f64, p_feature),
            ((in_class - observed) as f64, 1.0 - p_feature),
        ] {
            let expected = in_class as f64 * p;
            if expected > 0.0 {
                score += (obs - expected).powi(2) / expected;
            }
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(rows: &[&str]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.split(' ').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn min_df_and_selection_keep_the_discriminative_features() {
        let d = docs(&["good a", "good b", "bad a", "bad b", "rare x"]);
        let vocabulary = Vocabulary::fit(
            &d.iter().collect::<Vec<_>>(),
            &[0, 0, 1, 1, 2],
            2,
            2,
            [1.0; 3],
        );
        // "a" and "b" occur evenly in both classes; "good" and "bad" separate them.
        assert_eq!(vocabulary.terms, ["bad", "good"]);
        assert!(vocabulary.get("rare").is_none());
    }

    #[test]
    fn tfidf_is_sublinear_and_unit_length() {
        let vocabulary = Vocabulary::new(vec!["a".into(), "b".into()], vec![1.0, 2.0], [1.0; 3]);
        let v = vocabulary.vectorize(["a", "a", "b", "unknown"]);
        // raw: a = (1 + ln 2) × 1, b = 1 × 2
        let (a, b) = (1.0 + 2f32.ln(), 2.0);
        let norm = (a * a + b * b).sqrt();
        assert_eq!(v.len(), 2);
        assert!((v[0].1 - a / norm).abs() < 1e-6);
        assert!((v[1].1 - b / norm).abs() < 1e-6);
    }

    #[test]
    fn blocks_are_normalized_apart_and_weighted() {
        let terms = vec!["C:y".into(), "a".into(), "c:x".into(), "c:y".into()];
        let vocabulary = Vocabulary::new(terms, vec![1.0; 4], [1.0, 0.5, 2.0]);
        let v = vocabulary.vectorize(["a", "c:x", "c:y", "C:y"]);
        // Target context block alone: weight 2; words alone: 1; characters share weight 0.5.
        assert!((v[0].1 - 2.0).abs() < 1e-6);
        assert!((v[1].1 - 1.0).abs() < 1e-6);
        let char_norm = (v[2].1 * v[2].1 + v[3].1 * v[3].1).sqrt();
        assert!((char_norm - 0.5).abs() < 1e-6);
    }

    #[test]
    fn every_family_prefix_maps_to_its_block() {
        use crate::text::TARGET_WORD_PREFIX;
        for family in Family::ALL {
            let text = if family.has_terms() {
                format!("{}accus <target>", family.prefix())
            } else {
                family.prefix().to_string()
            };
            assert_eq!(block_of(&text), family.block(), "{family:?}: {text}");
            assert_eq!(Family::parse(&text).map(|(f, _)| f), Some(family), "{text}");
        }
        // The target's surroundings weigh as context; what the words say, as words.
        for context in [
            "L1:accus",
            "RN:prais",
            "C:condemn",
            "P:clause-first",
            "P:speaker",
        ] {
            assert_eq!(block_of(context), CONTEXT_BLOCK, "{context}");
        }
        for word in ["accus <target>", "N:condemn", "V:pos", "V:L-neg"] {
            assert_eq!(block_of(word), WORD_BLOCK, "{word}");
        }
        assert_eq!(block_of(&format!("{CHAR_NGRAM_PREFIX} wa")), CHAR_BLOCK);
        assert_eq!(block_of(&format!("{TARGET_WORD_PREFIX}trump")), WORD_BLOCK);
        assert_eq!(block_of("sanction"), WORD_BLOCK);
    }

    #[test]
    fn idf_matches_the_smoothed_formula() {
        let d = docs(&["a b", "a", "a"]);
        let vocabulary =
            Vocabulary::fit(&d.iter().collect::<Vec<_>>(), &[0, 1, 1], 1, 10, [1.0; 3]);
        let idf_b = vocabulary.idf[vocabulary.get("b").unwrap() as usize];
        assert!((idf_b - ((4.0f32 / 2.0).ln() + 1.0)).abs() < 1e-6);
    }
}
