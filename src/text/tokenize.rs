//! Unicode-aware tokenization: words, #hashtags, @mentions, URLs and numbers, with code-point spans.

use crate::parties::{is_word_char, IS_WORD_BYTE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Hashtag,
    Mention,
    Url,
    Number,
}

/// A token as it stands in the text: its kind and where it is (code points and bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut Vec::new(), &mut tokens);
    tokens
}

/// `tokenize` into reused buffers: `chars` is scratch space, `tokens` receives the tokens.
pub fn tokenize_into(text: &str, chars: &mut Vec<(usize, char)>, tokens: &mut Vec<Token>) {
    tokens.clear();
    if text.is_ascii() {
        tokenize_ascii(text.as_bytes(), tokens);
    } else {
        tokenize_chars(text, chars, tokens);
    }
}

/// The tokenizer for ASCII text, where bytes are code points: the same rules as
/// `tokenize_chars`, on bytes, with one table look-up per byte.
fn tokenize_ascii(bytes: &[u8], tokens: &mut Vec<Token>) {
    let is_word_at = |i: usize| i < bytes.len() && IS_WORD_BYTE[bytes[i] as usize];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let after_word = i > 0 && IS_WORD_BYTE[bytes[i - 1] as usize];
        let kind = if IS_WORD_BYTE[b as usize] {
            if !after_word && matches!(b, b'h' | b'H' | b'w' | b'W') && starts_url(&bytes[i..]) {
                // Whitespace as `char::is_whitespace` has it in ASCII: tab to carriage return, space.
                while i < bytes.len() && !matches!(bytes[i], b'\t'..=b'\r' | b' ') {
                    i += 1;
                }
                Kind::Url
            } else {
                let mut digits_only = true;
                loop {
                    while is_word_at(i) {
                        digits_only &= bytes[i].is_ascii_digit();
                        i += 1;
                    }
                    let joins = i < bytes.len()
                        && (bytes[i] == b'\'' || (digits_only && matches!(bytes[i], b'.' | b',')));
                    let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                    if joins
                        && is_word_at(i + 1)
                        && (!digits_only || next_is_digit || bytes[i] == b'\'')
                    {
                        i += 1;
                        continue;
                    }
                    break;
                }
                if digits_only {
                    Kind::Number
                } else {
                    Kind::Word
                }
            }
        } else if (b == b'#' || b == b'@') && is_word_at(i + 1) && !after_word {
            i += 1;
            while is_word_at(i) {
                i += 1;
            }
            if b == b'#' {
                Kind::Hashtag
            } else {
                Kind::Mention
            }
        } else {
            i += 1;
            continue;
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
            byte_start: start,
            byte_end: i,
        });
    }
}

/// The tokenizer for any text, over its code points.
fn tokenize_chars(text: &str, chars: &mut Vec<(usize, char)>, tokens: &mut Vec<Token>) {
    chars.clear();
    chars.extend(text.char_indices());
    let chars = &chars[..];
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let is_word_at = |i: usize| chars.get(i).is_some_and(|&(_, c)| is_word_char(c));
    let mut i = 0;
    while i < chars.len() {
        let (byte, c) = chars[i];
        let start = i;
        let after_word = i > 0 && is_word_char(chars[i - 1].1);
        let rest = &text[byte..];
        let kind =
            if !after_word && matches!(c, 'h' | 'H' | 'w' | 'W') && starts_url(rest.as_bytes()) {
                while i < chars.len() && !chars[i].1.is_whitespace() {
                    i += 1;
                }
                Kind::Url
            } else if (c == '#' || c == '@') && is_word_at(i + 1) && !after_word {
                i += 1;
                while is_word_at(i) {
                    i += 1;
                }
                if c == '#' {
                    Kind::Hashtag
                } else {
                    Kind::Mention
                }
            } else if is_word_char(c) {
                let mut digits_only = true;
                loop {
                    while is_word_at(i) {
                        digits_only &= chars[i].1.is_ascii_digit();
                        i += 1;
                    }
                    // Keep "didn't" and "Sana'a" whole, and "1,200" or "3.5" as one number.
                    let joins = chars.get(i).is_some_and(|&(_, c)| {
                        is_apostrophe(c) || (digits_only && (c == '.' || c == ','))
                    });
                    let next_is_digit = chars.get(i + 1).is_some_and(|&(_, c)| c.is_ascii_digit());
                    if joins
                        && is_word_at(i + 1)
                        && (!digits_only || next_is_digit || is_apostrophe(chars[i].1))
                    {
                        i += 1;
                        continue;
                    }
                    break;
                }
                if digits_only {
                    Kind::Number
                } else {
                    Kind::Word
                }
            } else {
                i += 1;
                continue;
            };
        tokens.push(Token {
            kind,
            start,
            end: i,
            byte_start: byte,
            byte_end: byte_at(i),
        });
    }
}

fn starts_url(rest: &[u8]) -> bool {
    // Bytes, not chars: only an ASCII prefix can match, and this looks at 8 bytes at most.
    let starts = |prefix: &str| {
        rest.len() >= prefix.len() && rest[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    starts("http://") || starts("https://") || starts("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, &text[t.byte_start..t.byte_end]))
            .collect()
    }

    #[test]
    fn words_hashtags_mentions_urls_numbers() {
        use Kind::*;
        assert_eq!(
            pieces("@user Kyiv didn't get 1,200 shells! #StandWithUkraine https://t.co/x1"),
            vec![
                (Mention, "@user"),
                (Word, "Kyiv"),
                (Word, "didn't"),
                (Word, "get"),
                (Number, "1,200"),
                (Word, "shells"),
                (Hashtag, "#StandWithUkraine"),
                (Url, "https://t.co/x1"),
            ]
        );
    }

    #[test]
    fn spans_are_code_points() {
        let tokens = tokenize("Ça, Türkiye");
        assert_eq!((tokens[1].start, tokens[1].end), (4, 11));
        assert_eq!(tokens[1].byte_end - tokens[1].byte_start, 8);
    }

    /// Every string over an alphabet of the characters the rules look at, up to length 5, and
    /// the corpus: the ASCII path finds the same tokens as the code-point path.
    #[test]
    fn ascii_texts_tokenize_as_code_points_do() {
        let both = |text: &str| {
            let (mut by_bytes, mut by_chars) = (Vec::new(), Vec::new());
            tokenize_ascii(text.as_bytes(), &mut by_bytes);
            tokenize_chars(text, &mut Vec::new(), &mut by_chars);
            assert_eq!(by_bytes, by_chars, "{text:?}");
        };
        let alphabet: Vec<char> = "aH1_'.,#@ \t\u{b}:/w-".chars().collect();
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            texts = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.iter().for_each(|t| both(t));
        }
        for url in [
            "see http://x.y/z now",
            "WWW.a.b\u{b}c",
            "xhttps://a b",
            "#www.x @1,2",
        ] {
            both(url);
        }
        let corpus = include_str!("../../labeled/train.jsonl");
        let ascii: Vec<&str> = corpus.lines().filter(|l| l.is_ascii()).collect();
        assert!(ascii.len() > 100);
        ascii.iter().for_each(|line| both(line));
    }

    #[test]
    fn hyphens_and_punctuation_split_words() {
        assert_eq!(
            pieces("pro-Russian, 'quoted'"),
            vec![
                (Kind::Word, "pro"),
                (Kind::Word, "Russian"),
                (Kind::Word, "quoted")
            ]
        );
    }
}
