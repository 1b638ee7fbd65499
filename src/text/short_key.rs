//! Short texts packed into one integer, so that hash lookups of words compare integers instead
//! of calling memcmp: most words and stems are under 15 bytes.

/// Bytes of text that fit in a key beside its tag and length.
const MAX_LEN: usize = 14;

/// `text` (at most 14 bytes) with a tag (e.g. a language) and its length, as one `u128`.
pub fn short_key(tag: u8, text: &str) -> Option<u128> {
    short_key_of_bytes(tag, text.as_bytes())
}

/// `short_key` of raw bytes.
pub fn short_key_of_bytes(tag: u8, bytes: &[u8]) -> Option<u128> {
    if bytes.len() > MAX_LEN {
        return None;
    }
    let text = packed(bytes);
    Some(text | u128::from(tag) << 112 | (bytes.len() as u128) << 120)
}

/// `short_key` (tag 0) of ASCII `bytes` lowercased, without a copy: `None` for text that is
/// not ASCII or too long.
pub fn ascii_lowercase_key(bytes: &[u8]) -> Option<u128> {
    if bytes.len() > MAX_LEN || !bytes.is_ascii() {
        return None;
    }
    let text = packed(bytes);
    let lower = u128::from(ascii_lowercase(text as u64))
        | u128::from(ascii_lowercase((text >> 64) as u64)) << 64;
    Some(lower | (bytes.len() as u128) << 120)
}

/// Up to 16 bytes as one integer, the first in the lowest byte: at most two 8-byte loads (a
/// word of 8 to 16 bytes as two overlapping ones), since shifting byte by byte, or a copy of a
/// variable length (a call to memcpy), costs more for every word of every statement.
pub fn packed(bytes: &[u8]) -> u128 {
    let n = bytes.len();
    assert!(n <= 16, "packed takes at most 16 bytes");
    let load8 = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let load4 = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4]));
    match n {
        // The second load ends at the last byte; its first 16 − n bytes are the first load's.
        9..=16 => u128::from(load8(0)) | u128::from(load8(n - 8) >> (8 * (16 - n))) << 64,
        8 => u128::from(load8(0)),
        5..=7 => u128::from(load4(0)) | u128::from(load4(n - 4) >> (8 * (8 - n))) << 32,
        4 => u128::from(load4(0)),
        // "of", "the": the first, middle and last bytes (some the same one) in their places.
        1..=3 => {
            let byte = |i: usize| u128::from(bytes[i]);
            byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1))
        }
        _ => 0,
    }
}

/// ASCII letters of a packed integer (bytes below 0x80, as `packed` gives them of ASCII text)
/// lowercased all at once: a byte from 'A' to 'Z' gains 0x20.
pub fn ascii_lowercase(packed: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Byte by byte, with no carry between bytes (all below 0x80): bit 7 of `from_a` is set
    // from 'A' up, that of `past_z` from '[' up.
    let from_a = packed + ONES * (0x80 - u64::from(b'A'));
    let past_z = packed + ONES * (0x80 - u64::from(b'Z') - 1);
    packed | (from_a & !past_z & (ONES * 0x80)) >> 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tell_texts_tags_and_lengths_apart() {
        assert_ne!(short_key(0, "war"), short_key(1, "war"));
        assert_ne!(short_key(0, "war"), short_key(0, "war\0"));
        assert_ne!(short_key(0, "war"), short_key(0, "wars"));
        assert_eq!(short_key(0, "war"), short_key(0, "war"));
        assert!(short_key(0, "internationalism").is_none());
    }

    #[test]
    fn packing_is_the_bytes_in_order_whatever_the_length() {
        let text = "Kyiv’s envoy, 2026: «ok» and a longer tail";
        for start in 0..8 {
            for n in 0..=16 {
                let bytes = &text.as_bytes()[start..start + n];
                let by_byte = bytes
                    .iter()
                    .enumerate()
                    .fold(0u128, |key, (i, &b)| key | u128::from(b) << (8 * i));
                assert_eq!(packed(bytes), by_byte, "{bytes:?}");
            }
        }
    }

    #[test]
    fn lowercase_keys_are_the_keys_of_the_lowercased_text() {
        for text in [
            "Kremlin",
            "the KREMLIN",
            "us",
            "A",
            "",
            "Hamas_2026 x",
            "fourteen bytes",
        ] {
            let lower = text.to_ascii_lowercase();
            assert_eq!(
                ascii_lowercase_key(text.as_bytes()),
                short_key(0, &lower),
                "{text}"
            );
        }
        assert_eq!(ascii_lowercase_key("fifteen letters".as_bytes()), None);
        assert_eq!(ascii_lowercase_key("Кремль".as_bytes()), None);
    }

    #[test]
    fn ascii_lowercasing_touches_capital_letters_alone() {
        let all: Vec<u8> = (1..0x80).collect();
        for chunk in all.chunks(8) {
            let lowered = ascii_lowercase(packed(chunk) as u64);
            let expected: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(lowered, packed(&expected) as u64, "{chunk:?}");
        }
    }
}
