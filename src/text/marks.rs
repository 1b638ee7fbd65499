//! Small word lists and rules behind the target-aware marks: clause boundaries, negation cues,
//! context distance bands, and character n-grams.

use super::{Family, CHAR_NGRAM_PREFIX};

/// Punctuation between two tokens that ends a clause.
pub fn ends_clause(between: &str) -> bool {
    // Most tokens are one space after the one before.
    between != " "
        && between.chars().any(|c| {
            matches!(
                c,
                ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '—' | '–' | '"' | '“' | '”'
            )
        })
}

/// Words that open a new clause, contrasting or subordinating the one before.
pub fn opens_clause(word: &str) -> bool {
    const OPENERS: [&str; 9] = [
        "but",
        "while",
        "whereas",
        "although",
        "though",
        "however",
        "yet",
        "meanwhile",
        "despite",
    ];
    // Most words are too short, too long or start with another letter.
    (3..=9).contains(&word.len())
        && matches!(
            word.as_bytes()[0] | 0x20,
            b'b' | b'w' | b'a' | b't' | b'h' | b'y' | b'm' | b'd'
        )
        && OPENERS.iter().any(|o| o.eq_ignore_ascii_case(word))
}

/// Negation cues: their scope runs from the next term to the end of the clause. Rejections
/// count: "rejected calls to isolate Damascus" denies the isolating, as "did not" would.
#[rustfmt::skip] // one line of words, not one word a line
pub fn is_negation(word: &str) -> bool {
    let ends_in_nt = |suffix: &str| {
        word.len() > suffix.len()
            && word.is_char_boundary(word.len() - suffix.len())
            && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let ends_in_t = word.as_bytes().last().is_some_and(|b| b | 0x20 == b't');
    if ends_in_t && (ends_in_nt("n't") || ends_in_nt("n’t")) {
        return true;
    }
    let Some(lower) = ShortLower::<9>::new(word) else {
        return is_russian_negation(word);
    };
    matches!(
        lower.bytes(),
        b"not" | b"no" | b"never" | b"without" | b"nor" | b"neither" | b"none" | b"nobody"
            | b"nothing" | b"cannot" | b"refused" | b"refuses" | b"declined" | b"failed"
            | b"rejected" | b"rejects" | b"dismissed" | b"dismisses" | b"rebuffed" | b"refuted"
    )
}

/// Russian negation cues: не, ни, нет, без, and refusals and rejections, as in English.
fn is_russian_negation(word: &str) -> bool {
    const CUES: [&str; 14] = [
        "не",
        "ни",
        "нет",
        "без",
        "никогда",
        "отказался",
        "отказалась",
        "отказались",
        "отказалось",
        "отверг",
        "отвергла",
        "отвергли",
        "отклонил",
        "отклонили",
    ];
    !word.is_ascii()
        && CUES
            .iter()
            .any(|cue| cue.chars().eq(word.chars().flat_map(char::to_lowercase)))
}

/// A short word lowercased on the stack, for matching against word lists: `matches!` on its
/// bytes lets the compiler dispatch on length and bytes, with no loop of comparisons.
pub struct ShortLower<const N: usize> {
    buffer: [u8; N],
    len: usize,
}

impl<const N: usize> ShortLower<N> {
    /// `None` for words over N bytes or not ASCII (no word list here holds such a word).
    pub fn new(word: &str) -> Option<Self> {
        let bytes = word.as_bytes();
        if bytes.len() > N || !bytes.is_ascii() {
            return None;
        }
        let mut buffer = [0u8; N];
        buffer[..bytes.len()].copy_from_slice(bytes);
        buffer.make_ascii_lowercase();
        Some(ShortLower {
            buffer,
            len: bytes.len(),
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

/// Context family by side and distance band: 1, 2–3, 4 and beyond.
pub fn context_family(left: bool, distance: usize) -> Family {
    match (left, distance) {
        (true, 0..=1) => Family::Left1,
        (true, 2..=3) => Family::Left2,
        (true, _) => Family::Left4,
        (false, 0..=1) => Family::Right1,
        (false, 2..=3) => Family::Right2,
        (false, _) => Family::Right4,
    }
}

/// Character n-grams of " term ", lengths `min..=max`, as `c:` features.
pub fn char_ngrams(
    term: &str,
    min: usize,
    max: usize,
    buffer: &mut String,
    mut emit: impl FnMut(&str),
) {
    let padded: Vec<char> = std::iter::once(' ')
        .chain(term.chars())
        .chain(std::iter::once(' '))
        .collect();
    for start in 0..padded.len() {
        for n in min.max(1)..=max.min(padded.len() - start) {
            buffer.clear();
            buffer.push_str(CHAR_NGRAM_PREFIX);
            buffer.extend(&padded[start..start + n]);
            emit(buffer);
        }
    }
}
