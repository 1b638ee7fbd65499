//! The output of `stance score`: rows as JSONL, CSV, TSV or a table, to stdout or a file.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

use crate::cli::json_string::write_json_str;
use crate::io::OutputFile;
use crate::scoring::ScoreRow;
use crate::{Error, Result};

use super::{OutputFormat, Settings};

pub(super) fn write_row(out: &mut Vec<u8>, row: &ScoreRow, settings: &Settings) {
    match settings.format {
        // Serializing plain strings and numbers cannot fail.
        OutputFormat::Jsonl => {
            write_jsonl_row(out, row);
            out.push(b'\n');
        }
        OutputFormat::Csv | OutputFormat::Tsv => {
            let p = row.probabilities.as_ref();
            let number = |v: Option<f32>| v.map_or(String::new(), |v| format!("{v:.6}"));
            let count = |v: Option<usize>| v.map_or(String::new(), |v| v.to_string());
            let mut fields = vec![row.id.unwrap_or_default().to_string()];
            if row.sentence.is_some() {
                fields.extend([
                    count(row.sentence),
                    count(row.paragraph),
                    count(row.start),
                    count(row.end),
                ]);
            }
            fields.extend([
                row.text.to_string(),
                row.target.unwrap_or_default().to_string(),
                row.stance.unwrap_or_default().to_string(),
                number(p.map(|p| p.favor)),
                number(p.map(|p| p.against)),
                number(p.map(|p| p.none)),
                row.abstained.map_or(String::new(), |a| a.to_string()),
                compact_mentions(row),
            ]);
            let delimiter = if settings.format == OutputFormat::Tsv {
                b'\t'
            } else {
                b','
            };
            let mut writer = csv::WriterBuilder::new()
                .has_headers(false)
                .delimiter(delimiter)
                .from_writer(&mut *out);
            let _ = writer.write_record(&fields);
            let _ = writer.flush();
        }
        OutputFormat::Table => {
            use std::io::Write as _;
            let target = row.target.unwrap_or("-");
            let stance = match (row.stance, row.abstained) {
                (Some(s), Some(true)) => format!("{s} (abstained)"),
                (Some(s), _) => s.to_string(),
                (None, _) => "-".to_string(),
            };
            let p = row.probabilities.as_ref();
            let cell = |v: Option<f32>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
            let marked = match row.sentence {
                Some(index) => format!("#{index} {}", bracket_mentions(row)),
                None => bracket_mentions(row),
            };
            let width = settings.text_width;
            let text: String = if marked.chars().count() > width {
                marked.chars().take(width - 1).chain(['…']).collect()
            } else {
                marked
            };
            let _ = writeln!(
                out,
                "{:<22} {:<18} {:>6} {:>8} {:>6}  {text}",
                target,
                stance,
                cell(p.map(|p| p.favor)),
                cell(p.map(|p| p.against)),
                cell(p.map(|p| p.none)),
            );
            if let Some(note) = row.note {
                let _ = writeln!(out, "{:<22} {note}", "");
            }
            if let Some(e) = &row.explanation {
                for (sign, list) in [("+", &e.toward), ("-", &e.against)] {
                    for c in list {
                        let _ = writeln!(
                            out,
                            "{:<22}   {sign} {:<7.3} {:<28} {}",
                            "",
                            c.value.abs(),
                            c.words,
                            c.feature
                        );
                    }
                }
            }
        }
    }
}

/// A row's mentions for CSV and TSV: `start-end:alias`, separated by `;`.
fn compact_mentions(row: &ScoreRow) -> String {
    row.mentions
        .iter()
        .map(|m| format!("{}-{}:{}", m.start, m.end, m.alias))
        .collect::<Vec<_>>()
        .join(";")
}

/// A row's text for the table, with its target's mentions in [brackets].
fn bracket_mentions(row: &ScoreRow) -> String {
    let mut out = String::with_capacity(row.text.len() + 4 * row.mentions.len());
    let mut mentions = row.mentions.iter().peekable();
    let mut open = false;
    for (i, c) in row.text.chars().enumerate() {
        if open && mentions.peek().is_some_and(|m| m.end == i) {
            out.push(']');
            mentions.next();
            open = false;
        }
        if !open && mentions.peek().is_some_and(|m| m.start == i) {
            out.push('[');
            open = true;
        }
        out.push(c);
    }
    if open {
        out.push(']');
    }
    out
}

/// The header line of a format (none for JSONL); `article`: rows carry their sentence's place.
pub(super) fn header(format: OutputFormat, article: bool) -> String {
    let place = if article {
        ",sentence,paragraph,start,end"
    } else {
        ""
    };
    let columns = format!("id{place},text,target,stance,favor,against,none,abstained,mentions\n");
    match format {
        OutputFormat::Jsonl => String::new(),
        OutputFormat::Csv => columns,
        OutputFormat::Tsv => columns.replace(',', "\t"),
        OutputFormat::Table => {
            "target                 stance              favor  against   none  text\n".to_string()
        }
    }
}

/// `row` as `serde_json` would write it (the test `rows_are_written_as_serde_json_writes_them`
/// holds them to it), with the strings escaped eight bytes at a time.
pub(super) fn write_jsonl_row(out: &mut Vec<u8>, row: &ScoreRow) {
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, name: &str| {
        out.extend_from_slice(if first { b"{\"" } else { b",\"" });
        first = false;
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
    };
    let string = |out: &mut Vec<u8>, value: Option<&str>| match value {
        Some(v) => write_json_str(out, v),
        None => out.extend_from_slice(b"null"),
    };
    if let Some(id) = row.id {
        key(out, "id");
        write_json_str(out, id);
    }
    for (name, value) in [
        ("sentence", row.sentence),
        ("paragraph", row.paragraph),
        ("start", row.start),
        ("end", row.end),
    ] {
        if let Some(v) = value {
            key(out, name);
            write_uint(out, v);
        }
    }
    key(out, "text");
    write_json_str(out, row.text);
    key(out, "target");
    string(out, row.target);
    key(out, "stance");
    string(out, row.stance);
    key(out, "probabilities");
    match &row.probabilities {
        Some(p) => {
            out.extend_from_slice(b"{\"favor\":");
            write_f32(out, p.favor);
            out.extend_from_slice(b",\"against\":");
            write_f32(out, p.against);
            out.extend_from_slice(b",\"none\":");
            write_f32(out, p.none);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    key(out, "mentions");
    out.push(b'[');
    for (i, m) in row.mentions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"start\":");
        write_uint(out, m.start);
        out.extend_from_slice(b",\"end\":");
        write_uint(out, m.end);
        out.extend_from_slice(b",\"alias\":");
        write_json_str(out, m.alias);
        out.push(b'}');
    }
    out.push(b']');
    let boolean = |out: &mut Vec<u8>, b: bool| {
        out.extend_from_slice(if b { b"true" } else { b"false" });
    };
    if let Some(m) = row.mentioned {
        key(out, "mentioned");
        boolean(out, m);
    }
    if let Some(a) = row.abstained {
        key(out, "abstained");
        boolean(out, a);
    }
    if let Some(e) = &row.explanation {
        key(out, "explanation");
        value(out, e);
    }
    if let Some(note) = row.note {
        key(out, "note");
        write_json_str(out, note);
    }
    out.push(b'}');
}

/// An unsigned integer in decimal digits, without the formatting machinery that `write!` runs
/// for every row's mention offsets.
fn write_uint(out: &mut Vec<u8>, mut v: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// A float as serde_json writes it: shortest round-trip digits (its own formatter, zmij),
/// `null` when not finite.
fn write_f32(out: &mut Vec<u8>, v: f32) {
    if v.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn value(out: &mut Vec<u8>, v: &impl Serialize) {
    // Serializing plain numbers, booleans and explanations into memory cannot fail.
    let _ = serde_json::to_writer(out, v);
}

/// Stdout, or an output file (`crate::io`) that appears only when everything was written.
pub(super) enum Output {
    Stdout(std::io::Stdout),
    File(std::io::BufWriter<OutputFile>),
}

impl Output {
    pub(super) fn open(path: Option<&Path>) -> Result<Output> {
        match path {
            None => Ok(Output::Stdout(std::io::stdout())),
            Some(p) if p.as_os_str() == "-" => Ok(Output::Stdout(std::io::stdout())),
            Some(p) => Ok(Output::File(std::io::BufWriter::with_capacity(
                1 << 20,
                OutputFile::create(p)?,
            ))),
        }
    }

    /// Writes whole lines; stdout is flushed per chunk so readers never see half a line.
    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.write_pieces(&[bytes])
    }

    /// Writes a chunk's pieces in order, without joining them first.
    pub(super) fn write_pieces(&mut self, pieces: &[impl AsRef<[u8]>]) -> Result<()> {
        match self {
            Output::Stdout(out) => {
                let mut lock = out.lock();
                pieces
                    .iter()
                    .try_for_each(|piece| lock.write_all(piece.as_ref()))
                    .and_then(|_| lock.flush())
                    .map_err(|e| Error::io("stdout", e))
            }
            Output::File(file) => pieces
                .iter()
                .try_for_each(|piece| file.write_all(piece.as_ref()))
                .map_err(|e| Error::io(file.get_ref().path(), e)),
        }
    }

    pub(super) fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(_) => Ok(()),
            Output::File(file) => {
                let path = file.get_ref().path().to_path_buf();
                file.into_inner()
                    .map_err(|e| Error::io(&path, e.into_error()))?
                    .commit()
            }
        }
    }
}
