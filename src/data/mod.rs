//! Labeled files: the `Example` they hold and the readers for each format.

mod delimited;
pub mod input;
pub mod jsonl;
mod labeled;

pub use labeled::{read_labeled, Labeled, Warning};

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::{Error, Result};

/// What a statement expresses toward a party. The order is the model's class order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Favor,
    Against,
    None,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Favor, Stance::Against, Stance::None];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Stance::Favor => "favor",
            Stance::Against => "against",
            Stance::None => "none",
        }
    }

    /// Case-insensitive `favor|against|none` (SemEval's FAVOR, AGAINST, NONE included).
    pub fn parse(label: &str) -> Option<Stance> {
        match label.trim().to_ascii_lowercase().as_str() {
            "favor" | "favour" => Some(Stance::Favor),
            "against" => Some(Stance::Against),
            "none" => Some(Stance::None),
            _ => None,
        }
    }
}

/// One (statement, target) row of a labeled or to-be-scored file.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub id: Option<String>,
    pub text: String,
    pub target: Option<String>,
    pub stance: Option<Stance>,
    /// Code-point spans of the target's mentions, end exclusive, when the file gives them.
    pub spans: Option<Vec<(usize, usize)>>,
    /// 1-based line of the row in its file, for messages.
    pub line: usize,
    /// Which of the files read together the row came from (0: the first or only one). Training
    /// with source augmentation gives each file its own copy of every feature.
    pub source: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Tsv,
    /// SemEval-2016 Task 6: ID<TAB>Target<TAB>Tweet<TAB>Stance with a header line.
    Semeval,
    /// One statement per line, no labels (scoring only).
    Text,
}

/// Whether a reader insists on a target and a stance in every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Labeled,
    Unlabeled,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Jsonl,
        Format::Csv,
        Format::Tsv,
        Format::Semeval,
        Format::Text,
    ];

    /// The format's name as the command line spells it (`jsonl`, `semeval`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Semeval => "semeval",
            Format::Text => "text",
        }
    }

    /// The format of a name, case-insensitively (`JSONL`, `csv`).
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The format of an input from its name's extension (none for stdin) and its first line:
    /// `.txt` and `.tsv` files with SemEval's header are SemEval; without a telling extension,
    /// SemEval's header or a line opening with `{` (JSONL) tell it; stdin is otherwise text.
    pub fn detect(path: Option<&Path>, first_line: &str) -> Result<Format> {
        let extension = path
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        let first_line = first_line.trim_start_matches('\u{feff}');
        let semeval_header = first_line.starts_with("ID\tTarget\t");
        match extension.as_deref() {
            Some("jsonl") | Some("json") | Some("ndjson") => Ok(Format::Jsonl),
            Some("csv") => Ok(Format::Csv),
            Some("tsv") | Some("txt") if semeval_header => Ok(Format::Semeval),
            Some("tsv") => Ok(Format::Tsv),
            Some("txt") | Some("md") => Ok(Format::Text),
            _ if semeval_header => Ok(Format::Semeval),
            _ if first_line.trim_start().starts_with('{') => Ok(Format::Jsonl),
            _ => match path {
                None => Ok(Format::Text),
                Some(path) => Err(Error::file(
                    path,
                    "cannot tell the file format from its name; use --format jsonl|csv|tsv|semeval",
                )),
            },
        }
    }

    /// Whether rows are single lines, so that a stream can be cut into chunks of lines.
    pub fn is_line_based(self) -> bool {
        matches!(self, Format::Jsonl | Format::Text)
    }
}

/// The first line of `content` that is not blank ("" if none).
pub fn first_line(content: &str) -> &str {
    content
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
}

/// Reads a whole labeled file. `name` is how the file is called in messages.
pub fn read_file(path: &Path, format: Option<Format>, need: Need) -> Result<Vec<Example>> {
    read_file_with(path, format, need, None).map(|(rows, _)| rows)
}

/// Like `read_file`, but bad rows are put in `skipped` instead of failing the whole file, and
/// the SHA-256 of the file's bytes comes back too (the file is read once, so pipes and FIFOs
/// work). Problems with the file itself (missing, not UTF-8, no header, no rows) still fail.
pub fn read_file_with(
    path: &Path,
    format: Option<Format>,
    need: Need,
    skipped: Option<&mut Vec<Error>>,
) -> Result<(Vec<Example>, String)> {
    let display = path.display().to_string();
    let (bytes, sha256) = input::read_all(path)?;
    let content = decode(&display, &bytes)?;
    let format = match format {
        Some(f) => f,
        None => Format::detect(Some(path), first_line(&content))?,
    };
    parse_with(&display, &content, format, need, skipped).map(|rows| (rows, sha256))
}

/// Parses labeled text already in memory (stdin, tests).
pub fn parse(name: &str, content: &str, format: Format, need: Need) -> Result<Vec<Example>> {
    parse_with(name, content, format, need, None)
}

/// Collects a reader's rows; a bad row fails the read, or is set aside when skipping.
pub(crate) struct Sink<'a> {
    pub examples: Vec<Example>,
    skipped: Option<&'a mut Vec<Error>>,
}

impl Sink<'_> {
    pub fn take(&mut self, row: Result<Example>) -> Result<()> {
        match (row, &mut self.skipped) {
            (Ok(example), _) => self.examples.push(example),
            (Err(e), Some(skipped)) => skipped.push(e),
            (Err(e), None) => return Err(e),
        }
        Ok(())
    }
}

pub fn parse_with(
    name: &str,
    content: &str,
    format: Format,
    need: Need,
    skipped: Option<&mut Vec<Error>>,
) -> Result<Vec<Example>> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut sink = Sink {
        examples: Vec::new(),
        skipped,
    };
    match format {
        Format::Jsonl | Format::Text => {
            for (index, line) in content.lines().enumerate() {
                match parse_line(name, index + 1, line, format, need) {
                    Ok(None) => {}
                    Ok(Some(row)) => sink.take(Ok(row))?,
                    // A whole-file problem (text given as labeled data) is never skipped.
                    Err(e @ Error::File { .. }) => return Err(e),
                    Err(e) => sink.take(Err(e))?,
                }
            }
        }
        _ => {
            for row in records(name, content.as_bytes(), format, need)? {
                sink.take(row)?;
            }
        }
    }
    if sink.examples.is_empty() {
        return Err(Error::file(name, "holds no valid rows"));
    }
    Ok(sink.examples)
}

/// The rows of a CSV, TSV or SemEval stream, one at a time, so that any size reads in bounded
/// memory; a bad header is the error, a bad row an `Err` item. (Line-based formats go through
/// `parse_line`, a line at a time.)
pub fn records<'a>(
    name: &str,
    reader: impl std::io::BufRead + 'a,
    format: Format,
    need: Need,
) -> Result<Box<dyn Iterator<Item = Result<Example>> + 'a>> {
    match format {
        Format::Csv => Ok(Box::new(delimited::rows(name, reader, b',', need)?)),
        Format::Tsv => Ok(Box::new(delimited::rows(name, reader, b'\t', need)?)),
        Format::Semeval => Ok(Box::new(delimited::semeval_rows(name, reader, need)?)),
        Format::Jsonl | Format::Text => Err(Error::Invalid(format!(
            "{format:?} input is read a line at a time (parse_line), not as records"
        ))),
    }
}

/// Parses one line of a line-based format (JSONL or text); `None` for a blank line.
/// This is what streaming readers call.
pub fn parse_line(
    name: &str,
    line: usize,
    raw: &str,
    format: Format,
    need: Need,
) -> Result<Option<Example>> {
    let raw = raw.trim_end_matches(['\r', '\n']);
    let raw = if line == 1 {
        raw.trim_start_matches('\u{feff}')
    } else {
        raw
    };
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match format {
        Format::Jsonl => jsonl::parse_line(name, line, raw, need).map(Some),
        Format::Text if need == Need::Labeled => Err(Error::file(
            name,
            "plain text carries no labels; use a jsonl, csv, tsv or semeval file",
        )),
        Format::Text => {
            let row = RawRow {
                // The line number: a row's place in a plain-text file is its only name.
                id: Some(line.to_string()),
                text: raw.to_string(),
                target: None,
                stance: None,
                spans: None,
            };
            build_example(name, line, row, need).map(Some)
        }
        _ => Err(Error::Invalid(format!(
            "{format:?} files are not line-based"
        ))),
    }
}

/// A statement to score, given directly rather than read from a file (the Python package's
/// lists): checked like a file's row, `name` and `line` saying where it came from.
pub fn statement(name: &str, line: usize, text: String, target: Option<String>) -> Result<Example> {
    let row = RawRow {
        id: None,
        text,
        target,
        stance: None,
        spans: None,
    };
    build_example(name, line, row, Need::Unlabeled)
}

/// UTF-8 or a clear error naming the line where the first bad byte sits.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(Error::input(name, line, "is not valid UTF-8"))
        }
    }
}

/// A row's fields as a reader found them, before checking.
pub(crate) struct RawRow<'a> {
    pub id: Option<String>,
    pub text: String,
    pub target: Option<String>,
    pub stance: Option<&'a str>,
    pub spans: Option<Vec<(usize, usize)>>,
}

/// Checks the parts every reader shares: non-empty text, known stance, spans inside the text.
pub(crate) fn build_example(name: &str, line: usize, row: RawRow, need: Need) -> Result<Example> {
    let RawRow {
        id,
        text,
        target,
        stance,
        spans,
    } = row;
    if text.trim().is_empty() {
        return Err(Error::input(name, line, "`text` is empty"));
    }
    let target = target.filter(|t| !t.trim().is_empty());
    let stance = match stance {
        Some(label) => Some(Stance::parse(label).ok_or_else(|| {
            Error::input(
                name,
                line,
                format!("unknown stance {label:?} (expected favor, against or none)"),
            )
        })?),
        None => None,
    };
    if need == Need::Labeled {
        if target.is_none() {
            return Err(Error::input(name, line, "missing or empty `target`"));
        }
        if stance.is_none() {
            return Err(Error::input(name, line, "missing `stance`"));
        }
    }
    if let Some(spans) = &spans {
        let length = text.chars().count();
        for &(start, end) in spans {
            if start >= end {
                return Err(Error::input(
                    name,
                    line,
                    format!("span [{start}, {end}] is empty or reversed"),
                ));
            }
            if end > length {
                return Err(Error::input(
                    name,
                    line,
                    format!(
                        "span [{start}, {end}] runs past the end of the text ({length} characters)"
                    ),
                ));
            }
        }
    }
    Ok(Example {
        id,
        text,
        target,
        stance,
        spans,
        line,
        source: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stance_labels_are_case_insensitive() {
        assert_eq!(Stance::parse("FAVOR"), Some(Stance::Favor));
        assert_eq!(Stance::parse(" Against "), Some(Stance::Against));
        assert_eq!(Stance::parse("none"), Some(Stance::None));
        assert_eq!(Stance::parse("neutral"), None);
    }

    #[test]
    fn formats_are_detected_from_names_and_headers() {
        let p = Path::new;
        assert_eq!(
            Format::detect(Some(p("a.jsonl")), "").unwrap(),
            Format::Jsonl
        );
        assert_eq!(Format::detect(Some(p("a.csv")), "").unwrap(), Format::Csv);
        assert_eq!(
            Format::detect(Some(p("a.tsv")), "text\ttarget").unwrap(),
            Format::Tsv
        );
        assert_eq!(
            Format::detect(Some(p("a.txt")), "ID\tTarget\tTweet\tStance").unwrap(),
            Format::Semeval
        );
        assert!(Format::detect(Some(p("a.dat")), "hello").is_err());
        // A stream without a name: JSONL if it opens with `{`, SemEval by its header, else text.
        assert_eq!(
            Format::detect(None, "{\"text\": 1}").unwrap(),
            Format::Jsonl
        );
        assert_eq!(
            Format::detect(None, "Kyiv thanked NATO").unwrap(),
            Format::Text
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = decode("f.jsonl", b"{}\n{\"text\": \"\xff\"}\n").unwrap_err();
        assert_eq!(err.to_string(), "f.jsonl:2: is not valid UTF-8");
    }

    #[test]
    fn reversed_and_overlong_spans_are_errors() {
        let make = |spans| {
            let row = RawRow {
                id: None,
                text: "abc".into(),
                target: Some("X".into()),
                stance: Some("none"),
                spans: Some(spans),
            };
            build_example("f", 3, row, Need::Labeled)
        };
        assert!(make(vec![(2, 1)])
            .unwrap_err()
            .to_string()
            .contains("reversed"));
        assert!(make(vec![(0, 4)])
            .unwrap_err()
            .to_string()
            .contains("past the end"));
        assert!(make(vec![(0, 3)]).is_ok());
    }
}
