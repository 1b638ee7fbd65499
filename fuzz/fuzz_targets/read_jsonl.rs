//! JSONL from arbitrary bytes: UTF-8 decoding, the whole-file reader and the line-by-line
//! (streaming) reader, labeled and unlabeled. Never a panic; every error names the file first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::data::{self, Format, Need};

const NAME: &str = "fuzz.jsonl";

fn check_error(e: stance::Error) {
    let message = e.to_string();
    assert!(
        message.starts_with(NAME),
        "error does not name the file: {message:?}"
    );
}

fuzz_target!(|bytes: &[u8]| {
    let content = match data::decode(NAME, bytes) {
        Ok(content) => content,
        Err(e) => return check_error(e),
    };
    for need in [Need::Labeled, Need::Unlabeled] {
        match data::parse(NAME, &content, Format::Jsonl, need) {
            Ok(rows) => {
                for row in &rows {
                    assert!(!row.text.trim().is_empty());
                    if let Some(spans) = &row.spans {
                        let length = row.text.chars().count();
                        assert!(spans.iter().all(|&(s, e)| s < e && e <= length));
                    }
                }
            }
            Err(e) => check_error(e),
        }
        for (index, line) in content.lines().enumerate() {
            for format in [Format::Jsonl, Format::Text] {
                if let Err(e) = data::parse_line(NAME, index + 1, line, format, need) {
                    check_error(e);
                }
            }
        }
    }
});
