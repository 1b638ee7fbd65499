//! Text helpers that the party registry, the alias matcher and the analyzer share: case folding
//! that keeps code-point offsets, what a word character is, whole-word search, spans sorted for
//! look-up, and byte-to-code-point offsets.

/// Lowercases one code point to one code point, so that offsets survive folding.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '`' => '\'',
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        // Russian writes ё as е more often than not: "Соединённые" and "Соединенные" are one word.
        'ё' | 'Ё' => 'е',
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

/// `f` of the folded `text`, without allocating when the text is short plain ASCII (a party's
/// name, asked for on every scored row).
pub fn with_folded<T>(text: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buffer = [0u8; 64];
    if text.len() <= buffer.len() && is_plain_ascii(text) {
        let folded = &mut buffer[..text.len()];
        folded.copy_from_slice(text.as_bytes());
        folded.make_ascii_lowercase();
        if let Ok(folded) = std::str::from_utf8(folded) {
            return f(folded);
        }
    }
    f(&fold(text))
}

/// ASCII without a backtick: folding it is ASCII lowercasing (one pass, no search call).
fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii() && b != b'`')
}

pub fn is_word_char(c: char) -> bool {
    // General punctuation (curly quotes, dashes), common in news, is never a word character:
    // told without the Unicode tables (test `general_punctuation_holds_no_word_character`).
    if ('\u{2000}'..='\u{206F}').contains(&c) {
        return false;
    }
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

/// Spans sorted by start, with the largest end so far at each position, so that the span
/// covering a token is found by binary search: a statement with millions of tokens and mentions
/// stays n log n.
#[derive(Default)]
pub struct SortedSpans {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl SortedSpans {
    pub fn new(spans: &[(usize, usize)]) -> Self {
        let mut sorted = SortedSpans::default();
        sorted.refill(spans);
        sorted
    }

    /// Holds `spans` instead, reusing the buffers.
    pub fn refill(&mut self, spans: &[(usize, usize)]) {
        self.spans.clear();
        self.spans.extend_from_slice(spans);
        self.spans.sort_unstable();
        self.max_end.clear();
        self.max_end.extend(self.spans.iter().scan(0, |m, &(_, e)| {
            *m = e.max(*m);
            Some(*m)
        }));
    }

    /// The earliest-starting span that overlaps `[start, end)`.
    #[inline]
    pub fn overlapping(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        // Most tokens lie before or after every span: told inline, at every token.
        match (self.spans.first(), self.max_end.last()) {
            (Some(&(first_start, _)), Some(&last_end)) if end > first_start && start < last_end => {
                self.search(start, end)
            }
            _ => None,
        }
    }

    #[inline(never)]
    fn search(&self, start: usize, end: usize) -> Option<(usize, usize)> {
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

/// Case-insensitive whole-word occurrences of `needle` in `text`, as code-point spans.
pub fn find_words(text: &str, needle: &str) -> Vec<(usize, usize)> {
    // Only four code points beyond ASCII fold into it (test `what_folds_into_ascii`): the
    // curly apostrophes, the Kelvin sign and dotted capital I. An ASCII needle is searched in
    // the text itself, then, unless one of them could be part of a match.
    if is_plain_ascii(needle) {
        let ascii = text.is_ascii();
        let apostrophe = needle.contains('\'');
        let searchable = if ascii {
            !apostrophe || !text.contains('`')
        } else {
            !apostrophe && !holds_k_or_i_sign(text)
        };
        if searchable {
            return find_ascii_words(text, ascii, needle.as_bytes());
        }
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

/// Code-point offsets of byte offsets asked in increasing order, each counted on from the one
/// before (in ASCII text, bytes are code points).
pub struct CodePoints<'a> {
    bytes: &'a [u8],
    ascii: bool,
    /// The last byte offset asked and its code-point offset.
    counted: (usize, usize),
}

impl<'a> CodePoints<'a> {
    /// `ascii`: whether `text.is_ascii()`, which the caller often knows already.
    pub fn new(text: &'a str, ascii: bool) -> Self {
        CodePoints {
            bytes: text.as_bytes(),
            ascii,
            counted: (0, 0),
        }
    }

    /// The code-point offset of byte offset `byte`, at or after the last one asked.
    pub fn at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let (from, before) = self.counted;
        let here = before
            + self.bytes[from..byte]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
        self.counted = (byte, here);
        here
    }
}

/// Whether the text holds the Kelvin sign or dotted capital I, which fold to ASCII letters.
fn holds_k_or_i_sign(text: &str) -> bool {
    let bytes = text.as_bytes();
    // By their first bytes, then the rest.
    memchr::memchr2_iter(0xC4, 0xE2, bytes).any(|i| {
        let rest = &bytes[i..];
        rest.starts_with("\u{130}".as_bytes()) || rest.starts_with("\u{212A}".as_bytes())
    })
}

/// `find_words` for an ASCII needle, jumping between places where its first letter stands (in
/// either case) instead of trying every position. Matches are ASCII, so they start and end on
/// code-point boundaries; their code-point offsets are counted only in texts beyond ASCII.
fn find_ascii_words(text: &str, ascii: bool, pat: &[u8]) -> Vec<(usize, usize)> {
    let hay = text.as_bytes();
    let mut spans = Vec::new();
    let Some(&first) = pat.first() else {
        return spans;
    };
    let word_before = |i: usize| match hay[i - 1] {
        b if b.is_ascii() => IS_WORD_BYTE[b as usize],
        _ => text[..i].chars().next_back().is_some_and(is_word_char),
    };
    let word_at = |i: usize| match hay[i] {
        b if b.is_ascii() => IS_WORD_BYTE[b as usize],
        _ => text[i..].chars().next().is_some_and(is_word_char),
    };
    let mut code_points = CodePoints::new(text, ascii);
    let mut next = 0;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for i in memchr::memchr2_iter(lower, upper, hay) {
        let end = i + pat.len();
        if end > hay.len() {
            break;
        }
        if i >= next
            && hay[i..end].eq_ignore_ascii_case(pat)
            && (i == 0 || !word_before(i))
            && (end == hay.len() || !word_at(end))
        {
            let start = code_points.at(i);
            spans.push((start, code_points.at(end)));
            next = end;
        }
    }
    spans
}
