//! Unicode-aware tokenization: words, #hashtags, @mentions, URLs and numbers, with code-point spans.

use crate::folding::{is_word_char, CodePoints, IS_WORD_BYTE};

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
    tokenize_into(text, &mut tokens);
    tokens
}

fn is_word(c: char) -> bool {
    if c.is_ascii() {
        IS_WORD_BYTE[c as usize]
    } else {
        is_word_char(c)
    }
}

/// `tokenize` into a reused buffer. It walks the bytes and decodes only non-ASCII code points
/// (news text is mostly ASCII); `tokenize_chars` in the tests states the same rules over code
/// points.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = text.as_bytes();
    // The code point at byte i, and its length in bytes.
    let char_at = |i: usize| -> Option<(char, usize)> {
        let &b = bytes.get(i)?;
        if b.is_ascii() {
            Some((b as char, 1))
        } else {
            text[i..].chars().next().map(|c| (c, c.len_utf8()))
        }
    };
    let word_at = |i: usize| char_at(i).is_some_and(|(c, _)| is_word(c));
    let word_before = |i: usize| match i.checked_sub(1).map(|j| bytes[j]) {
        None => false,
        Some(b) if b.is_ascii() => IS_WORD_BYTE[b as usize],
        Some(_) => text[..i].chars().next_back().is_some_and(is_word_char),
    };
    // Code-point offsets: counted forward from the last token.
    let mut code_points = CodePoints::new(text, text.is_ascii());
    let mut i = 0;
    while let Some((c, len)) = char_at(i) {
        let start = i;
        let kind = if is_word(c) {
            if matches!(c, 'h' | 'H' | 'w' | 'W') && starts_url(&bytes[i..]) && !word_before(i) {
                while let Some((c, len)) = char_at(i) {
                    if c.is_whitespace() {
                        break;
                    }
                    i += len;
                }
                Kind::Url
            } else {
                let mut digits_only = true;
                loop {
                    let run = i;
                    while let Some(&b) = bytes.get(i) {
                        // ASCII word bytes by table, in a tight loop; other code points decoded.
                        if IS_WORD_BYTE[b as usize] {
                            i += 1;
                        } else if b.is_ascii() {
                            break;
                        } else {
                            match char_at(i).filter(|&(c, _)| is_word_char(c)) {
                                Some((_, len)) => i += len,
                                None => break,
                            }
                        }
                    }
                    digits_only &= bytes[run..i].iter().all(u8::is_ascii_digit);
                    // Keep "didn't" and "Sana'a" whole, and "1,200" or "3.5" as one number.
                    let Some((c, len)) = char_at(i) else {
                        break;
                    };
                    let joins = is_apostrophe(c) || (digits_only && (c == '.' || c == ','));
                    let next_is_digit = char_at(i + len).is_some_and(|(c, _)| c.is_ascii_digit());
                    if joins
                        && word_at(i + len)
                        && (!digits_only || next_is_digit || is_apostrophe(c))
                    {
                        i += len;
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
        } else if (c == '#' || c == '@') && word_at(i + 1) && !word_before(i) {
            i += 1;
            while let Some((_, len)) = char_at(i).filter(|&(c, _)| is_word(c)) {
                i += len;
            }
            if c == '#' {
                Kind::Hashtag
            } else {
                Kind::Mention
            }
        } else {
            i += len;
            continue;
        };
        let start_point = code_points.at(start);
        tokens.push(Token {
            kind,
            start: start_point,
            end: code_points.at(i),
            byte_start: start,
            byte_end: i,
        });
    }
}

/// The tokenizer for any text, over its code points: the reference for `tokenize_into`.
#[cfg(test)]
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

    /// Every string over an alphabet of the characters the rules look at (ASCII and not), up
    /// to length 5, and the corpus: the byte tokenizer finds the tokens that the code-point
    /// reference finds.
    #[test]
    fn bytes_tokenize_as_code_points_do() {
        let both = |text: &str| {
            let (mut by_bytes, mut by_chars) = (Vec::new(), Vec::new());
            tokenize_into(text, &mut by_bytes);
            tokenize_chars(text, &mut Vec::new(), &mut by_chars);
            assert_eq!(by_bytes, by_chars, "{text:?}");
        };
        let alphabets = ["aH1_'.,#@ \t\u{b}:/w-", "a1'.,#’é٣“\u{a0}w"];
        for alphabet in alphabets {
            let alphabet: Vec<char> = alphabet.chars().collect();
            let mut texts = vec![String::new()];
            for _ in 0..5 {
                texts = texts
                    .iter()
                    .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                    .collect();
                texts.iter().for_each(|t| both(t));
            }
        }
        for text in [
            "see http://x.y/z now",
            "WWW.a.b\u{b}c",
            "xhttps://a b",
            "#www.x @1,2",
            "éhttp://a",
            "“www.x’s”\u{2003}Ça",
        ] {
            both(text);
        }
        let corpus = include_str!("../../labeled/train.jsonl");
        corpus.lines().for_each(both);
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
