//! The same arbitrary bytes as CSV, TSV and SemEval (and plain text), labeled and unlabeled,
//! plus format detection. Never a panic; every error names the file first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::data::{self, Format, Need};
use std::path::Path;

const NAME: &str = "fuzz.tsv";

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
    for path in ["a.csv", "a.tsv", "a.txt", "a.dat"] {
        let _ = Format::detect(Path::new(path), &content);
    }
    for format in [Format::Csv, Format::Tsv, Format::Semeval, Format::Text] {
        for need in [Need::Labeled, Need::Unlabeled] {
            match data::parse(NAME, &content, format, need) {
                Ok(rows) => {
                    assert!(!rows.is_empty());
                    for row in &rows {
                        assert!(!row.text.trim().is_empty());
                        if need == Need::Labeled {
                            assert!(row.target.is_some() && row.stance.is_some());
                        }
                    }
                }
                Err(e) => check_error(e),
            }
        }
    }
});
