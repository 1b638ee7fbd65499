//! Integer keys for a vocabulary's features, so that scoring finds a statement's features
//! without writing their text: each term becomes an id once, and a feature (family + up to three
//! term ids) packs into one `u64` without collisions.

use rustc_hash::FxHashMap;

use crate::features::{block_of, Vocabulary, CHAR_BLOCK};
use crate::io;
use crate::text::short_key::short_key;
use crate::text::{Family, Feature, Terms, TARGET_WORD_PREFIX};

/// A key: the family in 5 bits, then three term ids of 19 bits each, where 0 means "no term"
/// so that n-grams of different lengths differ.
const FAMILY_BITS: usize = 5;
const ID_BITS: u32 = 19;
const MAX_TERMS: usize = (1 << ID_BITS) - 2;
const MAX_NGRAM: usize = 3;

/// A term that no feature of the vocabulary contains.
pub const UNKNOWN: u32 = u32::MAX;

pub struct FeatureKeys {
    /// Ids of terms short enough for an integer key (see `short_key`), and of the others.
    short_ids: FxHashMap<u128, u32>,
    long_ids: FxHashMap<Box<str>, u32>,
    features: FxHashMap<u64, u32>,
    /// A hash of the vocabulary's terms, which alone decide the ids (see `TermIds`).
    fingerprint: u64,
}

impl FeatureKeys {
    /// Keys for every term-made feature of the vocabulary; `None` when some feature cannot be
    /// packed (n-grams longer than three terms, or over a million distinct terms), in which case
    /// the caller looks features up by text.
    pub fn new(vocabulary: &Vocabulary) -> Option<Self> {
        let mut keys = FeatureKeys {
            short_ids: FxHashMap::default(),
            long_ids: FxHashMap::default(),
            features: FxHashMap::default(),
            fingerprint: io::fingerprint(&vocabulary.terms),
        };
        let mut ids = Vec::with_capacity(MAX_NGRAM);
        for (index, text) in vocabulary.terms.iter().enumerate() {
            let Some((family, words)) = Family::parse(text) else {
                if block_of(text) == CHAR_BLOCK || text.starts_with(TARGET_WORD_PREFIX) {
                    continue; // character n-grams and target words are looked up by text
                }
                return None;
            };
            ids.clear();
            if family.has_terms() {
                for word in words.split(' ') {
                    ids.push(keys.intern(word));
                }
            }
            if ids.len() > MAX_NGRAM || keys.term_count() > MAX_TERMS {
                return None;
            }
            keys.features.insert(pack(family, &ids), index as u32);
        }
        Some(keys)
    }

    fn term_count(&self) -> usize {
        self.short_ids.len() + self.long_ids.len()
    }

    /// The id of a term, given one if new.
    fn intern(&mut self, text: &str) -> u32 {
        let next = self.term_count() as u32;
        match short_key(0, text) {
            Some(key) => *self.short_ids.entry(key).or_insert(next),
            None => *self.long_ids.entry(text.into()).or_insert(next),
        }
    }

    /// The id of a term's text, or `UNKNOWN`.
    pub fn term_id(&self, text: &str) -> u32 {
        match short_key(0, text) {
            Some(key) => self.short_ids.get(&key),
            None => self.long_ids.get(text),
        }
        .copied()
        .unwrap_or(UNKNOWN)
    }

    /// What tells this table's numbering of terms from others (`TermIds`): equal for
    /// vocabularies with the same terms.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Ids of all terms of a statement, into a reused buffer.
    pub fn term_ids(&self, terms: &Terms, ids: &mut Vec<u32>) {
        ids.clear();
        ids.extend((0..terms.len()).map(|i| self.term_id(terms.text(i))));
    }

    /// The vocabulary indices of a statement's word n-grams, given its terms' ids: runs of 1 to
    /// `max` terms, by first term then length, as `Analyzer::for_each_feature` gives them.
    /// Each n-gram's key extends the one before it by a term.
    pub fn ngram_indices(&self, ids: &[u32], max: usize, out: &mut Vec<u32>) {
        for first in 0..ids.len() {
            let mut key = Family::Ngram as u64;
            for (slot, &id) in ids[first..].iter().take(max.min(MAX_NGRAM)).enumerate() {
                // No feature of the vocabulary holds an unknown term.
                if id == UNKNOWN {
                    break;
                }
                key |= shifted(id, slot);
                out.extend(self.features.get(&key).copied());
            }
        }
    }

    /// The vocabulary index of a feature, given the ids of the statement's terms. Scoring asks
    /// it for the marked features, all of one term (n-grams go through `ngram_indices`).
    pub fn index(&self, feature: Feature, ids: &[u32]) -> Option<u32> {
        if !feature.family.has_terms() {
            return self.features.get(&pack(feature.family, &[])).copied();
        }
        let key = if feature.n == 1 {
            pack_one(feature.family, ids[feature.first])?
        } else {
            let ids = &ids[feature.first..feature.first + feature.n];
            if ids.len() > MAX_NGRAM || ids.contains(&UNKNOWN) {
                return None;
            }
            pack(feature.family, ids)
        };
        self.features.get(&key).copied()
    }
}

fn pack(family: Family, ids: &[u32]) -> u64 {
    let mut key = family as u64;
    for (slot, &id) in ids.iter().enumerate() {
        key |= shifted(id, slot);
    }
    key
}

/// `pack` of one term, `None` for an unknown one.
fn pack_one(family: Family, id: u32) -> Option<u64> {
    (id != UNKNOWN).then(|| family as u64 | shifted(id, 0))
}

/// A term id in its slot of a key.
fn shifted(id: u32, slot: usize) -> u64 {
    (id as u64 + 1) << (FAMILY_BITS + ID_BITS as usize * slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Analyzer, AnalyzerConfig, MentionSpans, Scratch, TermIds, Terms};

    #[test]
    fn finds_the_same_features_as_their_text() {
        let analyzer = Analyzer::new(AnalyzerConfig {
            ngram_max: 3,
            ..AnalyzerConfig::default()
        });
        let text = "Moscow did not accuse Kyiv of shelling the plant, but Kyiv denied it";
        let spans = [(22, 26), (54, 58)];
        let all = analyzer.features(text, &spans, &[(0, 6)]);
        // A vocabulary holding every other feature of the statement, plus unrelated ones.
        let mut kept: Vec<String> = all.iter().step_by(2).cloned().collect();
        kept.extend(["war".to_string(), "L1:war".into(), "c:ab".into()]);
        kept.sort();
        kept.dedup();
        let vocabulary = Vocabulary::new(kept.clone(), vec![1.0; kept.len()], [1.0; 3]);
        let keys = FeatureKeys::new(&vocabulary).unwrap();

        let terms = analyzer.terms(text, &spans, &[(0, 6)]);
        let scratch = &mut Scratch::default();
        let mut ids = Vec::new();
        keys.term_ids(&terms, &mut ids);
        let mut by_key = Vec::new();
        analyzer.for_each_feature(&terms, scratch, |f| by_key.extend(keys.index(f, &ids)));
        analyzer.for_each_target_word(&terms, scratch, |f, _| by_key.extend(vocabulary.get(f)));
        let mut by_text = Vec::new();
        analyzer
            .for_each_feature_text(&terms, scratch, |f, _, _| by_text.extend(vocabulary.get(f)));
        assert!(by_key.len() > 10);
        assert_eq!(by_key, by_text);
        // Scoring's way: n-grams by extending keys, then the marked features.
        let mut scored = Vec::new();
        keys.ngram_indices(&ids, 3, &mut scored);
        analyzer.for_each_marked_feature(&terms, scratch, |f| scored.extend(keys.index(f, &ids)));
        analyzer.for_each_target_word(&terms, scratch, |f, _| scored.extend(vocabulary.get(f)));
        assert_eq!(scored, by_text);
    }

    #[test]
    fn memoized_term_ids_follow_each_table() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let text = "Moscow did not accuse Kyiv; Kyiv's envoy accused Moscow, not the envoys";
        let table = |terms: &[&str]| {
            let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
            let vocabulary = Vocabulary::new(terms.clone(), vec![1.0; terms.len()], [1.0; 3]);
            FeatureKeys::new(&vocabulary).unwrap()
        };
        let (a, b) = (
            table(&["accus", "envoy", "not"]),
            table(&["envoy", "kyiv", "moscow"]),
        );
        // Each table in turn, twice, with one scratch: the memo must never hand one table's id
        // to the other.
        let scratch = &mut Scratch::default();
        for keys in [&a, &b, &a, &b] {
            let id_of = |term: &str| keys.term_id(term);
            let ids = TermIds {
                fingerprint: keys.fingerprint(),
                id_of: &id_of,
            };
            let mut terms = Terms::default();
            let spans: MentionSpans = (&[], &[]);
            analyzer.terms_with_ids_into(scratch, text, spans, (Some(&ids), None), &mut terms);
            let mut by_text = Vec::new();
            keys.term_ids(&terms, &mut by_text);
            assert_eq!(terms.ids(), by_text);
            assert!(by_text.iter().any(|&id| id != UNKNOWN));
        }
    }

    #[test]
    fn longer_ngrams_fall_back_to_text() {
        let terms = vec!["a b c d".to_string()];
        let vocabulary = Vocabulary::new(terms, vec![1.0], [1.0; 3]);
        assert!(FeatureKeys::new(&vocabulary).is_none());
    }
}
