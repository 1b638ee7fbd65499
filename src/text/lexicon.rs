//! A sentiment prior from the VADER lexicon (the `vader_sentiment` crate, MIT): about 7,500
//! English words with a valence from −4 to +4. Words the training data saw rarely or never still
//! tell the model which way they lean, through a few features shared by all of them.

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
    if bytes.len() > MAX_LEN || !bytes.is_ascii() {
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
}
