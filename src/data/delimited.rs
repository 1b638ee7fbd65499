//! CSV and TSV files with a header row, and SemEval-2016 Task 6's TSV.

use super::{build_example, Need, RawRow, Sink};
use crate::error::{Error, Result};

/// CSV/TSV with a header naming at least `text` (and `target`, `stance` for labeled files).
pub fn parse(name: &str, content: &str, delimiter: u8, need: Need, sink: &mut Sink) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .quoting(delimiter == b',')
        .from_reader(content.as_bytes());
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
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                sink.take(Err(csv_error(name, e)))?;
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
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
        sink.take(build_example(name, line, row, need))?;
    }
    Ok(())
}

/// `ID<TAB>Target<TAB>Tweet<TAB>Stance`, header first; tweets may hold quotes, so no quoting.
pub fn parse_semeval(name: &str, content: &str, need: Need, sink: &mut Sink) -> Result<()> {
    let mut lines = content.lines().enumerate();
    match lines.next() {
        Some((_, header))
            if header
                .trim_end_matches('\r')
                .starts_with("ID\tTarget\tTweet") => {}
        _ => {
            return Err(Error::input(
                name,
                1,
                "expected the SemEval header `ID<TAB>Target<TAB>Tweet<TAB>Stance`",
            ))
        }
    }
    for (index, raw) in lines {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let stance = match (fields.len(), need) {
            (4, _) => Some(fields[3]),
            (3, Need::Unlabeled) => None,
            (n, _) => {
                let message = format!(
                    "expected 4 tab-separated fields (ID, Target, Tweet, Stance), found {n}"
                );
                sink.take(Err(Error::input(name, line, message)))?;
                continue;
            }
        };
        let row = RawRow {
            id: Some(fields[0].to_string()),
            text: fields[2].to_string(),
            target: Some(fields[1].to_string()),
            stance,
            spans: None,
        };
        sink.take(build_example(name, line, row, need))?;
    }
    Ok(())
}

fn csv_error(name: &str, err: csv::Error) -> Error {
    let line = err.position().map_or(1, |p| p.line() as usize);
    let message = match err.kind() {
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
    use crate::data::{Example, Format, Stance};

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
