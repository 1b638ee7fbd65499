//! `stance score`: score statements from arguments, a file or stdin, streaming in chunks that are
//! scored in parallel and written in input order.

use clap::Args;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::data::input::{LineTooLong, Tracked};
use crate::data::{self, Example, Format, Need};
use crate::model::{ScoreState, Scorer, StatePool};
use crate::scoring::{score_example, RowOptions};
use crate::text::Language;
use crate::{Error, Result};

mod output;
use output::{header, write_row, Output};

/// Rows scored together; bounds memory whatever the input size.
const CHUNK_ROWS: usize = 4096;

#[derive(Args)]
#[command(
    about = "Score statements: favor / against / none toward each party, with probabilities",
    after_help = "Examples:\n  stance score \"The Kremlin accused Washington of prolonging the war\"\n  \
stance score --target Iran \"Lavrov called the claims against Tehran provocative\"\n  \
stance score --model news.model --input statements.jsonl --output scores.jsonl\n  \
stance score --format table --explain 3 \"Kyiv thanked NATO\"\n  cat statements.txt | stance score --input-format text\n  \
stance score --input-format article --input article.txt --output sentences.csv\n\n\
Without --target, every registered party the statement mentions is scored (see `stance parties`); \
a statement that mentions none gets one row saying so. Output: one JSON object per line, \
{\"id\"?, \"text\", \"target\", \"stance\", \"probabilities\": {\"favor\", \"against\", \"none\"}, \
\"mentions\": [{\"start\", \"end\", \"alias\"}], \"mentioned\"}; text input rows have the line number as id. \
With --input-format article the input is one document, split into sentences; each row adds \
\"sentence\", \"paragraph\", \"start\" and \"end\" (code-point offsets in the document, end exclusive)."
)]
pub struct ScoreArgs {
    /// Statements to score (instead of --input or stdin).
    texts: Vec<String>,
    /// Model file; default: the model built into this binary.
    #[arg(long, short)]
    model: Option<PathBuf>,
    /// Statements file (jsonl, csv, tsv, semeval or text; `stance` may be absent), or - for stdin.
    #[arg(long, short)]
    input: Option<PathBuf>,
    /// Where to write scores (replaced atomically), or - for stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Input format, when the extension does not tell it (stdin: jsonl if it starts with `{`, else
    /// text). `article`: the whole input is one document, scored sentence by sentence.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
    /// Score toward this party (any alias) for rows that name no target; repeat it or separate
    /// parties with commas for one row per party.
    #[arg(long, short, value_delimiter = ',')]
    target: Vec<String>,
    /// Explain each row: the N features that pushed hardest toward the predicted stance and
    /// against it, as the statement's words, with their contributions to the logit.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "5")]
    explain: Option<usize>,
    /// Output format; default: told by the --output extension (.csv, .tsv; anything else JSONL).
    #[arg(long = "format", value_enum)]
    output_format: Option<OutputFormat>,
    /// Line width of --format table (default: the terminal's width, else 140).
    #[arg(long, value_name = "N")]
    width: Option<usize>,
    /// Abstain (stance none, `abstained: true`) when no stance reaches this probability.
    #[arg(long, value_name = "P")]
    threshold: Option<f32>,
    /// Leave out invalid rows (reported on stderr) instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    #[command(flatten)]
    registry: super::RegistryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Jsonl,
    Csv,
    Tsv,
    /// SemEval-2016 Task 6: ID<TAB>Target<TAB>Tweet<TAB>Stance with a header line.
    Semeval,
    /// One statement per line.
    Text,
    /// One document (an article), split into sentences.
    Article,
}

impl InputFormat {
    fn statements(self) -> Option<Format> {
        match self {
            InputFormat::Jsonl => Some(Format::Jsonl),
            InputFormat::Csv => Some(Format::Csv),
            InputFormat::Tsv => Some(Format::Tsv),
            InputFormat::Semeval => Some(Format::Semeval),
            InputFormat::Text => Some(Format::Text),
            InputFormat::Article => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A header line, then id, text, target, stance, favor, against, none, abstained, mentions
    /// (`start-end:alias` separated by `;`).
    Csv,
    /// As csv, separated by tabs.
    Tsv,
    /// Aligned text for people, with explanations indented under each row.
    Table,
}

/// How rows are scored and written, from the command line.
struct Settings<'a> {
    rows: RowOptions<'a>,
    /// More than one --target: each statement that names no target is scored toward each.
    targets: &'a [String],
    skip_invalid: bool,
    format: OutputFormat,
    /// Characters of text per --format table line.
    text_width: usize,
    /// Warn about text lines that hold several sentences (the format was not given).
    warn_long_lines: bool,
    /// Score states kept from chunk to chunk, so that each chunk starts with warm word caches.
    states: StatePool,
}

/// Columns of --format table before the text.
const TABLE_PREFIX: usize = 66;

/// The width of the terminal on stdout, if it is one.
fn terminal_width() -> Option<usize> {
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ fills a winsize struct; nothing else is touched.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
        if ok && size.ws_col > 0 {
            return Some(usize::from(size.ws_col));
        }
    }
    std::env::var("COLUMNS").ok()?.trim().parse().ok()
}

pub fn run(args: ScoreArgs) -> Result<ExitCode> {
    if !args.texts.is_empty() && args.input.is_some() {
        return Err(Error::Usage(
            "give statements as arguments or with --input, not both".into(),
        ));
    }
    if let Some(output) = &args.output {
        let inputs: Vec<&Path> = args
            .input
            .iter()
            .chain(&args.model)
            .map(PathBuf::as_path)
            .collect();
        super::refuse_overwriting_an_input("--output", output, &inputs)?;
    }
    if args.target.iter().any(|t| t.trim().is_empty()) {
        return Err(Error::Usage(
            "--target is empty; name a party (any alias) or leave --target out".into(),
        ));
    }
    if args.width.is_some_and(|w| w < TABLE_PREFIX + 10) {
        return Err(Error::Usage(format!(
            "--width must be at least {} (the table's columns before the text take {TABLE_PREFIX})",
            TABLE_PREFIX + 10
        )));
    }
    if let Some(i) = args.texts.iter().position(|t| t.trim().is_empty()) {
        return Err(Error::Usage(format!(
            "statement argument {} is empty; there is nothing to score",
            i + 1
        )));
    }
    if let Some(p) = args.threshold {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::Usage(
                "--threshold must be a probability between 0 and 1".into(),
            ));
        }
    }
    if args.input_format == Some(InputFormat::Article) && !args.texts.is_empty() {
        return Err(Error::Usage(
            "--input-format article reads a document from --input FILE or stdin, not from arguments"
                .into(),
        ));
    }
    let scorer = super::load_scorer(args.model.as_ref(), args.registry.registry()?)?;
    let format = args.output_format.unwrap_or_else(|| {
        let extension = args
            .output
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => OutputFormat::Csv,
            Some("tsv") => OutputFormat::Tsv,
            _ => OutputFormat::Jsonl,
        }
    });
    let width = args
        .width
        .or_else(|| args.output.is_none().then(terminal_width).flatten())
        .unwrap_or(140)
        .max(TABLE_PREFIX + 10);
    let article = args.input_format == Some(InputFormat::Article);
    let settings = Settings {
        rows: RowOptions {
            target: match args.target.as_slice() {
                [one] => Some(one.as_str()),
                _ => None,
            },
            explain: args.explain,
            threshold: args.threshold,
        },
        targets: if args.target.len() > 1 {
            &args.target
        } else {
            &[]
        },
        skip_invalid: args.skip_invalid,
        format,
        text_width: width - TABLE_PREFIX,
        warn_long_lines: args.input_format.is_none(),
        states: StatePool::default(),
    };
    let mut output = Output::open(args.output.as_deref())?;
    output.write(header(settings.format, article).as_bytes())?;
    if article {
        let path = args.input.clone().unwrap_or_else(|| PathBuf::from("-"));
        let (name, document) = read_document(&path)?;
        score_document(&scorer, &name, &document, &settings, &mut output)?;
        return output.finish().map(|_| ExitCode::SUCCESS);
    }
    if !args.texts.is_empty() {
        let examples: Vec<Example> = args
            .texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                data::parse_line("argument", i + 1, text, Format::Text, Need::Unlabeled)
            })
            .filter_map(|r| r.transpose())
            .map(|r| {
                // Arguments have no line numbers to serve as ids.
                r.map(|example| Example {
                    id: None,
                    ..example
                })
            })
            .collect::<Result<_>>()?;
        output.write_pieces(&score_chunk(&scorer, &examples, &settings))?;
        return output.finish().map(|_| ExitCode::SUCCESS);
    }
    let path = args.input.unwrap_or_else(|| PathBuf::from("-"));
    // Every input is read once, as a stream: pipes and FIFOs work, and memory stays bounded.
    if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        let reader = BufReader::with_capacity(1 << 16, Tracked::new(stdin.lock()));
        stream(
            &scorer,
            "stdin",
            None,
            reader,
            args.input_format.and_then(InputFormat::statements),
            &settings,
            &mut output,
        )?;
    } else {
        if path.is_dir() {
            return Err(Error::file(&path, "is a directory, not a file"));
        }
        let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let name = path.display().to_string();
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = super::progress::bar(size, "scoring", true);
        let reader = BufReader::with_capacity(1 << 16, Tracked::new(bar.wrap_read(file)));
        let format = args.input_format.and_then(InputFormat::statements);
        stream(
            &scorer,
            &name,
            Some(&path),
            reader,
            format,
            &settings,
            &mut output,
        )?;
    }
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a whole document (`-`: stdin): its name for messages and its text.
pub(super) fn read_document(path: &Path) -> Result<(String, String)> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("stdin", e))?;
        ("stdin".to_string(), bytes)
    } else {
        if path.is_dir() {
            return Err(Error::file(path, "is a directory, not a file"));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        (path.display().to_string(), bytes)
    };
    let document = crate::article::document_text(&name, bytes)?;
    Ok((name, document))
}

/// Scores a document sentence by sentence: each row carries its sentence's place.
fn score_document(
    scorer: &Scorer,
    name: &str,
    document: &str,
    settings: &Settings,
    output: &mut Output,
) -> Result<()> {
    let sentences = crate::article::split(document);
    if sentences.is_empty() {
        return Err(Error::file(name, "holds no text to score"));
    }
    let examples: Vec<Example> = sentences
        .iter()
        .map(|s| Example {
            id: None,
            text: s.text.clone(),
            target: None,
            stance: None,
            spans: None,
            line: 0,
            source: 0,
        })
        .collect();
    let pieces: Vec<Vec<u8>> = sentences
        .par_iter()
        .zip(&examples)
        .map_init(
            || settings.states.take(),
            |state, (s, example)| {
                let mut out = Vec::with_capacity(512);
                score_each_target(scorer, state, example, settings, |row| {
                    let mut row = row.clone();
                    row.sentence = Some(s.index);
                    row.paragraph = Some(s.paragraph);
                    row.start = Some(s.start);
                    row.end = Some(s.end);
                    write_row(&mut out, &row, settings);
                });
                out
            },
        )
        .collect();
    output.write_pieces(&pieces)
}

/// `score_example`, once per --target when several were given and the row names none.
fn score_each_target<'a>(
    scorer: &'a Scorer,
    state: &mut ScoreState,
    example: &'a Example,
    settings: &Settings<'a>,
    mut emit: impl FnMut(&crate::scoring::ScoreRow<'a>),
) {
    let mut emit = |row: &crate::scoring::ScoreRow<'a>| {
        if let Some(language) = row.unseen_language {
            warn_unseen_language(scorer, language);
        }
        emit(row)
    };
    if settings.targets.is_empty() || example.target.is_some() {
        return score_example(scorer, state, example, &settings.rows, emit);
    }
    for target in settings.targets {
        let options = RowOptions {
            target: Some(target.as_str()),
            ..settings.rows
        };
        score_example(scorer, state, example, &options, &mut emit);
    }
}

/// Says, once per language and run, that the model never saw a statement in it: its stances
/// there rest on names and shared words only.
fn warn_unseen_language(scorer: &Scorer, language: Language) {
    static WARNED: std::sync::Mutex<Vec<Language>> = std::sync::Mutex::new(Vec::new());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    if warned.contains(&language) {
        return;
    }
    warned.push(language);
    let seen: Vec<String> = scorer
        .known_languages()
        .iter()
        .map(|(name, n)| format!("{name} ({n} statements)"))
        .collect();
    eprintln!(
        "warning: some statements are in {} (detected), and the model was trained on {} only: \
         its stances there are guesses",
        language.name(),
        seen.join(", ")
    );
}

/// Lines of the input read together: their bytes in one buffer, and where each line sits.
#[derive(Default)]
struct Chunk {
    bytes: Vec<u8>,
    /// (line number, start, end) of each line in `bytes`.
    lines: Vec<(usize, usize, usize)>,
}

impl Chunk {
    /// Reads up to `CHUNK_ROWS` lines after line `*line_number`.
    fn read(
        &mut self,
        name: &str,
        reader: &mut impl BufRead,
        line_number: &mut usize,
    ) -> Result<()> {
        self.bytes.clear();
        self.lines.clear();
        while self.lines.len() < CHUNK_ROWS {
            let start = self.bytes.len();
            let read =
                reader.read_until(b'\n', &mut self.bytes).map_err(|e| {
                    match LineTooLong::of(&e) {
                        Some(long) => Error::input(name, long.line, long.to_string()),
                        None => Error::input(name, *line_number + 1, e.to_string()),
                    }
                })?;
            if read == 0 {
                break;
            }
            *line_number += 1;
            self.lines.push((*line_number, start, self.bytes.len()));
        }
        Ok(())
    }

    /// The first line that is not blank, as text.
    fn first_line(&self) -> String {
        (0..self.lines.len())
            .map(|i| {
                String::from_utf8_lossy(self.line(i).1)
                    .trim_end()
                    .to_string()
            })
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
    }

    fn line(&self, index: usize) -> (usize, &[u8]) {
        let (number, start, end) = self.lines[index];
        (number, &self.bytes[start..end])
    }
}

/// Scores an input read once from `reader`: its format is the one given or told by its name
/// (`path`) and first line; line-based formats go chunk by chunk through `stream_lines`, others
/// record by record through `stream_records`.
fn stream(
    scorer: &Scorer,
    name: &str,
    path: Option<&Path>,
    mut reader: impl BufRead,
    format: Option<Format>,
    settings: &Settings,
    output: &mut Output,
) -> Result<()> {
    let mut line_number = 0;
    let mut first = Chunk::default();
    first.read(name, &mut reader, &mut line_number)?;
    let format = match format {
        Some(format) => format,
        None => Format::detect(path, &first.first_line())?,
    };
    let (saw_row, skipped) = if format.is_line_based() {
        stream_lines(
            scorer,
            name,
            (first, line_number),
            reader,
            format,
            settings,
            output,
        )?
    } else {
        // The lines read to tell the format are the start of the stream.
        let reader = std::io::Cursor::new(first.bytes).chain(reader);
        stream_records(scorer, name, reader, format, settings, output)?
    };
    super::report_skipped(&skipped);
    if !saw_row {
        return Err(Error::file(name, "holds no valid statements"));
    }
    Ok(())
}

/// Reads CSV, TSV or SemEval rows, CHUNK_ROWS at a time, and scores each chunk in parallel.
fn stream_records(
    scorer: &Scorer,
    name: &str,
    reader: impl BufRead,
    format: Format,
    settings: &Settings,
    output: &mut Output,
) -> Result<(bool, Vec<Error>)> {
    let mut rows = data::records(name, reader, format, Need::Unlabeled)?;
    let (mut saw_row, mut skipped) = (false, Vec::new());
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    loop {
        chunk.clear();
        for row in rows.by_ref() {
            match row {
                Ok(example) => chunk.push(example),
                Err(e @ Error::Input { .. }) if settings.skip_invalid => skipped.push(e),
                Err(e) => return Err(e),
            }
            if chunk.len() == CHUNK_ROWS {
                break;
            }
        }
        if chunk.is_empty() {
            return Ok((saw_row, skipped));
        }
        saw_row = true;
        output.write_pieces(&score_chunk(scorer, &chunk, settings))?;
    }
}

/// Reads a line-based input chunk by chunk, starting with the chunk already read; parses,
/// scores and serializes each chunk in parallel while the next chunk is read, and a writer
/// thread writes the ones before.
fn stream_lines(
    scorer: &Scorer,
    name: &str,
    (mut current, mut line_number): (Chunk, usize),
    mut reader: impl BufRead,
    format: Format,
    settings: &Settings,
    output: &mut Output,
) -> Result<(bool, Vec<Error>)> {
    let mut next = Chunk::default();
    let mut saw_row = false;
    let mut skipped = Vec::new();
    std::thread::scope(|threads| {
        // Writes happen on their own thread, so that a slow or throttled write never keeps the
        // pool waiting; at most two scored chunks wait for it, so memory stays bounded.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(2);
        let writer = threads.spawn(move || -> Result<()> {
            receiver
                .into_iter()
                .try_for_each(|pieces| output.write_pieces(&pieces))
        });
        let mut scoring = || -> Result<()> {
            while !current.lines.is_empty() {
                // The pool scores this chunk while this thread (the reader need not be Send)
                // reads the next.
                let mut result = Ok(Default::default());
                let read = rayon::in_place_scope(|scope| {
                    scope.spawn(|_| result = score_lines(scorer, name, &current, format, settings));
                    next.read(name, &mut reader, &mut line_number)
                });
                let (bytes, rows, mut bad) = result?;
                read?;
                saw_row |= rows > 0;
                skipped.append(&mut bad);
                if sender.send(bytes).is_err() {
                    break; // the writer stopped on an error, returned below
                }
                std::mem::swap(&mut current, &mut next);
            }
            Ok(())
        };
        let scored = scoring();
        drop(sender);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.and(scored)
    })?;
    Ok((saw_row, skipped))
}

/// Parses and scores one chunk: its output, the number of valid rows, and the invalid rows
/// left out (with --skip-invalid; otherwise the first invalid row is the error). Lines are
/// parsed and scored in one parallel pass, slices of lines at a time.
fn score_lines(
    scorer: &Scorer,
    name: &str,
    chunk: &Chunk,
    format: Format,
    settings: &Settings,
) -> Result<(Vec<Vec<u8>>, usize, Vec<Error>)> {
    let indices: Vec<usize> = (0..chunk.lines.len()).collect();
    // Per slice: its output, valid rows, invalid rows, and the first line of many sentences.
    type Slice = (Vec<u8>, usize, Vec<Error>, Option<usize>);
    let slices: Vec<Slice> = indices
        .par_chunks(64)
        .map_init(
            || settings.states.take(),
            |state, slice| {
                let mut out = Vec::with_capacity(256 * slice.len());
                let (mut rows, mut bad) = (0, Vec::new());
                let mut long_line = None;
                for &i in slice {
                    let (line, bytes) = chunk.line(i);
                    let parsed = std::str::from_utf8(bytes)
                        .map_err(|_| Error::input(name, line, "is not valid UTF-8"))
                        .and_then(|text| {
                            data::parse_line(name, line, text, format, Need::Unlabeled)
                        });
                    match parsed {
                        Ok(Some(example)) => {
                            rows += 1;
                            if format == Format::Text
                                && settings.warn_long_lines
                                && long_line.is_none()
                                && example.text.bytes().filter(|b| b".?!".contains(b)).count() > 3
                                && crate::article::split(&example.text).len() > 3
                            {
                                long_line = Some(line);
                            }
                            score_each_target(scorer, state, &example, settings, |row| {
                                write_row(&mut out, row, settings)
                            });
                        }
                        Ok(None) => {}
                        Err(e) => bad.push(e),
                    }
                }
                (out, rows, bad, long_line)
            },
        )
        .collect();
    let (mut pieces, mut rows, mut skipped) = (Vec::with_capacity(slices.len()), 0, Vec::new());
    for (out, n, bad, long_line) in slices {
        if let Some(line) = long_line {
            warn_long_line(name, line);
        }
        for e in bad {
            // The first invalid row, in input order, stops the run unless it may be skipped.
            if settings.skip_invalid && matches!(e, Error::Input { .. }) {
                skipped.push(e);
            } else {
                return Err(e);
            }
        }
        pieces.push(out);
        rows += n;
    }
    Ok((pieces, rows, skipped))
}

/// Says, once per run, that a text line holds several sentences.
fn warn_long_line(name: &str, line: usize) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        eprintln!(
            "warning: {name}:{line}: this line holds more than 3 sentences, and each line is scored \
             as one statement; for an article, use --input-format article to score it sentence by sentence"
        );
    }
}

/// Scores a chunk in parallel; returns its output lines, in order, in pieces.
fn score_chunk(scorer: &Scorer, examples: &[Example], settings: &Settings) -> Vec<Vec<u8>> {
    // Slices of rows, so that each task writes into one buffer.
    examples
        .par_chunks(64)
        .map_init(
            || settings.states.take(),
            |state, slice| {
                let mut out = Vec::with_capacity(256 * slice.len());
                for example in slice {
                    score_each_target(scorer, state, example, settings, |row| {
                        write_row(&mut out, row, settings)
                    });
                }
                out
            },
        )
        .collect()
}

#[cfg(test)]
mod tests;
