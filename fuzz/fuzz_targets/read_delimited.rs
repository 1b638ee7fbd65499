//! The same arbitrary bytes as CSV, TSV and SemEval (and plain text), labeled and unlabeled,
//! plus format detection. Never a panic; every error names the file first.
#![no_main]

mod reader_checks;

use libfuzzer_sys::fuzz_target;
use reader_checks::{check_error, check_row, decode};
use stance::data::{self, Format, Need};
use std::path::Path;

const NAME: &str = "fuzz.tsv";

fuzz_target!(|bytes: &[u8]| {
    let Some(content) = decode(NAME, bytes) else {
        return;
    };
    for path in ["a.csv", "a.tsv", "a.txt", "a.dat"] {
        let _ = Format::detect(Some(Path::new(path)), data::first_line(&content));
    }
    let _ = Format::detect(None, data::first_line(&content));
    for format in [Format::Csv, Format::Tsv, Format::Semeval, Format::Text] {
        for need in [Need::Labeled, Need::Unlabeled] {
            match data::parse(NAME, &content, format, need) {
                Ok(rows) => {
                    assert!(!rows.is_empty());
                    rows.iter().for_each(|row| check_row(row, need));
                }
                Err(e) => check_error(NAME, e),
            }
        }
    }
});
