//! The party registry: canonical names, aliases, and finding mentions of parties in text.
//!
//! Matching is case-insensitive on whole words and prefers the longest alias. Short all-capitals
//! aliases ("US", "UN", "PA", "EU") match only in capitals, because "us" is a pronoun.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::text::short_key::short_key;

/// The registry shipped in labeled/parties.toml, compiled into the binary.
pub const DEFAULT_REGISTRY: &str = include_str!("../labeled/parties.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Party {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Aliases that can also mean something else; still matched, but flagged to users.
    #[serde(default)]
    pub ambiguous: Vec<String>,
}

#[derive(Deserialize)]
struct RegistryFile {
    party: Vec<Party>,
}

/// A code-point range `[start, end)` in a text.
pub type Span = (usize, usize);

/// One mention of a party in a text, as code-point offsets (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub party: usize,
    pub start: usize,
    pub end: usize,
    pub ambiguous: bool,
}

pub struct Registry {
    parties: Vec<Party>,
    /// Folded (lowercased) alias → party index, for resolving names given by users.
    by_alias: HashMap<String, usize>,
    /// Aliases matched in the folded text, and all-capitals aliases matched as written.
    folded: Matcher,
    exact: Matcher,
}

/// One set of aliases, searched two ways (see `Registry::find_mentions`), and the party and
/// ambiguity of each alias.
struct Matcher {
    leftmost: AhoCorasick,
    overlapping: AhoCorasick,
    owner: Vec<(usize, bool)>,
    /// Every alias starts with two ASCII capitals (or a capital and a dot, "U.S."), so a text
    /// without such a pair holds none of them and is not searched.
    capital_pairs_only: bool,
    /// One word of every alias (see `key_word`) as a `short_key`, when every alias has one
    /// that fits a short key.
    key_words: Option<FxHashSet<u128>>,
    /// The longest key word, in bytes.
    longest_key_word: usize,
}

impl Matcher {
    fn new(patterns: &[String], owner: Vec<(usize, bool)>) -> std::result::Result<Self, String> {
        let build = |kind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(patterns)
                .map_err(|e| e.to_string())
        };
        let key_words: Vec<Option<&str>> = patterns.iter().map(|p| key_word(p)).collect();
        Ok(Matcher {
            leftmost: build(MatchKind::LeftmostLongest)?,
            overlapping: build(MatchKind::Standard)?,
            owner,
            capital_pairs_only: patterns
                .iter()
                .all(|p| p.len() >= 2 && is_capital_pair(&p.as_bytes()[..2])),
            longest_key_word: key_words
                .iter()
                .flatten()
                .map(|w| w.len())
                .max()
                .unwrap_or(0),
            key_words: key_words
                .iter()
                .map(|w| w.and_then(|w| short_key(0, w)))
                .collect(),
        })
    }

    /// Whether any alias can occur in `text` (folded first when `folded`, as `fold` would) as
    /// a whole word; false only when none surely does.
    ///
    /// An alias matches as a whole word only where each of its words (runs of word characters)
    /// is also a whole word of the text: the characters around each word are non-word
    /// characters of the alias, repeated by the text, or the text's characters around the match,
    /// which a whole-word match requires to be non-word. So a text without any alias's key word
    /// holds no alias.
    fn may_occur_in(&self, text: &str, folded: bool) -> bool {
        if self.capital_pairs_only && !text.as_bytes().windows(2).any(is_capital_pair) {
            return false;
        }
        let Some(key_words) = &self.key_words else {
            return true;
        };
        // The current word's bytes (folded when `folded`, as `fold` would), while it is short
        // enough to be a key word; once its length is set, the buffer is the word's
        // `short_key` (key words fit one, tag 0).
        let mut word = [0u8; 16];
        let mut len = 0;
        let is_key = |word: &mut [u8; 16], len: usize| {
            let found = len <= self.longest_key_word && {
                word[15] = len as u8;
                key_words.contains(&u128::from_le_bytes(*word))
            };
            *word = [0; 16];
            found
        };
        // Bytes, decoding only non-ASCII code points: news text is mostly ASCII.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                i += 1;
                if IS_WORD_BYTE[b as usize] {
                    if len < self.longest_key_word {
                        word[len] = if folded { b.to_ascii_lowercase() } else { b };
                    }
                    len += 1;
                    continue;
                }
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                i += c.len_utf8();
                let c = if folded { fold_char(c) } else { c };
                if is_word_char(c) {
                    if len + c.len_utf8() <= self.longest_key_word {
                        c.encode_utf8(&mut word[len..]);
                    }
                    len += c.len_utf8();
                    continue;
                }
            }
            // A non-word character ends the word.
            if len > 0 {
                if is_key(&mut word, len) {
                    return true;
                }
                len = 0;
            }
        }
        len > 0 && is_key(&mut word, len)
    }
}

/// Two ASCII capitals, or a capital and a dot ("U.S."): how every acronym alias starts.
fn is_capital_pair(pair: &[u8]) -> bool {
    pair[0].is_ascii_uppercase() && (pair[1].is_ascii_uppercase() || pair[1] == b'.')
}

/// The longest (so, most likely, rarest) word of an alias: "kremlin" for "the kremlin";
/// `None` when the alias has no word characters.
fn key_word(alias: &str) -> Option<&str> {
    alias
        .split(|c: char| !is_word_char(c))
        .rev()
        .filter(|w| !w.is_empty())
        .max_by_key(|w| w.len())
}

/// Lowercases one code point to one code point, so that offsets survive folding.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '`' => '\'',
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends the folded `text` to `out`. Runs of plain ASCII, most of news text even around a
/// curly quote, are copied and lowercased whole; only the other code points are decoded.
pub fn fold_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest
            .bytes()
            .position(|b| !b.is_ascii() || b == b'`')
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..plain]);
        out[start..].make_ascii_lowercase();
        let mut chars = rest[plain..].chars();
        if let Some(c) = chars.next() {
            out.push(fold_char(c));
        }
        rest = chars.as_str();
    }
}

/// ASCII without a backtick: folding it is ASCII lowercasing (one pass, no search call).
fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii() && b != b'`')
}

fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|&c| c != '.').collect();
    letters.len() <= 4 && letters.iter().all(|c| c.is_uppercase())
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `is_word_char` of each ASCII byte, by table: ASCII letters, digits and '_'.
pub const IS_WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

impl Registry {
    pub fn default_registry() -> Self {
        // The embedded registry is checked by the test suite; failing here is a build defect.
        Self::from_toml(DEFAULT_REGISTRY, "labeled/parties.toml")
            .unwrap_or_else(|e| panic!("embedded party registry is invalid: {e}"))
    }

    pub fn from_toml(source: &str, origin: &str) -> Result<Self> {
        let file: RegistryFile =
            toml::from_str(source).map_err(|e| Error::file(origin, e.to_string()))?;
        Self::new(file.party).map_err(|m| Error::file(origin, m))
    }

    pub fn new(parties: Vec<Party>) -> std::result::Result<Self, String> {
        let mut by_alias: HashMap<String, usize> = HashMap::default();
        let (mut folded_patterns, mut folded_owner) = (Vec::new(), Vec::new());
        let (mut exact_patterns, mut exact_owner) = (Vec::new(), Vec::new());
        for (index, party) in parties.iter().enumerate() {
            for alias in std::iter::once(&party.name).chain(&party.aliases) {
                let key = fold(alias);
                if let Some(&other) = by_alias.get(&key) {
                    if other != index {
                        return Err(format!(
                            "alias {alias:?} belongs to both {} and {}",
                            parties[other].name, parties[index].name
                        ));
                    }
                }
                by_alias.insert(key.clone(), index);
                let ambiguous = party.ambiguous.iter().any(|a| fold(a) == key);
                if is_acronym(alias) {
                    exact_patterns.push(alias.clone());
                    exact_owner.push((index, ambiguous));
                } else {
                    folded_patterns.push(key);
                    folded_owner.push((index, ambiguous));
                }
            }
        }
        Ok(Registry {
            folded: Matcher::new(&folded_patterns, folded_owner)?,
            exact: Matcher::new(&exact_patterns, exact_owner)?,
            parties,
            by_alias,
        })
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// The party a user-given name or alias stands for, in any case.
    pub fn resolve(&self, name: &str) -> Option<&Party> {
        self.by_alias
            .get(&fold(name.trim()))
            .map(|&i| &self.parties[i])
    }

    /// The canonical name for a target: the party's name if registered, else the name as given.
    pub fn canonical(&self, target: &str) -> String {
        match self.resolve(target) {
            Some(party) => party.name.clone(),
            None => target.trim().to_string(),
        }
    }

    /// All mentions of registered parties, leftmost-longest, never overlapping.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        // Most statements name no registered party: tell cheaply, before folding the text.
        let searched = [
            self.folded.may_occur_in(text, true),
            self.exact.may_occur_in(text, false),
        ];
        self.search_mentions(text, searched)
    }

    /// `mentions`, searching the folded aliases and the exact ones as `searched` says.
    fn search_mentions(&self, text: &str, searched: [bool; 2]) -> Vec<Mention> {
        if searched == [false, false] {
            return Vec::new();
        }
        let folded = fold(text);
        if text.is_ascii() {
            // One byte per code point (folding keeps ASCII ASCII): offsets need no mapping.
            let bytes = folded.as_bytes();
            let word_at = |i: usize| is_word_char(bytes[i] as char);
            self.find_mentions(
                [&folded, text],
                searched,
                bytes.len(),
                |_, byte| byte,
                word_at,
            )
        } else {
            let chars: Vec<char> = folded.chars().collect();
            let points = [CodePoints::new(&folded), CodePoints::new(text)];
            let word_at = |i: usize| is_word_char(chars[i]);
            let map = |hay: usize, byte: usize| points[hay].at(byte);
            self.find_mentions([&folded, text], searched, chars.len(), map, word_at)
        }
    }

    /// Whole-word matches of the folded aliases in `hays[0]` (the folded text) and of the exact
    /// ones in `hays[1]` (the text), each searched only if `searched` says so; `map(hay, byte)`
    /// turns byte offsets into code points, `word_at(i)` tells whether code point i is a word
    /// character.
    fn find_mentions(
        &self,
        hays: [&str; 2],
        searched: [bool; 2],
        n_chars: usize,
        map: impl Fn(usize, usize) -> usize,
        word_at: impl Fn(usize) -> bool,
    ) -> Vec<Mention> {
        let matchers = [&self.folded, &self.exact];
        let mut found = Vec::new();
        // Fast path: leftmost-longest search. Its matches are the answer when all are whole
        // words and none overlap another; otherwise a rejected or overlapping match may hide a
        // shorter one, so all overlapping matches are searched.
        let mut all_whole_words = true;
        for (hay, (text, matcher)) in hays.iter().zip(matchers).enumerate() {
            if !searched[hay] {
                continue;
            }
            for m in matcher.leftmost.find_iter(*text) {
                let (start, end) = (map(hay, m.start()), map(hay, m.end()));
                if !is_whole_word(start, end, n_chars, &word_at) {
                    all_whole_words = false;
                    break;
                }
                found.push(mention(&matcher.owner, m.pattern().as_usize(), start, end));
            }
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        if all_whole_words && found.windows(2).all(|w| w[0].end <= w[1].start) {
            return found;
        }
        found.clear();
        for (hay, (text, matcher)) in hays.iter().zip(matchers).enumerate() {
            if !searched[hay] {
                continue;
            }
            for m in matcher.overlapping.find_overlapping_iter(*text) {
                let (start, end) = (map(hay, m.start()), map(hay, m.end()));
                if is_whole_word(start, end, n_chars, &word_at) {
                    found.push(mention(&matcher.owner, m.pattern().as_usize(), start, end));
                }
            }
        }
        // Leftmost first, longest first at the same start; drop whatever overlaps a kept one.
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Mention> = Vec::new();
        for m in found {
            if kept.last().is_none_or(|last| m.start >= last.end) {
                kept.push(m);
            }
        }
        kept
    }

    /// Spans of the target (as given, or found by `target_spans`) and of every other registered
    /// party mentioned in `text`.
    pub fn spans(
        &self,
        text: &str,
        target: &str,
        given: Option<&[(usize, usize)]>,
    ) -> (Vec<Span>, Vec<Span>) {
        let party = self.by_alias.get(&fold(target.trim())).copied();
        let mentions = self.mentions(text);
        let target_spans = match given {
            Some(spans) => spans.to_vec(),
            None => match party {
                Some(p) => mentions
                    .iter()
                    .filter(|m| m.party == p)
                    .map(|m| (m.start, m.end))
                    .collect(),
                None => find_words(text, target.trim()),
            },
        };
        let sorted_targets = SortedSpans::new(&target_spans);
        let overlaps_target = |m: &Mention| sorted_targets.overlapping(m.start, m.end).is_some();
        let others = mentions
            .iter()
            .filter(|m| Some(m.party) != party && !overlaps_target(m))
            .map(|m| (m.start, m.end))
            .collect();
        (target_spans, others)
    }

    /// Spans of `target` in `text`: the registered party's aliases, or the target's own words.
    pub fn target_spans(&self, text: &str, target: &str) -> Vec<(usize, usize)> {
        match self.by_alias.get(&fold(target.trim())) {
            Some(&party) => self
                .mentions(text)
                .into_iter()
                .filter(|m| m.party == party)
                .map(|m| (m.start, m.end))
                .collect(),
            None => find_words(text, target.trim()),
        }
    }
}

fn is_whole_word(
    start: usize,
    end: usize,
    n_chars: usize,
    word_at: impl Fn(usize) -> bool,
) -> bool {
    (start == 0 || !word_at(start - 1)) && (end == n_chars || !word_at(end))
}

fn mention(owner: &[(usize, bool)], pattern: usize, start: usize, end: usize) -> Mention {
    let (party, ambiguous) = owner[pattern];
    Mention {
        party,
        start,
        end,
        ambiguous,
    }
}

/// Spans sorted by start, with the largest end so far at each position, so that the span
/// covering a token is found by binary search: a statement with millions of tokens and mentions
/// stays n log n.
pub struct SortedSpans {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl SortedSpans {
    pub fn new(spans: &[(usize, usize)]) -> Self {
        let mut spans = spans.to_vec();
        spans.sort_unstable();
        let max_end = spans
            .iter()
            .scan(0, |m, &(_, e)| {
                *m = e.max(*m);
                Some(*m)
            })
            .collect();
        SortedSpans { spans, max_end }
    }

    /// The earliest-starting span that overlaps `[start, end)`.
    pub fn overlapping(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        // Most tokens lie before or after every span.
        match (self.spans.first(), self.max_end.last()) {
            (Some(&(first_start, _)), Some(&last_end)) if end > first_start && start < last_end => {
            }
            _ => return None,
        }
        // Spans starting before the token overlap it only if they end after its start.
        let before = self.spans.partition_point(|&(s, _)| s < start);
        let first_reaching = self.max_end[..before].partition_point(|&m| m <= start);
        let earlier = self.spans[first_reaching..before]
            .iter()
            .copied()
            .find(|&(_, e)| e > start);
        earlier.or_else(|| {
            self.spans[before..]
                .iter()
                .copied()
                .take_while(|&(s, _)| s < end)
                .find(|&(_, e)| e > start)
        })
    }
}

/// Code-point offsets of byte offsets in a text, counted from the last offset asked for:
/// matches come nearly in order, so each costs the distance from the one before, and the text
/// needs no table of all its bytes.
struct CodePoints<'a> {
    bytes: &'a [u8],
    /// The last byte offset asked for, and its code point.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> CodePoints<'a> {
    fn new(text: &'a str) -> Self {
        CodePoints {
            bytes: text.as_bytes(),
            last: std::cell::Cell::new((0, 0)),
        }
    }

    /// The code point at `byte`, a code-point boundary (or the end).
    fn at(&self, byte: usize) -> usize {
        // Every byte but UTF-8 continuation bytes starts a code point.
        let starts = |range: &[u8]| range.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        let (from, point) = self.last.get();
        let here = if byte >= from {
            point + starts(&self.bytes[from..byte])
        } else {
            point - starts(&self.bytes[byte..from])
        };
        self.last.set((byte, here));
        here
    }
}

/// Case-insensitive whole-word occurrences of `needle` in `text`, as code-point spans.
pub fn find_words(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if is_plain_ascii(text) && is_plain_ascii(needle) {
        // Bytes are code points, and ASCII folding is ASCII lowercasing.
        return find_ascii_words(text.as_bytes(), needle.as_bytes());
    }
    // Folding maps each code point to one code point, and keeps word characters word
    // characters (see the test `folding_keeps_word_characters`), so occurrences in the folded
    // text are the answer, at the same code-point offsets.
    let (hay, pat) = (fold(text), fold(needle));
    let mut spans = Vec::new();
    if pat.is_empty() {
        return spans;
    }
    let finder = memchr::memmem::Finder::new(pat.as_bytes());
    let (mut from, mut chars_before) = (0, 0);
    let mut counted_to = 0;
    while let Some(found) = finder.find(&hay.as_bytes()[from..]) {
        let (start, end) = (from + found, from + found + pat.len());
        // UTF-8 is self-synchronizing: a match starts and ends on code-point boundaries.
        let whole = !hay[..start].chars().next_back().is_some_and(is_word_char)
            && !hay[end..].chars().next().is_some_and(is_word_char);
        if whole {
            chars_before += hay[counted_to..start].chars().count();
            let length = hay[start..end].chars().count();
            spans.push((chars_before, chars_before + length));
            chars_before += length;
            counted_to = end;
            from = end;
        } else {
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    spans
}

/// `find_words` for ASCII bytes, jumping between places where the needle's first letter
/// stands (in either case) instead of trying every position.
fn find_ascii_words(hay: &[u8], pat: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let Some(&first) = pat.first() else {
        return spans;
    };
    let is_word = |i: usize| is_word_char(hay[i] as char);
    let mut next = 0;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for i in memchr::memchr2_iter(lower, upper, hay) {
        let end = i + pat.len();
        if end > hay.len() {
            break;
        }
        if i >= next
            && hay[i..end].eq_ignore_ascii_case(pat)
            && (i == 0 || !is_word(i - 1))
            && (end == hay.len() || !is_word(end))
        {
            spans.push((i, end));
            next = end;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(registry: &Registry, text: &str) -> Vec<String> {
        registry
            .mentions(text)
            .iter()
            .map(|m| registry.parties()[m.party].name.clone())
            .collect()
    }

    #[test]
    fn embedded_registry_loads_and_has_the_core_parties() {
        let registry = Registry::default_registry();
        for name in [
            "Russia",
            "United States",
            "Israel",
            "Hamas",
            "Iran",
            "Ukraine",
            "NATO",
            "Hezbollah",
            "Ansarallah",
            "China",
            "European Union",
            "Syria",
        ] {
            assert!(registry.resolve(name).is_some(), "{name} missing");
        }
    }

    #[test]
    fn aliases_resolve_to_canonical_names() {
        let registry = Registry::default_registry();
        assert_eq!(registry.canonical("washington"), "United States");
        assert_eq!(registry.canonical("USA"), "United States");
        assert_eq!(registry.canonical("the Kremlin"), "Russia");
        assert_eq!(registry.canonical("Atheism"), "Atheism");
    }

    #[test]
    fn finds_aliases_on_whole_words_preferring_the_longest() {
        let registry = Registry::default_registry();
        let text = "The Kremlin accused Washington; Abbas Araghchi met Mahmoud Abbas.";
        assert_eq!(
            names(&registry, text),
            ["Russia", "United States", "Iran", "Palestinian Authority"]
        );
        // "Moscowitz" is not Moscow; "us" is not the United States.
        assert!(names(&registry, "Let us ask Mr Moscowitz.").is_empty());
        assert_eq!(
            names(&registry, "US and UN officials"),
            ["United States", "United Nations"]
        );
    }

    #[test]
    fn a_longer_alias_that_is_not_a_whole_word_leaves_the_shorter_one() {
        let party = |name: &str, aliases: &[&str]| Party {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ambiguous: Vec::new(),
        };
        let registry = Registry::new(vec![
            party("Gaza", &["Gaza Strip"]),
            party("Stripe", &["stripe"]),
        ])
        .unwrap();
        // "Gaza Strip" matches first and longest but ends inside "stripped".
        let mentions = registry.mentions("Gaza stripped of power, stripe");
        let spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(spans, [(0, 4), (24, 30)]);
    }

    #[test]
    fn skipping_texts_without_key_words_loses_no_mention() {
        let registry = Registry::default_registry();
        let corpus =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/labeled/train.jsonl"))
                .unwrap();
        let mut texts: Vec<String> = corpus
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        texts.extend([
            "Kremlin's envoy met the White House's team".to_string(),
            "THE KREMLIN and the u.s. and the U.S. and UNITED STATES OF AMERICA".into(),
            "Ça va: Türkiye backs Kyiv; the Kremlin’s “line” and U.S.-led talks".into(),
            "Moscowitz, Trumpism, Whitehouse, Kremlinology".into(),
            // A key word right after a word longer than any key word.
            "Counterproductively, Russia said".into(),
            "UNCONSTITUTIONALLY NATO".into(),
        ]);
        let mut with_mentions = 0;
        for text in &texts {
            let all = registry.search_mentions(text, [true, true]);
            assert_eq!(registry.mentions(text), all, "{text}");
            with_mentions += usize::from(!all.is_empty());
        }
        assert!(
            with_mentions > texts.len() / 2,
            "{with_mentions} of {}",
            texts.len()
        );
    }

    #[test]
    fn folding_keeps_word_characters() {
        // `find_words` and the key-word check rely on it for every code point.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char(fold_char(c)), "{c:?}");
        }
    }

    #[test]
    fn folding_runs_is_folding_each_code_point() {
        for text in [
            "",
            "Plain ASCII, NATO`s",
            "Kyiv’s “allies” and İSTANBUL",
            "ÉLYSÉE",
            "日本`",
            "a’",
        ] {
            let by_char: String = text.chars().map(fold_char).collect();
            assert_eq!(fold(text), by_char, "{text:?}");
        }
    }

    #[test]
    fn code_points_of_byte_offsets_in_any_order() {
        let text = "Ça, “Türkiye” and 日本";
        let points = CodePoints::new(text);
        let expected = |byte: usize| text[..byte].chars().count();
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&b| text.is_char_boundary(b))
            .collect();
        for &byte in boundaries.iter().chain(boundaries.iter().rev()).step_by(3) {
            assert_eq!(points.at(byte), expected(byte), "byte {byte}");
        }
    }

    #[test]
    fn spans_are_code_point_offsets() {
        let registry = Registry::default_registry();
        let text = "Ça va: Türkiye backs Kyiv";
        let spans = registry.target_spans(text, "Turkey");
        assert_eq!(spans, vec![(7, 14)]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[7..14].iter().collect::<String>(), "Türkiye");
        assert_eq!(registry.target_spans(text, "Ukraine"), vec![(21, 25)]);
    }

    #[test]
    fn unregistered_targets_are_found_by_their_own_words() {
        let registry = Registry::default_registry();
        assert_eq!(
            registry.target_spans("I back hillary clinton, not Clintons", "Hillary Clinton"),
            vec![(7, 22)]
        );
        // Every case, whole words only, and the same spans as the general (non-ASCII) search.
        let text = "Cruz, cruz! CRUZ xcruz Cruzan Cruz";
        let ascii = find_words(text, "Cruz");
        assert_eq!(ascii, vec![(0, 4), (6, 10), (12, 16), (30, 34)]);
        assert!(find_words("Cr", "Cruz").is_empty());
        // The same search over code points, the slow way, on ASCII and other texts.
        let slow = |text: &str, needle: &str| {
            let hay: Vec<char> = text.chars().map(fold_char).collect();
            let pat: Vec<char> = needle.chars().map(fold_char).collect();
            let mut spans = Vec::new();
            let mut i = 0;
            while !pat.is_empty() && i + pat.len() <= hay.len() {
                let end = i + pat.len();
                let word = |j: usize| is_word_char(hay[j]);
                if hay[i..end] == pat[..]
                    && (i == 0 || !word(i - 1))
                    && (end == hay.len() || !word(end))
                {
                    spans.push((i, end));
                    i = end;
                } else {
                    i += 1;
                }
            }
            spans
        };
        for (text, needle) in [
            (text, "Cruz"),
            ("xa-a-a a-a", "a-a"),
            ("“Cruz” said Cruz’s aide, CRUZ—and ÇRUZ", "Cruz"),
            ("Beto O’Rourke and O'Rourke", "O'Rourke"),
            ("Türkiye, TÜRKIYE; türkiyem", "Türkiye"),
            ("ééé é", "é"),
            ("a", ""),
        ] {
            assert_eq!(
                find_words(text, needle),
                slow(text, needle),
                "{text} / {needle}"
            );
        }
    }
}
