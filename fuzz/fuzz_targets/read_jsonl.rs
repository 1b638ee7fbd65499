//! JSONL from arbitrary bytes: UTF-8 decoding, the whole-file reader and the line-by-line
//! (streaming) reader, labeled and unlabeled. Never a panic; every error names the file first.
#![no_main]

mod reader_checks;

use libfuzzer_sys::fuzz_target;
use reader_checks::{check_error, check_row, decode};
use stance::data::{self, Format, Need};

const NAME: &str = "fuzz.jsonl";

fuzz_target!(|bytes: &[u8]| {
    let Some(content) = decode(NAME, bytes) else {
        return;
    };
    for need in [Need::Labeled, Need::Unlabeled] {
        match data::parse(NAME, &content, Format::Jsonl, need) {
            Ok(rows) => rows.iter().for_each(|row| check_row(row, need)),
            Err(e) => check_error(NAME, e),
        }
        for (index, line) in content.lines().enumerate() {
            for format in [Format::Jsonl, Format::Text] {
                if let Err(e) = data::parse_line(NAME, index + 1, line, format, need) {
                    check_error(NAME, e);
                }
            }
        }
    }
});
