//! Finding aliases in text in one walk over its words.
//!
//! A whole-word match can only start where a word starts (or, for an alias that opens with a
//! punctuation mark, at such a mark after a non-word character), and there the text's word must
//! equal the alias's first word. So the walk hashes each word of the text, folded, as it passes,
//! and tries only the aliases whose first word has that hash: no folded copy of the text, no
//! search automaton, and a text that names no party costs one pass over its bytes.

use rustc_hash::FxHashMap;

use crate::folding::{fold_char, is_word_char, IS_WORD_BYTE};

/// Each ASCII word byte folded (lowercased); 0 for every other byte.
const FOLDED_WORD_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if IS_WORD_BYTE[b] {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// One alias as searched: its text (folded, or as written when `exact`).
struct Alias {
    text: Box<str>,
    exact: bool,
    /// Folded and ASCII: checked byte by byte before code points are decoded.
    folded_ascii: bool,
    /// Bytes of its first word: the text's word there has the same hash, so a mismatch shows
    /// sooner after it ("the Kremlin" at "the president").
    first_word_len: usize,
}

/// A match: the alias (its index as given to `AliasMatcher::new`) and its code-point span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub alias: usize,
    pub start: usize,
    pub end: usize,
}

pub struct AliasMatcher {
    aliases: Vec<Alias>,
    /// Aliases by the hash of their folded first word, and a bit per hash's top bits, so that
    /// most words of a text are dismissed by one bit test.
    by_first_word: FxHashMap<u64, Vec<usize>>,
    first_word_bits: Box<[u64; BLOOM_WORDS]>,
    /// Aliases that open with a non-word character, by that character (folded).
    by_first_mark: FxHashMap<char, Vec<usize>>,
}

const BLOOM_WORDS: usize = 64;

/// The hash of a folded word, fed its UTF-8 bytes one by one: eight bytes gather into one
/// integer that is mixed in at once (FxHash's step), so that the walk, which hashes every word
/// of every statement, spends a multiply per eight bytes rather than per byte. No word byte is
/// zero, so the padding of the last integer tells words apart.
#[derive(Default, Clone, Copy)]
struct WordHash {
    hash: u64,
    pending: u64,
    shift: u32,
}

impl WordHash {
    #[inline]
    fn push(&mut self, byte: u8) {
        self.pending |= u64::from(byte) << self.shift;
        self.shift += 8;
        if self.shift == 64 {
            self.hash = mix(self.hash, self.pending);
            (self.pending, self.shift) = (0, 0);
        }
    }

    fn finish(self) -> u64 {
        mix(self.hash, self.pending)
    }
}

fn mix(hash: u64, value: u64) -> u64 {
    (hash.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = WordHash::default();
    bytes.iter().for_each(|&b| hash.push(b));
    hash.finish()
}

fn bloom_slot(hash: u64) -> (usize, u64) {
    let bit = (hash >> 52) as usize; // 4,096 bits
    (bit / 64, 1 << (bit % 64))
}

impl AliasMatcher {
    /// `aliases`: each alias's text and whether it matches only as written (otherwise in any
    /// case). Errors name an alias that cannot match anything.
    pub fn new(aliases: &[(String, bool)]) -> Result<Self, String> {
        let mut matcher = AliasMatcher {
            aliases: Vec::with_capacity(aliases.len()),
            by_first_word: FxHashMap::default(),
            first_word_bits: Box::new([0; BLOOM_WORDS]),
            by_first_mark: FxHashMap::default(),
        };
        for (index, (text, exact)) in aliases.iter().enumerate() {
            // Words of the text are hashed folded, so first words are too, exact aliases' included.
            let folded: String = text.chars().map(fold_char).collect();
            let Some(first) = folded.chars().next() else {
                return Err("an alias is empty".into());
            };
            let mut first_word_len = 0;
            if is_word_char(first) {
                let word: String = folded.chars().take_while(|&c| is_word_char(c)).collect();
                first_word_len = word.len();
                let hash = hash_bytes(word.as_bytes());
                let (slot, bit) = bloom_slot(hash);
                matcher.first_word_bits[slot] |= bit;
                matcher.by_first_word.entry(hash).or_default().push(index);
            } else {
                matcher.by_first_mark.entry(first).or_default().push(index);
            }
            matcher.aliases.push(Alias {
                text: if *exact { text.as_str() } else { &folded }.into(),
                exact: *exact,
                folded_ascii: !*exact && folded.is_ascii(),
                first_word_len,
            });
        }
        Ok(matcher)
    }

    /// Whole-word matches, leftmost first, the longest where several start at the same place,
    /// none overlapping one found before it.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        self.find_into(text, &mut found);
        found
    }

    /// `find`, into a reused buffer.
    pub fn find_into(&self, text: &str, found: &mut Vec<Found>) {
        found.clear();
        let bytes = text.as_bytes();
        // Byte and code-point offsets of the walk, and whether the code point before is a word
        // character. After a match the walk goes on from its end, so no match overlaps one
        // found before it.
        let (mut byte, mut point) = (0, 0);
        let mut after_word = false;
        while byte < bytes.len() {
            let start = (byte, point);
            let (c, len) = decode(text, byte);
            if !is_word_char(c) {
                if !after_word && !self.by_first_mark.is_empty() {
                    if let Some(candidates) = self.by_first_mark.get(&fold_char(c)) {
                        let at = At {
                            byte,
                            point,
                            word_bytes: 0,
                        };
                        if let Some(m) = self.longest_at(text, at, candidates) {
                            (byte, point, after_word) = m.resume();
                            found.push(m.found);
                            continue;
                        }
                    }
                }
                byte += len;
                point += 1;
                after_word = false;
                continue;
            }
            // A word starts here: hash it, folded, to its end. Runs of ASCII word bytes go
            // through a tight loop (folded by table, one code point per byte); other code
            // points are decoded.
            let mut hash = WordHash::default();
            loop {
                let run = byte;
                while let Some(&b) = bytes.get(byte) {
                    let folded = FOLDED_WORD_BYTE[b as usize];
                    if folded == 0 {
                        break;
                    }
                    hash.push(folded);
                    byte += 1;
                }
                point += byte - run;
                if bytes.get(byte).is_none_or(u8::is_ascii) {
                    break;
                }
                let (c, len) = decode(text, byte);
                let folded = fold_char(c);
                if !is_word_char(folded) {
                    break;
                }
                let mut utf8 = [0; 4];
                for &b in folded.encode_utf8(&mut utf8).as_bytes() {
                    hash.push(b);
                }
                byte += len;
                point += 1;
            }
            after_word = true;
            let hash = hash.finish();
            let (slot, bit) = bloom_slot(hash);
            if self.first_word_bits[slot] & bit == 0 {
                continue;
            }
            if let Some(candidates) = self.by_first_word.get(&hash) {
                let at = At {
                    byte: start.0,
                    point: start.1,
                    word_bytes: byte - start.0,
                };
                if let Some(m) = self.longest_at(text, at, candidates) {
                    (byte, point, after_word) = m.resume();
                    found.push(m.found);
                }
            }
        }
    }

    /// The longest of `candidates` that matches as a whole word at `(byte, point)`, a place
    /// where a match may start.
    fn longest_at(&self, text: &str, at: At, candidates: &[usize]) -> Option<Match> {
        let mut best: Option<Match> = None;
        for &alias in candidates {
            let Some(m) = self.match_at(text, at, alias) else {
                continue;
            };
            if best.is_none_or(|b| m.found.end > b.found.end) {
                best = Some(m);
            }
        }
        best
    }

    /// Whether alias `index` matches as a whole word at `at`.
    fn match_at(&self, text: &str, at: At, index: usize) -> Option<Match> {
        let alias = &self.aliases[index];
        let (byte, point) = (at.byte, at.point);
        let hay = &text.as_bytes()[byte..];
        let pattern = alias.text.as_bytes();
        // Most candidates fail a few bytes in: tell by bytes where bytes can. As written, equal
        // code points are equal bytes.
        if alias.exact && !hay.starts_with(pattern) {
            return None;
        }
        // Folded, an ASCII alias's bytes equal the folded text's while the text is ASCII. A
        // text word as long in bytes as the alias's first word (whose hash it has) is ASCII,
        // so the bytes after it align and are compared first ("the Kremlin" at "the
        // president").
        if alias.folded_ascii && at.word_bytes == alias.first_word_len {
            let first = alias.first_word_len;
            let mut ascii = true;
            for i in (first..pattern.len()).chain(0..first) {
                match hay.get(i) {
                    Some(&b) if b.is_ascii() => {
                        if fold_char(char::from(b)) as u8 != pattern[i] {
                            return None;
                        }
                    }
                    Some(_) => {
                        ascii = false;
                        break;
                    }
                    None => return None,
                }
            }
            if ascii {
                // Matched byte for byte: one code point per byte.
                let n = pattern.len();
                let end_byte = byte + n;
                let next_is_word = end_byte < text.len() && is_word_char(decode(text, end_byte).0);
                return (!next_is_word).then_some(Match {
                    found: Found {
                        alias: index,
                        start: point,
                        end: point + n,
                    },
                    end_byte,
                    ends_in_word: IS_WORD_BYTE[pattern[n - 1] as usize],
                });
            }
        }
        let mut rest = text[byte..].chars();
        let mut length = 0;
        let mut last = ' ';
        for expected in alias.text.chars() {
            let c = rest.next()?;
            let c = if alias.exact { c } else { fold_char(c) };
            if c != expected {
                return None;
            }
            length += 1;
            last = c;
        }
        if rest.clone().next().is_some_and(is_word_char) {
            return None; // ends inside a word
        }
        Some(Match {
            found: Found {
                alias: index,
                start: point,
                end: point + length,
            },
            end_byte: text.len() - rest.as_str().len(),
            ends_in_word: is_word_char(last),
        })
    }
}

/// Where a match may start: byte and code-point offsets, and the bytes of the text's word
/// there (0 at a punctuation mark).
#[derive(Clone, Copy)]
struct At {
    byte: usize,
    point: usize,
    word_bytes: usize,
}

#[derive(Clone, Copy)]
struct Match {
    found: Found,
    end_byte: usize,
    ends_in_word: bool,
}

impl Match {
    /// Where the walk goes on: byte, code point, and whether after a word character.
    fn resume(&self) -> (usize, usize, bool) {
        (self.end_byte, self.found.end, self.ends_in_word)
    }
}

/// The code point at `byte` (a boundary, before the end) and its length in bytes.
#[inline]
fn decode(text: &str, byte: usize) -> (char, usize) {
    let b = text.as_bytes()[byte];
    if b.is_ascii() {
        return (char::from(b), 1);
    }
    let c = text[byte..].chars().next().unwrap_or('\u{FFFD}');
    (c, c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(aliases: &[(&str, bool)], text: &str) -> Vec<(usize, usize, usize)> {
        let aliases: Vec<(String, bool)> = aliases.iter().map(|&(a, e)| (a.into(), e)).collect();
        AliasMatcher::new(&aliases)
            .unwrap()
            .find(text)
            .iter()
            .map(|f| (f.alias, f.start, f.end))
            .collect()
    }

    #[test]
    fn whole_words_in_any_case_longest_first() {
        let aliases = [("Kremlin", false), ("the Kremlin", false), ("US", true)];
        assert_eq!(
            spans(&aliases, "THE KREMLIN and us, US; Kremlinology"),
            [(1, 0, 11), (2, 20, 22)]
        );
    }

    #[test]
    fn code_point_offsets_and_folded_non_ascii() {
        let aliases = [("Türkiye", false), ("Kyiv", false)];
        assert_eq!(
            spans(&aliases, "“TÜRKIYE” backs Kyiv’s line"),
            [(0, 1, 8), (1, 16, 20)]
        );
    }

    #[test]
    fn aliases_opening_with_punctuation() {
        let aliases = [("#MeToo", false), ("U.S.", false)];
        assert_eq!(
            spans(&aliases, "#metoo and U.S.-led, but not x#MeToo"),
            [(0, 0, 6), (1, 11, 15)]
        );
    }

    #[test]
    fn curly_apostrophes_fold_to_straight_ones() {
        let aliases = [("Xi's government", false), ("Xi", false)];
        assert_eq!(
            spans(&aliases, "XI’S GOVERNMENT and Xi’s team"),
            [(0, 0, 15), (1, 20, 22)]
        );
    }

    #[test]
    fn empty_aliases_are_refused() {
        assert!(AliasMatcher::new(&[(String::new(), false)]).is_err());
    }
}
