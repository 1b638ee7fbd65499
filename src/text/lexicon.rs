//! A sentiment prior from the VADER lexicon (the `vader_sentiment` crate, MIT): about 7,500
//! English words with a valence from −4 to +4, made for social media, with the project's own
//! supplement of words that judge in news and VADER lacks ("sanctions", "baseless",
//! "denounced": `english-news-valence.tsv`); for Russian, the project's own list of word
//! beginnings (`russian-valence.tsv`), since Russian words inflect. Words the training data
//! saw rarely or never still tell the model which way they lean, through a few features shared
//! by all of them.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use super::short_key::short_key_of_bytes;

/// Longest word looked up (the lexicon's longest word has 18 letters).
const MAX_LEN: usize = 24;

/// Valences in tenths (−40..=40) of the lowercased words: words short enough for a `short_key`
/// by that integer, the few longer ones by text. Built once per process, so that a look-up
/// lowercases on the stack, hashes and allocates nothing.
struct Table {
    short: FxHashMap<u128, i8>,
    long: FxHashMap<Box<str>, i8>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        };
        for (word, tenths) in english_entries() {
            match short_key_of_bytes(0, word.as_bytes()) {
                Some(key) => table.short.insert(key, tenths),
                None => table.long.insert(word.into(), tenths),
            };
        }
        table
    })
}

/// The English entries, lowercased, valence in tenths: VADER's, then the news supplement's,
/// which holds no VADER word (a test checks it), so neither overrides the other.
fn english_entries() -> impl Iterator<Item = (String, i8)> {
    let tenths = |valence: f64| (valence * 10.0).round().clamp(-40.0, 40.0) as i8;
    let vader = vader_sentiment::LEXICON
        .iter()
        .map(move |(word, &valence)| (word.to_lowercase(), tenths(valence)));
    let news = listed(include_str!("english-news-valence.tsv"))
        .map(|(word, valence)| (word.to_string(), valence * 10));
    vader.chain(news)
}

/// SHA-256 (hex) of every entry of the lexicons, English then Russian, each sorted: a model
/// records it, since its lexicon features mean what the lists said when it was trained
/// (`stance inspect` shows it, and scoring says when the lists have changed since).
pub fn fingerprint() -> &'static str {
    static FINGERPRINT: OnceLock<String> = OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let mut english: Vec<(String, i8)> = english_entries().collect();
        english.sort_unstable();
        let mut russian: Vec<(&str, i8)> = listed(include_str!("russian-valence.tsv")).collect();
        russian.sort_unstable();
        digest(
            english
                .iter()
                .map(|(word, v)| (word.as_str(), *v))
                .chain(russian),
        )
    })
}

/// SHA-256 (hex) of (word, valence) entries in the order given.
fn digest<'a>(entries: impl Iterator<Item = (&'a str, i8)>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (word, valence) in entries {
        hasher.update(word.as_bytes());
        hasher.update([0x1f, valence as u8, 0x1e]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The valence of a raw word in tenths, 0 when the lexicon does not hold it.
pub fn valence(raw: &str) -> i8 {
    let bytes = raw.as_bytes();
    if !bytes.is_ascii() {
        return russian_valence(raw);
    }
    if bytes.len() > MAX_LEN {
        return 0;
    }
    let table = table();
    if bytes.len() <= 14 {
        // Most words: lowercased straight into their `short_key` (tag 0), byte by byte, as a
        // copy of a variable length would be a call to memcpy.
        let mut key = [0u8; 16];
        for (k, b) in key.iter_mut().zip(bytes) {
            *k = b.to_ascii_lowercase();
        }
        key[15] = bytes.len() as u8;
        return table
            .short
            .get(&u128::from_le_bytes(key))
            .copied()
            .unwrap_or(0);
    }
    let mut buffer = [0u8; MAX_LEN];
    let lower = &mut buffer[..bytes.len()];
    lower.copy_from_slice(bytes);
    lower.make_ascii_lowercase();
    // ASCII bytes are always UTF-8; words this long have no short key.
    std::str::from_utf8(lower)
        .ok()
        .and_then(|word| table.long.get(word))
        .copied()
        .unwrap_or(0)
}

/// The entries of one of the project's lists: `word<TAB>valence` lines (an integer from −4 to
/// +4), `#` comments and blank lines skipped.
fn listed(text: &'static str) -> impl Iterator<Item = (&'static str, i8)> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (word, valence) = line.split_once('\t')?;
            let valence: i8 = valence.trim().parse().ok()?;
            Some((word, valence.clamp(-4, 4)))
        })
}

/// Shortest listed Russian beginning, in letters: shorter ones catch unrelated words.
const RUSSIAN_MIN_PREFIX: usize = 4;

/// The Russian list: word beginning → valence in tenths.
fn russian_table() -> &'static FxHashMap<String, i8> {
    static TABLE: OnceLock<FxHashMap<String, i8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        listed(include_str!("russian-valence.tsv"))
            .map(|(prefix, valence)| (prefix.to_string(), valence * 10))
            .collect()
    })
}

/// A Cyrillic word's valence in tenths: that of the longest listed beginning it starts with
/// ("арестован" by "арест"), 0 when none is listed or the word is not Cyrillic.
fn russian_valence(raw: &str) -> i8 {
    if !raw.chars().next().is_some_and(is_cyrillic) {
        return 0;
    }
    // Lowercased, ё as е, as the list is written.
    let word = crate::folding::fold(raw);
    let table = russian_table();
    let ends: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .skip(RUSSIAN_MIN_PREFIX)
        .collect();
    ends.iter()
        .copied()
        .chain(std::iter::once(word.len()))
        .rev()
        .find_map(|end| table.get(&word[..end]).copied())
        .unwrap_or(0)
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_lowercased_words() {
        assert_eq!(valence("good"), 19);
        assert_eq!(valence("Condemned"), -19);
        assert!(valence("congratulations") > 0);
        assert_eq!(valence("the"), 0);
        assert_eq!(valence("GooD"), 19);
        assert!(valence("Disappointedly") < 0);
        assert_eq!(valence("internationalization"), 0);
    }

    #[test]
    fn news_words_vader_lacks_take_the_supplements_valence() {
        for word in [
            "baseless",
            "Sanctions",
            "denounced",
            "atrocities",
            "invasion",
        ] {
            assert!(valence(word) < 0, "{word}");
        }
        for word in ["lauded", "breakthrough"] {
            assert!(valence(word) > 0, "{word}");
        }
        // VADER's own words keep VADER's valence.
        assert_eq!(valence("condemned"), -19);
    }

    #[test]
    fn the_supplement_is_well_formed_and_holds_no_vader_word() {
        let text = include_str!("english-news-valence.tsv");
        let vader: std::collections::HashSet<String> = vader_sentiment::LEXICON
            .keys()
            .map(|w| w.to_lowercase())
            .collect();
        let mut previous = "";
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let (word, valence) = line.split_once('\t').expect("word<TAB>valence");
            let valence: i8 = valence.parse().expect("an integer valence");
            assert!(
                (-4..=4).contains(&valence) && valence != 0,
                "line {}",
                n + 1
            );
            assert_eq!(word, word.to_lowercase(), "line {}", n + 1);
            assert!(word > previous, "line {}: not sorted or repeated", n + 1);
            assert!(
                !vader.contains(word),
                "line {}: {word} is a VADER word",
                n + 1
            );
            previous = word;
        }
    }

    #[test]
    fn the_fingerprint_changes_with_any_entry_of_either_language() {
        assert_eq!(fingerprint().len(), 64);
        let of = |entries: &[(&str, i8)]| digest(entries.iter().copied());
        let base = of(&[("baseless", -20), ("арест", -2)]);
        assert_ne!(base, of(&[("baseless", -10), ("арест", -2)]), "a valence");
        assert_ne!(
            base,
            of(&[("baseless", -20), ("арест", -3)]),
            "a Russian valence"
        );
        assert_ne!(base, of(&[("baseless", -20)]), "an entry left out");
        // The recorded fingerprint covers the Russian list, not the English entries alone.
        let mut english: Vec<(String, i8)> = english_entries().collect();
        english.sort_unstable();
        let english_only = digest(english.iter().map(|(w, v)| (w.as_str(), *v)));
        assert_ne!(fingerprint(), english_only);
    }

    #[test]
    fn russian_words_take_the_valence_of_their_longest_listed_beginning() {
        assert!(valence("арестован") < 0);
        assert!(valence("Осудил") < 0);
        assert!(valence("успешным") > 0);
        assert!(valence("поддержал") > 0);
        // Short or unrelated beginnings are not listed: "успел" (was in time), "мир".
        assert_eq!(valence("успел"), 0);
        assert_eq!(valence("мир"), 0);
        // A longer listed beginning wins over a shorter one of the other sign.
        assert!(valence("захват") < 0 && valence("захватывающий") > 0);
        // A longer beginning listed as 0 is neutral: "благодаря" (thanks to), not "благодарность".
        assert_eq!(valence("благодаря"), 0);
        assert!(valence("благодарность") > 0);
    }
}
