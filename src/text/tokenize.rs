//! Unicode-aware tokenization: words, #hashtags, @mentions, URLs and numbers, with code-point spans.

use crate::parties::is_word_char;

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
    chars.clear();
    if text.is_ascii() {
        // One byte per code point: a plain loop, without decoding.
        chars.extend(text.bytes().enumerate().map(|(i, b)| (i, b as char)));
    } else {
        chars.extend(text.char_indices());
    }
    tokens.clear();
    let chars = &chars[..];
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let is_word_at = |i: usize| chars.get(i).is_some_and(|&(_, c)| is_word_char(c));
    let mut i = 0;
    while i < chars.len() {
        let (byte, c) = chars[i];
        let start = i;
        let after_word = i > 0 && is_word_char(chars[i - 1].1);
        let rest = &text[byte..];
        let kind = if !after_word && matches!(c, 'h' | 'H' | 'w' | 'W') && starts_url(rest) {
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

fn starts_url(rest: &str) -> bool {
    // Bytes, not chars: only an ASCII prefix can match, and this looks at 8 bytes at most.
    let starts = |prefix: &str| {
        rest.len() >= prefix.len()
            && rest.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
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
