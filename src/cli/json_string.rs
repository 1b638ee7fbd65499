//! JSON strings written as serde_json writes them, eight bytes at a time: a scored row is mostly
//! its statement's text, and most texts hold nothing to escape.

/// Appends `text` as a JSON string literal, escaped exactly as `serde_json` escapes it: `"`, `\`
/// and control characters; everything else as is.
pub fn write_json_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip whole words of bytes that need no escape.
        if let Some(word) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if let Some(escape) = escape_of(b) {
            out.extend_from_slice(&bytes[plain_from..i]);
            match escape {
                Escape::Short(c) => out.extend_from_slice(&[b'\\', c]),
                Escape::Unicode => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.extend_from_slice(&[HEX[(b >> 4) as usize], HEX[(b & 0xF) as usize]]);
                }
            }
            plain_from = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[plain_from..]);
    out.push(b'"');
}

/// Whether any of the eight bytes is `"`, `\` or below 0x20 (bit tricks: a byte is zero after
/// the xor, or borrows when 0x20 is taken from it; bytes from 0x80 never match).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    below_space || has_zero(word ^ (ONES * u64::from(b'"'))) || has_zero(word ^ (ONES * 0x5C))
}

enum Escape {
    Short(u8),
    Unicode,
}

fn escape_of(b: u8) -> Option<Escape> {
    Some(match b {
        b'"' => Escape::Short(b'"'),
        b'\\' => Escape::Short(b'\\'),
        0x08 => Escape::Short(b'b'),
        0x0C => Escape::Short(b'f'),
        b'\n' => Escape::Short(b'n'),
        b'\r' => Escape::Short(b'r'),
        b'\t' => Escape::Short(b't'),
        0x00..=0x1F => Escape::Unicode,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_serde_json_does() {
        let mut texts: Vec<String> = [
            "",
            "plain text of some length, no escapes at all here",
            "\"quoted\" and \\back\\slashed\\",
            "tabs\tnew\nlines\r\u{8}\u{c}\u{0}\u{1f}\u{7f} end",
            "Kyiv’s “allies” — 日本 and emoji 🙂, U+2028 \u{2028}",
            "exactly8",
            "seven!\"",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every byte below 0x80 at every offset in an eight-byte word.
        for b in 0u8..0x80 {
            for offset in 0..9 {
                let mut text = "a".repeat(offset);
                text.push(char::from(b));
                text.push_str("tail of text");
                texts.push(text);
            }
        }
        for text in &texts {
            let mut ours = Vec::new();
            write_json_str(&mut ours, text);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }
}
