//! A sentiment prior from the VADER lexicon (the `vader_sentiment` crate, MIT): about 7,500
//! English words with a valence from −4 to +4; for Russian, the project's own list of word
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
        for (word, &valence) in vader_sentiment::LEXICON.iter() {
            let word = word.to_lowercase();
            let tenths = (valence * 10.0).round().clamp(-40.0, 40.0) as i8;
            match short_key_of_bytes(0, word.as_bytes()) {
                Some(key) => table.short.insert(key, tenths),
                None => table.long.insert(word.into(), tenths),
            };
        }
        table
    })
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

/// Shortest listed Russian beginning, in letters: shorter ones catch unrelated words.
const RUSSIAN_MIN_PREFIX: usize = 4;

/// The Russian list: word beginning → valence in tenths.
fn russian_table() -> &'static FxHashMap<String, i8> {
    static TABLE: OnceLock<FxHashMap<String, i8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("russian-valence.tsv")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let (prefix, valence) = line.split_once('\t')?;
                let valence: i8 = valence.trim().parse().ok()?;
                Some((prefix.to_string(), valence.clamp(-4, 4) * 10))
            })
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
    }
}
