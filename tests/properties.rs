//! Property tests: the analyzer, the party registry, the readers and the model file never panic on
//! arbitrary input, and every offset they hand back stays inside the text it came from.
//!
//! Inputs mix arbitrary Unicode with the pieces that trip text code: combining marks, emoji (ZWJ
//! sequences, skin tones, flags), right-to-left text and bidi controls, NUL and other controls,
//! very long words, apostrophes, `#` and `@`, URLs, digits with `,` and `.`, case folds that change
//! a character's length (`İ`, `ẞ`, `Σ`), and party names from the embedded registry.

use proptest::prelude::*;
use proptest::sample::select;
use std::sync::OnceLock;

use stance::data::{self, Example, Format, Need, Stance};
use stance::model::{StanceModel, TrainOptions};
use stance::model_file;
use stance::parties::Registry;
use stance::text::{Analyzer, AnalyzerConfig, Language, Term};

/// Few enough that `cargo test --release --test properties` takes seconds.
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=20000 for a longer hunt.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        // Failures are reported with their minimal input; no files written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "Kyiv",
    "Moscow",
    "the Kremlin",
    "Kremlin",
    "White House",
    "U.S.",
    "U.S.A.",
    "US",
    "us",
    "UN",
    "EU",
    "NATO",
    "Washington",
    "Türkiye",
    "İstanbul",
    "İİİ",
    "ΣΊΣΥΦΟΣ",
    "ὈΔΥΣΣΕΎΣ",
    "straße",
    "STRAẞE",
    "Mahmoud Abbas",
    "Abbas Araghchi",
    "Islamic Republic of Iran",
    "Hezbollah",
    "didn't",
    "Sana'a",
    "Russia's",
    "won’t",
    "n't",
    "'s",
    "but",
    "However",
    "not",
    "never",
    "cannot",
    "sanctions",
    "condemned",
    "<target>",
    "<party>",
    "c:",
    "L1:",
    "ﬁnance",
    "Ǆemal",
    "ǅ",
    "K", // Kelvin sign
    "Å", // Angstrom sign
];

const EMOJI: &[&str] = &[
    "👍",
    "👍🏽",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇺🇦",
    "🇷🇺🇺🇸",
    "❤️",
    "☺︎",
    "😀",
    "#️⃣",
    "1️⃣",
    "🧑🏿‍🚀",
];

const RTL: &[&str] = &[
    "مرحبا",
    "الولايات المتحدة",
    "روسيا",
    "إيران",
    "שלום",
    "ישראל",
    "\u{202E}drawkcab\u{202C}",
    "\u{200F}",
    "\u{200E}",
    "\u{2067}عربى\u{2069}",
    "ٱلْعَرَبِيَّة",
];

const CONTROLS: &[&str] = &[
    "\0",
    "\u{1}",
    "\u{7}",
    "\u{1B}[31m",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{200B}",
    "\u{200D}",
    "\u{00AD}",
    "\u{FFFF}",
    "\u{10FFFF}",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "", "\n", ", ", ". ", "; ", "\u{00A0}", "\u{3000}", "\t", "—", " - ", "/",
];

/// One piece of a statement.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(WORDS).prop_map(String::from),
        2 => "[a-zA-Z]{1,8}",
        1 => "[a-zA-Z]{1,4}[\u{0300}-\u{036F}\u{0483}-\u{0489}\u{20D0}-\u{20F0}]{1,4}[a-z]{0,3}",
        1 => "[\u{0300}-\u{036F}]{1,3}",
        1 => select(EMOJI).prop_map(String::from),
        1 => select(RTL).prop_map(String::from),
        1 => select(CONTROLS).prop_map(String::from),
        1 => (1usize..2500, select(vec!["a", "é", "ß", "İ", "ﬁ", "9", "_", "ي"]))
            .prop_map(|(n, c)| c.repeat(n)),
        1 => "[a-z\u{0301}']{100,400}",
        1 => "[a-zA-Z]{0,4}['’`‘]{1,2}[a-zA-Z]{0,4}",
        1 => "[#@]{1,3}[a-zA-Z0-9_'’\u{0301}]{0,10}",
        1 => "(https?://|HTTP://|www\\.|WwW\\.|http:/|ww\\.)[a-z0-9./?=&%#@é—]{0,24}",
        1 => "[0-9]{0,5}([,.][0-9]{0,4}){0,4}[,.]?",
        1 => "[,;:.!?()—–\"“”'\\-]{1,3}",
        1 => "\\PC{1,12}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// A statement: pieces joined by separators, or an arbitrary string.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec((piece(), select(SEPARATORS)), 0..24).prop_map(|parts| {
            parts.into_iter().fold(String::new(), |mut s, (p, sep)| {
                s.push_str(&p);
                s.push_str(sep);
                s
            })
        }),
        1 => any::<String>(),
        1 => "\\PC{0,64}",
    ]
}

/// A span that may be inside, at the edge of, past the end of, reversed, empty or absurd.
fn span(chars: usize) -> impl Strategy<Value = (usize, usize)> {
    prop_oneof![
        4 => (0..=chars + 2, 0..=chars + 2),
        1 => (0..=chars, 0..=chars).prop_map(|(a, b)| (a.max(b), a.min(b))),
        1 => (0..=chars).prop_map(|a| (a, a)),
        1 => (any::<usize>(), any::<usize>()),
        1 => Just((0, usize::MAX)),
        1 => Just((usize::MAX, 0)),
        1 => Just((usize::MAX - 1, usize::MAX)),
    ]
}

type Spans = Vec<(usize, usize)>;

fn text_and_spans() -> impl Strategy<Value = (String, Spans, Spans)> {
    text().prop_flat_map(|text| {
        let n = text.chars().count();
        (
            Just(text),
            prop::collection::vec(span(n), 0..6),
            prop::collection::vec(span(n), 0..6),
        )
    })
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "Russia",
            "russia",
            " United States ",
            "U.S.",
            "us",
            "EU",
            "Ukraine",
            "Türkiye",
            "Turkey",
            "Hillary Clinton",
            "Atheism",
            "",
            " ",
            "İ",
            "a",
        ])
        .prop_map(String::from),
        piece(),
        "\\PC{0,16}",
    ]
}

// ---------------------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------------------

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default_registry)
}

fn analyzers() -> &'static [(&'static str, Analyzer)] {
    static ANALYZERS: OnceLock<Vec<(&'static str, Analyzer)>> = OnceLock::new();
    ANALYZERS.get_or_init(|| {
        vec![
            ("default", Analyzer::new(AnalyzerConfig::default())),
            (
                "char n-grams 2..5",
                Analyzer::new(AnalyzerConfig {
                    char_min: 2,
                    char_max: 5,
                    ..AnalyzerConfig::default()
                }),
            ),
        ]
    })
}

/// Every stemming language (`auto` only picks one of them).
fn languages() -> Vec<Language> {
    Language::ALL
        .into_iter()
        .filter(|&l| l != Language::Auto)
        .collect()
}

fn example(text: &str, target: &str, stance: Stance) -> Example {
    Example {
        id: None,
        text: text.to_string(),
        target: Some(target.to_string()),
        stance: Some(stance),
        spans: None,
        line: 1,
        source: 0,
    }
}

/// A tiny model trained on hand-written rows, and its bytes.
fn tiny_model() -> &'static (StanceModel, Vec<u8>) {
    static MODEL: OnceLock<(StanceModel, Vec<u8>)> = OnceLock::new();
    MODEL.get_or_init(|| {
        use Stance::*;
        let examples = [
            example("Kyiv thanked Brussels for the new aid.", "Ukraine", None),
            example(
                "Kyiv thanked Brussels for the new aid.",
                "European Union",
                Favor,
            ),
            example("Moscow condemned the sanctions.", "Russia", None),
            example(
                "Brussels condemned Moscow over the strikes.",
                "Russia",
                Against,
            ),
            example(
                "Brussels condemned Moscow over the strikes.",
                "European Union",
                None,
            ),
            example("Washington praised NATO's resolve.", "NATO", Favor),
            example("The Kremlin accused NATO of provocation.", "NATO", Against),
            example("Beijing did not condemn Moscow.", "Russia", Favor),
            example("Ankara welcomed Kyiv's proposal.", "Ukraine", Favor),
            example(
                "Tehran denounced Washington's sanctions.",
                "United States",
                Against,
            ),
            example("The talks in Geneva were postponed.", "United States", None),
            example("Kyiv accused Moscow of shelling.", "Russia", Against),
        ];
        let options = TrainOptions {
            min_df: 1,
            ..TrainOptions::default()
        };
        // A few hand-made word vectors, so that the dense block is in the tiny model too.
        let vectors = "thanked 1 0.5 0\ncondemned -1 0 0.5\nsanctions -0.5 -0.5 1\naid 0.5 1 0\nkyiv 0 0.2 0.9\n";
        let vectors =
            stance::vectors::WordVectors::from_text("tiny.vec", "0", vectors.as_bytes(), 100)
                .expect("the tiny vectors read");
        let model =
            stance::train::train(&examples, Vec::new(), &options, registry(), Some(&vectors))
                .expect("the tiny model trains");
        let bytes = model_file::to_bytes(&model).expect("the tiny model serializes");
        (model, bytes)
    })
}

/// The terms' spans are inside the text and in order, without overlapping.
fn check_terms<'a>(
    terms: impl IntoIterator<Item = &'a Term>,
    chars: usize,
) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for term in terms {
        prop_assert!(
            term.start <= term.end && term.end <= chars,
            "term {term:?} is outside a text of {chars} characters"
        );
        prop_assert!(
            term.start >= previous_end,
            "term {term:?} starts before the previous term ends ({previous_end})"
        );
        previous_end = term.end;
    }
    Ok(())
}

fn check_spans(spans: &[(usize, usize)], chars: usize, what: &str) -> Result<(), TestCaseError> {
    for &(start, end) in spans {
        prop_assert!(
            start < end && end <= chars,
            "{what} span ({start}, {end}) is empty or outside a text of {chars} characters"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Analyzer
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn analyzer_terms_stay_inside_the_text((text, targets, others) in text_and_spans()) {
        let chars = text.chars().count();
        for (_, analyzer) in analyzers() {
            let terms = analyzer.terms(&text, &targets, &others);
            check_terms(terms.iter(), chars)?;
            let features = analyzer.features(&text, &targets, &others);
            prop_assert!(terms.is_empty() || !features.is_empty());
            // Registry spans are what training and scoring actually pass.
            let (spans, other_spans) = registry().spans(&text, "Russia", None);
            check_terms(analyzer.terms(&text, &spans, &other_spans).iter(), chars)?;
            let _ = analyzer.features(&text, &spans, &other_spans);
        }
    }

    #[test]
    fn analyzer_never_panics_in_any_language(text in text(), language in select(languages())) {
        let analyzer = Analyzer::new(AnalyzerConfig {
            language,
            ngram_max: 3,
            char_min: 1,
            char_max: 4,
            ..AnalyzerConfig::default()
        });
        let chars = text.chars().count();
        let (spans, others) = registry().spans(&text, "Ukraine", None);
        check_terms(analyzer.terms(&text, &spans, &others).iter(), chars)?;
        let _ = analyzer.features(&text, &spans, &others);
    }
}

// ---------------------------------------------------------------------------------------------
// Party registry
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mentions_are_sorted_disjoint_and_inside_the_text(text in text()) {
        let registry = registry();
        let chars = text.chars().count();
        let mentions = registry.mentions(&text);
        let mut previous_end = 0;
        for m in &mentions {
            prop_assert!(m.start < m.end && m.end <= chars, "{m:?} outside {chars} characters");
            prop_assert!(m.start >= previous_end, "{m:?} overlaps or precedes the previous mention");
            prop_assert!(m.party < registry.parties().len());
            previous_end = m.end;
        }
    }

    #[test]
    fn target_spans_stay_inside_the_text(
        (text, given, _) in text_and_spans(),
        target in target(),
    ) {
        let registry = registry();
        let chars = text.chars().count();
        check_spans(&registry.target_spans(&text, &target), chars, "target_spans")?;
        let (spans, others) = registry.spans(&text, &target, None);
        check_spans(&spans, chars, "spans (target)")?;
        check_spans(&others, chars, "spans (others)")?;
        // Given spans are passed through as given; the other parties' spans are still found.
        let (passed, others) = registry.spans(&text, &target, Some(&given));
        prop_assert_eq!(passed, given);
        check_spans(&others, chars, "spans with given spans (others)")?;
        let _ = stance::folding::find_words(&text, &target);
    }

    #[test]
    fn folding_in_place_equals_folding_into_a_string(text in text(), target in target()) {
        for t in [text.as_str(), target.as_str()] {
            let folded = stance::folding::with_folded(t, str::to_string);
            prop_assert_eq!(folded, stance::folding::fold(t));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

const FORMATS: [Format; 5] = [
    Format::Jsonl,
    Format::Csv,
    Format::Tsv,
    Format::Semeval,
    Format::Text,
];

fn file_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "f.jsonl",
            "data/train.csv",
            "-",
            "<stdin>",
            "a b.tsv",
            "ü/ﬁ.txt",
            "x:1"
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9_./ -]{1,24}",
        "\\PC{1,16}",
    ]
}

fn stance_label() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(vec!["favor", "FAVOR", "Favour", " against ", "AGAINST", "NONE", "none"])
            .prop_map(String::from),
        1 => select(vec!["neutral", "", " ", "null", "favor\u{0301}", "ﬀavor", "İnone"])
            .prop_map(String::from),
        1 => "\\PC{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A JSON object row: mostly well-formed, with fields sometimes missing, mistyped or out of range.
fn jsonl_row() -> impl Strategy<Value = String> {
    use serde_json::{json, Map, Value};
    text()
        .prop_flat_map(|text| {
            let n = text.chars().count();
            let spans = prop_oneof![
                3 => prop::collection::vec(
                    (0..=n, 1..=n.max(1)).prop_map(|(a, b)| (a.min(b), a.max(b))), 0..3)
                    .prop_map(|v| json!(v.into_iter().map(|(a, b)| vec![a, b]).collect::<Vec<_>>())),
                1 => prop::collection::vec(span(n), 0..4)
                    .prop_map(|v| json!(v.into_iter().map(|(a, b)| vec![a, b]).collect::<Vec<_>>())),
                1 => json_value(),
            ];
            (
                prop_oneof![20 => Just(Some(Value::String(text))), 1 => Just(None), 1 => json_value().prop_map(Some)],
                prop_oneof![20 => target().prop_map(|t| Some(Value::String(t))), 1 => Just(None), 1 => json_value().prop_map(Some)],
                prop_oneof![20 => stance_label().prop_map(|s| Some(Value::String(s))), 1 => Just(None), 1 => json_value().prop_map(Some)],
                prop_oneof![3 => Just(None), 1 => spans.prop_map(Some)],
                prop_oneof![
                    4 => Just(None),
                    4 => any::<u64>().prop_map(|n| Some(json!(n))),
                    4 => "\\PC{0,8}".prop_map(|s| Some(Value::String(s))),
                    1 => json_value().prop_map(Some),
                ],
                prop::collection::vec(("[a-z_]{1,8}", json_value()), 0..2),
            )
        })
        .prop_map(|(text, target, stance, spans, id, extra)| {
            let mut object = Map::new();
            for (key, value) in extra {
                object.insert(key, value);
            }
            for (key, value) in [
                ("text", text),
                ("target", target),
                ("stance", stance),
                ("spans", spans),
                ("id", id),
            ] {
                if let Some(value) = value {
                    object.insert(key.to_string(), value);
                }
            }
            Value::Object(object).to_string()
        })
}

/// A JSONL line: a row, other JSON, blank or broken text.
fn jsonl_line() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => jsonl_row(),
        1 => json_value().prop_map(|v| v.to_string()),
        1 => text(),
        1 => select(vec!["", "   ", "\u{feff}", "{}", "null", "[]"]).prop_map(String::from),
        1 => "\\{\"text\": \"[^\"]{0,6}(\\\\u[dD][89a-fA-F][0-9a-f]{2})?\"?,?",
        1 => jsonl_row().prop_map(|row| format!("{row}{row}")),
    ]
}

fn line_ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        6 => Just("\n"),
        2 => Just("\r\n"),
        1 => Just("\r"),
        1 => Just("\n\n"),
    ]
}

fn with_bom(body: String, bom: bool) -> String {
    if bom {
        format!("\u{feff}{body}")
    } else {
        body
    }
}

fn jsonl_content() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(jsonl_line(), 0..4),
        line_ending(),
        prop::bool::weighted(0.1),
        any::<bool>(),
    )
        .prop_map(|(lines, ending, bom, trailing)| {
            let mut body = lines.join(ending);
            if trailing {
                body.push_str(ending);
            }
            with_bom(body, bom)
        })
}

/// Text with the delimited formats' own specials (delimiters, quotes, line breaks) taken out.
fn clean_text(delimiter: char) -> impl Strategy<Value = String> {
    text().prop_map(move |t| {
        t.chars()
            .map(|c| match c {
                '\n' | '\r' | '"' => ' ',
                c if c == delimiter => ' ',
                c => c,
            })
            .collect()
    })
}

/// A field of a delimited file, chosen by its column's name: mostly what the column should hold,
/// sometimes anything (quoted, with delimiters, quotes or line breaks inside).
fn field(column: &str, delimiter: char) -> BoxedStrategy<String> {
    let fitting: BoxedStrategy<String> = match column.trim().to_ascii_lowercase().as_str() {
        "text" | "tweet" => clean_text(delimiter).boxed(),
        "target" => target()
            .prop_map(move |t| t.replace(['\n', '\r', '"', delimiter], " "))
            .boxed(),
        "stance" => stance_label()
            .prop_map(move |t| t.replace(['\n', '\r', '"', delimiter], " "))
            .boxed(),
        _ => "[a-zA-Z0-9_ ]{0,8}".boxed(),
    };
    prop_oneof![
        40 => fitting,
        1 => text().prop_map(|t| format!("\"{}\"", t.replace('"', "\"\""))),
        1 => text(),
        1 => select(vec!["", "\"", "\"\"", "\"a\"b", "a,b", "a\tb", "\"a\nb\"", "\r", " "])
            .prop_map(String::from),
    ]
    .boxed()
}

fn header() -> impl Strategy<Value = Vec<String>> {
    let required = prop::sample::subsequence(vec!["id", "target", "stance", "note"], 0..=4)
        .prop_map(|columns| {
            let mut columns: Vec<String> = columns.into_iter().map(String::from).collect();
            columns.push("text".into());
            columns
        })
        .prop_shuffle();
    let spelled = prop::collection::vec(
        select(vec![
            "text", "target", "stance", "id", " Text ", "STANCE", "Target", "tweet", "", "text",
        ])
        .prop_map(String::from),
        0..6,
    );
    let full = Just(
        ["id", "text", "target", "stance"]
            .map(String::from)
            .to_vec(),
    )
    .prop_shuffle();
    prop_oneof![
        4 => full,
        4 => required,
        2 => spelled,
        1 => prop::collection::vec("\\PC{0,6}", 0..5),
    ]
}

fn delimited_content(delimiter: char) -> impl Strategy<Value = String> {
    header()
        .prop_flat_map(move |header| {
            let row: Vec<BoxedStrategy<String>> = header
                .iter()
                .map(|column| field(column, delimiter))
                .collect();
            let any_row = prop::collection::vec(field("", delimiter), 0..6);
            let rows = prop::collection::vec(
                prop_oneof![8 => row.prop_map(|r| r), 1 => any_row, 1 => Just(Vec::new())],
                0..5,
            );
            (Just(header), rows, line_ending(), prop::bool::weighted(0.1))
        })
        .prop_map(move |(header, rows, ending, bom)| {
            let separator = delimiter.to_string();
            let mut lines = vec![header.join(&separator)];
            lines.extend(rows.into_iter().map(|r| r.join(&separator)));
            with_bom(lines.join(ending), bom)
        })
}

fn semeval_content() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        6 => Just("ID\tTarget\tTweet\tStance".to_string()),
        1 => Just("ID\tTarget\tTweet".to_string()),
        1 => Just("ID\tTarget\tTweet\tStance\r".to_string()),
        1 => Just("id\ttarget\ttweet\tstance".to_string()),
        1 => "ID\tTarget\t\\PC{0,8}",
    ];
    let row = prop_oneof![
        6 => ["[0-9]{1,6}", "\\PC{0,4}"].prop_map(|[a, b]| format!("{a}{b}"))
            .prop_flat_map(|id| (Just(id), field("target", '\t'), field("text", '\t'), field("stance", '\t')))
            .prop_map(|(id, target, text, stance)| vec![id, target, text, stance]),
        1 => ("[0-9]{1,6}", field("target", '\t'), field("text", '\t'))
            .prop_map(|(id, target, text)| vec![id, target, text]),
        1 => prop::collection::vec(field("", '\t'), 0..7),
    ];
    (
        header,
        prop::collection::vec(row, 0..5),
        line_ending(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(header, rows, ending, bom)| {
            let mut lines = vec![header];
            lines.extend(rows.into_iter().map(|r| r.join("\t")));
            with_bom(lines.join(ending), bom)
        })
}

fn any_content() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => text(),
        1 => any::<String>(),
        1 => jsonl_content(),
        1 => delimited_content(','),
        1 => delimited_content('\t'),
        1 => semeval_content(),
    ]
}

/// `parse` in both modes: no panic; rows that come back are whole; errors name the file first.
fn check_parse(name: &str, content: &str, format: Format) -> Result<(), TestCaseError> {
    for need in [Need::Labeled, Need::Unlabeled] {
        match data::parse(name, content, format, need) {
            Ok(rows) => {
                prop_assert!(!rows.is_empty());
                for row in &rows {
                    prop_assert!(
                        !row.text.trim().is_empty(),
                        "{format:?}: empty text in {row:?}"
                    );
                    prop_assert!(row.line >= 1, "{format:?}: line 0 in {row:?}");
                    if need == Need::Labeled {
                        prop_assert!(
                            row.target.is_some() && row.stance.is_some(),
                            "{format:?}: labeled row without target or stance: {row:?}"
                        );
                    }
                    if let Some(spans) = &row.spans {
                        check_spans(spans, row.text.chars().count(), "row")?;
                    }
                }
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(
                    message.starts_with(name),
                    "{format:?} {need:?}: error {message:?} does not start with the file name {name:?}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn jsonl_reader(name in file_name(), content in prop_oneof![4 => jsonl_content(), 1 => any_content()]) {
        check_parse(&name, &content, Format::Jsonl)?;
    }

    #[test]
    fn csv_reader(name in file_name(), content in prop_oneof![4 => delimited_content(','), 1 => any_content()]) {
        check_parse(&name, &content, Format::Csv)?;
    }

    #[test]
    fn tsv_reader(name in file_name(), content in prop_oneof![4 => delimited_content('\t'), 1 => any_content()]) {
        check_parse(&name, &content, Format::Tsv)?;
    }

    #[test]
    fn semeval_reader(name in file_name(), content in prop_oneof![4 => semeval_content(), 1 => any_content()]) {
        check_parse(&name, &content, Format::Semeval)?;
    }

    #[test]
    fn every_reader_on_any_content(name in file_name(), content in any_content()) {
        for format in FORMATS {
            check_parse(&name, &content, format)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Model file
// ---------------------------------------------------------------------------------------------

/// A header with the right magic and version and an arbitrary checksum and length, so that
/// arbitrary bytes get past the first checks.
fn model_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (
            prop::collection::vec(any::<u8>(), 32),
            any::<u64>(),
            prop::collection::vec(any::<u8>(), 0..256),
            any::<bool>(),
        )
            .prop_map(|(checksum, length, payload, honest_length)| {
                let length = if honest_length {
                    payload.len() as u64
                } else {
                    length
                };
                let mut bytes = b"STANCEMD".to_vec();
                bytes.extend_from_slice(&model_file::FORMAT_VERSION.to_le_bytes());
                bytes.extend_from_slice(&checksum);
                bytes.extend_from_slice(&length.to_le_bytes());
                bytes.extend_from_slice(&payload);
                bytes
            }),
        // A valid header over an arbitrary payload: bincode itself gets the bytes.
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|payload| wrap_payload(&payload)),
    ]
}

/// `payload` with a correct header (magic, version, SHA-256, length).
fn wrap_payload(payload: &[u8]) -> Vec<u8> {
    let hex = stance::io::sha256_hex(payload);
    let digest: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut bytes = b"STANCEMD".to_vec();
    bytes.extend_from_slice(&model_file::FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&digest);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// `STANCE_WRITE_MODEL_SEED=1 cargo test --release --test properties tiny_model` rewrites the
/// fuzzers' model seeds (fuzz/corpus/load_model and load_model_payload) from this tiny model.
#[test]
fn tiny_model_round_trips() {
    let (model, bytes) = tiny_model();
    if std::env::var_os("STANCE_WRITE_MODEL_SEED").is_some() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        for (target, seed) in [
            ("load_model", &bytes[..]),
            ("load_model_payload", &bytes[52..]),
        ] {
            let dir = corpus.join(target);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("seed-tiny-model"), seed).unwrap();
        }
    }
    assert!(bytes.len() < 50_000, "tiny model is {} bytes", bytes.len());
    let loaded = model_file::from_bytes("m", bytes).expect("an intact model loads");
    // Compared through the serialized form: the vocabulary's lookup caches are not saved.
    assert_eq!(loaded.vocabulary.terms, model.vocabulary.terms);
    assert_eq!(&model_file::to_bytes(&loaded).unwrap(), bytes);
    // The header-wrapping helper agrees with the writer.
    assert_eq!(&wrap_payload(&bytes[52..]), bytes);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn model_file_never_panics_on_arbitrary_bytes(bytes in model_like_bytes()) {
        if let Err(e) = model_file::from_bytes("m", &bytes) {
            prop_assert!(e.to_string().starts_with("m: "), "{e}");
        }
    }

    #[test]
    fn any_single_byte_corruption_is_an_error(position in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let (_, bytes) = tiny_model();
        let mut corrupted = bytes.clone();
        let at = position.index(corrupted.len());
        corrupted[at] ^= flip;
        let result = model_file::from_bytes("m", &corrupted);
        prop_assert!(result.is_err(), "flipping byte {at} by {flip:#04x} still loads");
        prop_assert!(result.unwrap_err().to_string().starts_with("m: "));
    }

    #[test]
    fn any_truncation_or_extension_is_an_error(
        cut in any::<prop::sample::Index>(),
        extra in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let (_, bytes) = tiny_model();
        let cut = cut.index(bytes.len());
        prop_assert!(model_file::from_bytes("m", &bytes[..cut]).is_err(), "truncated to {cut} bytes still loads");
        let mut longer = bytes.clone();
        longer.extend_from_slice(&extra);
        prop_assert!(model_file::from_bytes("m", &longer).is_err(), "{} trailing bytes still load", extra.len());
    }
}

#[test]
fn every_single_byte_corruption_of_the_header_is_an_error() {
    // The header is small enough to try every position with every bit.
    let (_, bytes) = tiny_model();
    for at in 0..52 {
        for bit in 0..8 {
            let mut corrupted = bytes.clone();
            corrupted[at] ^= 1 << bit;
            assert!(
                model_file::from_bytes("m", &corrupted).is_err(),
                "flipping bit {bit} of header byte {at} still loads"
            );
        }
    }
    for cut in 0..bytes.len().min(200) {
        assert!(model_file::from_bytes("m", &bytes[..cut]).is_err());
    }
}
