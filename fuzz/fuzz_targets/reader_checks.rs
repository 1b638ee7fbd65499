//! What every reader target asserts: decoding and parsing errors name the file first, and every
//! row read is one a user could score (non-empty text, spans inside it, labels when asked for).

use stance::data::{self, Example, Need};

/// The file's text, or `None` after checking the decoding error.
pub fn decode(name: &str, bytes: &[u8]) -> Option<String> {
    match data::decode(name, bytes) {
        Ok(content) => Some(content),
        Err(e) => {
            check_error(name, e);
            None
        }
    }
}

pub fn check_error(name: &str, e: stance::Error) {
    let message = e.to_string();
    assert!(
        message.starts_with(name),
        "error does not name the file: {message:?}"
    );
}

pub fn check_row(row: &Example, need: Need) {
    assert!(!row.text.trim().is_empty());
    if let Some(spans) = &row.spans {
        let length = row.text.chars().count();
        assert!(spans.iter().all(|&(s, e)| s < e && e <= length));
    }
    if need == Need::Labeled {
        assert!(row.target.is_some() && row.stance.is_some());
    }
}
