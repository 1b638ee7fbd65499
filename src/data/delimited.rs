//! CSV and TSV files with a header row, and SemEval-2016 Task 6's TSV.

use std::io::{BufRead, Read};

use super::input::{read_error, LineTooLong};
use super::{build_example, Example, Need, RawRow};
use crate::error::{Error, Result};

/// CSV/TSV with a header naming at least `text` (and `target`, `stance` for labeled files):
/// the header is read here, the rows as the iterator is pulled.
pub fn rows<'a, R: Read + 'a>(
    name: &str,
    reader: R,
    delimiter: u8,
    need: Need,
) -> Result<impl Iterator<Item = Result<Example>> + 'a> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        // Field counts are checked below, where the record is at hand to say what went wrong.
        .flexible(true)
        .quoting(delimiter == b',')
        .from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(name, e))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect::<Vec<_>>();
    let column = |wanted: &str| headers.iter().position(|h| h == wanted);
    let text_col =
        column("text").ok_or_else(|| Error::input(name, 1, "header has no `text` column"))?;
    let (target_col, stance_col) = (column("target"), column("stance"));
    if need == Need::Labeled {
        for (col, wanted) in [(target_col, "target"), (stance_col, "stance")] {
            if col.is_none() {
                return Err(Error::input(
                    name,
                    1,
                    format!("header has no `{wanted}` column"),
                ));
            }
        }
    }
    let id_col = column("id");
    let name = name.to_string();
    let columns = headers.len();
    let rows = reader.into_records().filter_map(move |record| {
        let record = match record {
            Ok(record) => record,
            Err(e) => return Some(Err(csv_error(&name, e))),
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|field| field.trim().is_empty()) {
            return None;
        }
        if record.len() != columns {
            // A quote that is never closed swallows the lines after it into one field.
            let message = if delimiter == b',' && record.iter().any(|f| f.contains('\n')) {
                "a quoted field opens here and is never closed (unterminated `\"`)".to_string()
            } else {
                format!(
                    "expected {columns} fields as in the header, found {}",
                    record.len()
                )
            };
            return Some(Err(Error::input(&name, line, message)));
        }
        let get = |col: Option<usize>| col.and_then(|c| record.get(c)).map(str::to_string);
        let stance = get(stance_col);
        let row = RawRow {
            id: get(id_col).filter(|s| !s.is_empty()),
            text: get(Some(text_col)).unwrap_or_default(),
            target: get(target_col),
            stance: stance.as_deref().filter(|s| !s.is_empty()),
            spans: None,
        };
        Some(build_example(&name, line, row, need))
    });
    Ok(rows)
}

/// `ID<TAB>Target<TAB>Tweet<TAB>Stance`, header first; tweets may hold quotes, so no quoting.
pub fn semeval_rows<'a, R: BufRead + 'a>(
    name: &str,
    mut reader: R,
    need: Need,
) -> Result<impl Iterator<Item = Result<Example>> + 'a> {
    let mut header = Vec::new();
    reader
        .read_until(b'\n', &mut header)
        .map_err(|e| read_error(name, e))?;
    let header = String::from_utf8_lossy(&header);
    if !header
        .trim_start_matches('\u{feff}')
        .starts_with("ID\tTarget\tTweet")
    {
        return Err(Error::input(
            name,
            1,
            "expected the SemEval header `ID<TAB>Target<TAB>Tweet<TAB>Stance`",
        ));
    }
    let name = name.to_string();
    let mut line = 1;
    let mut bytes = Vec::new();
    Ok(std::iter::from_fn(move || loop {
        bytes.clear();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => return None,
            Ok(_) => line += 1,
            Err(e) => return Some(Err(read_error(&name, e))),
        }
        let Ok(raw) = std::str::from_utf8(&bytes) else {
            return Some(Err(Error::input(&name, line, "is not valid UTF-8")));
        };
        let raw = raw.trim_end_matches(['\r', '\n']);
        if raw.trim().is_empty() {
            continue;
        }
        return Some(semeval_row(&name, line, raw, need));
    }))
}

fn semeval_row(name: &str, line: usize, raw: &str, need: Need) -> Result<Example> {
    let fields: Vec<&str> = raw.split('\t').collect();
    let stance = match (fields.len(), need) {
        (4, _) => Some(fields[3]),
        (3, Need::Unlabeled) => None,
        (n, _) => {
            return Err(Error::input(
                name,
                line,
                format!("expected 4 tab-separated fields (ID, Target, Tweet, Stance), found {n}"),
            ))
        }
    };
    let row = RawRow {
        id: Some(fields[0].to_string()),
        text: fields[2].to_string(),
        target: Some(fields[1].to_string()),
        stance,
        spans: None,
    };
    build_example(name, line, row, need)
}

fn csv_error(name: &str, err: csv::Error) -> Error {
    let line = err.position().map_or(1, |p| p.line() as usize);
    let message = match err.kind() {
        csv::ErrorKind::Io(e) => {
            return match LineTooLong::of(e) {
                Some(long) => Error::input(name, long.line, long.to_string()),
                None => Error::file(name, e.to_string()),
            }
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
        _ => err.to_string(),
    };
    Error::input(name, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Format, Stance};

    fn parse(name: &str, content: &str, delimiter: u8, need: Need) -> Result<Vec<Example>> {
        let format = if delimiter == b',' {
            Format::Csv
        } else {
            Format::Tsv
        };
        crate::data::parse(name, content, format, need)
    }

    fn parse_semeval(name: &str, content: &str, need: Need) -> Result<Vec<Example>> {
        crate::data::parse(name, content, Format::Semeval, need)
    }

    #[test]
    fn csv_with_quotes_and_optional_id() {
        let content =
            "id,text,target,stance\n1,\"Ankara, angry, recalled its envoy\",Turkey,none\n";
        let rows = parse("f.csv", content, b',', Need::Labeled).unwrap();
        assert_eq!(rows[0].text, "Ankara, angry, recalled its envoy");
        assert_eq!(rows[0].id.as_deref(), Some("1"));
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let err = parse("f.csv", "text,target,stance\na,b\n", b',', Need::Labeled).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv:2: expected 3 fields as in the header, found 2"
        );
        let err = parse("f.csv", "text,stance\na,none\n", b',', Need::Labeled).unwrap_err();
        assert_eq!(err.to_string(), "f.csv:1: header has no `target` column");
    }

    #[test]
    fn tsv_keeps_quotes_inside_fields() {
        let rows = parse(
            "f.tsv",
            "text\ttarget\tstance\nsay \"no\"\tNATO\tAGAINST\n",
            b'\t',
            Need::Labeled,
        )
        .unwrap();
        assert_eq!(rows[0].text, "say \"no\"");
        assert_eq!(rows[0].stance, Some(Stance::Against));
    }

    #[test]
    fn semeval_rows() {
        let content =
            "ID\tTarget\tTweet\tStance\r\n10001\tAtheism\t\"God\" is love #SemST\tAGAINST\r\n";
        let rows = parse_semeval("s.txt", content, Need::Labeled).unwrap();
        assert_eq!(rows[0].target.as_deref(), Some("Atheism"));
        assert_eq!(rows[0].text, "\"God\" is love #SemST");
        let err =
            parse_semeval("s.txt", "ID\tTarget\tTweet\tStance\n1\tA\n", Need::Labeled).unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.txt:2: expected 4 tab-separated fields (ID, Target, Tweet, Stance), found 2"
        );
    }
}
