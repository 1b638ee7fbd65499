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
    let text = packed(bytes.iter().copied());
    Some(text | u128::from(tag) << 112 | (bytes.len() as u128) << 120)
}

/// Up to 16 bytes as one integer, the first in the lowest byte. Shifted in byte by byte: a copy
/// into an array would call memcpy for these few bytes.
pub fn packed(bytes: impl Iterator<Item = u8>) -> u128 {
    bytes
        .enumerate()
        .fold(0, |key, (i, b)| key | u128::from(b) << (8 * i))
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
}
