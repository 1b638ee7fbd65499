//! The project's labeled corpus (labeled/train.jsonl, labeled/test.jsonl, and the held-apart
//! check set labeled/checks/analytical.jsonl, which must share no statement with them) against its party
//! registry (labeled/parties.toml): the checks that scripts/corpus/stats.py makes (that script
//! keeps the statistics). Every row parses and has a valid stance and a canonical party as its
//! target; every statement mentions each party it has a row for, has one row per party it
//! mentions, and sits in one file only. Mentions are found by the crate's own matcher, the one
//! training and scoring use. Each problem names the file and line of its row.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use stance::parties::Registry;

const FILES: [&str; 3] = [
    "labeled/train.jsonl",
    "labeled/test.jsonl",
    "labeled/checks/analytical.jsonl",
];
const STANCES: [&str; 3] = ["favor", "against", "none"];

/// A row that parsed, for the checks across rows.
struct Row<'a> {
    /// `file:line`.
    place: String,
    file: &'a str,
    text: String,
    target: Option<String>,
}

/// The problems of `files` (name and content) against `registry`, each as `file:line: what`.
fn problems(registry: &Registry, files: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for &(file, content) in files {
        for (index, line) in content.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let place = format!("{file}:{}", index + 1);
            if let Some(row) = check_row(registry, file, place, line, &mut problems) {
                rows.push(row);
            }
        }
    }
    check_statements(registry, &rows, &mut problems);
    problems
}

/// One row's own checks: JSON, stance, target; the row when it has a text.
fn check_row<'a>(
    registry: &Registry,
    file: &'a str,
    place: String,
    line: &str,
    problems: &mut Vec<String>,
) -> Option<Row<'a>> {
    let row: Value = match serde_json::from_str(line) {
        Ok(row) => row,
        Err(e) => {
            problems.push(format!("{place}: bad JSON: {e}"));
            return None;
        }
    };
    let field = |name: &str| row.get(name).unwrap_or(&Value::Null);
    let target = field("target").as_str();
    if !target.is_some_and(|t| registry.parties().iter().any(|p| p.name == t)) {
        problems.push(format!(
            "{place}: target {} is not a canonical party",
            field("target")
        ));
    }
    if !field("stance")
        .as_str()
        .is_some_and(|s| STANCES.contains(&s))
    {
        problems.push(format!("{place}: stance {}", field("stance")));
    }
    let Some(text) = field("text").as_str() else {
        problems.push(format!("{place}: text {} is not a string", field("text")));
        return None;
    };
    Some(Row {
        place,
        file,
        text: text.to_string(),
        target: target.map(str::to_string),
    })
}

/// The checks across the rows of one statement (its text): one row per party it mentions and
/// none for a party it does not; and across files: a statement is in one file only.
fn check_statements(registry: &Registry, rows: &[Row], problems: &mut Vec<String>) {
    // Statements in order of their first row.
    let mut statements: Vec<Vec<&Row>> = Vec::new();
    let mut by_text: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let next = statements.len();
        let index = *by_text.entry(row.text.as_str()).or_insert(next);
        if index == next {
            statements.push(Vec::new());
        }
        statements[index].push(row);
    }
    for rows in &statements {
        let first = rows[0];
        let mut mentioned: Vec<&str> = registry
            .mentions(&first.text)
            .iter()
            .map(|m| registry.parties()[m.party].name.as_str())
            .collect();
        mentioned.sort_unstable();
        mentioned.dedup();
        // Targets in order of their first row, with their counts.
        let mut labeled: Vec<(&str, usize)> = Vec::new();
        for target in rows.iter().filter_map(|r| r.target.as_deref()) {
            match labeled.iter_mut().find(|(t, _)| *t == target) {
                Some((_, count)) => *count += 1,
                None => labeled.push((target, 1)),
            }
        }
        for &(target, count) in &labeled {
            if count > 1 {
                problems.push(format!(
                    "{}: {target} labeled {count} times for one statement",
                    first.place
                ));
            }
            if !mentioned.contains(&target) {
                problems.push(format!(
                    "{}: {target} is not mentioned by any alias",
                    first.place
                ));
            }
        }
        for party in mentioned {
            if !labeled.iter().any(|&(t, _)| t == party) {
                problems.push(format!(
                    "{}: mentions {party} but has no row for it",
                    first.place
                ));
            }
        }
        if let Some(other) = rows.iter().find(|r| r.file != first.file) {
            problems.push(format!(
                "{}: statement also in {}",
                first.place, other.place
            ));
        }
    }
}

/// At most this many problems are listed in a failure message.
const LISTED: usize = 200;

fn report(problems: &[String]) -> String {
    let mut message = format!("{} problems in the labeled corpus:\n", problems.len());
    for problem in problems.iter().take(LISTED) {
        message.push_str("  ");
        message.push_str(problem);
        message.push('\n');
    }
    if problems.len() > LISTED {
        message.push_str(&format!("  … and {} more\n", problems.len() - LISTED));
    }
    message
}

#[test]
fn the_labeled_corpus_agrees_with_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| {
        std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let registry = Registry::from_toml(&read("labeled/parties.toml"), "labeled/parties.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let contents: Vec<String> = FILES.iter().map(|f| read(f)).collect();
    let files: Vec<(&str, &str)> = FILES
        .iter()
        .copied()
        .zip(contents.iter().map(String::as_str))
        .collect();
    assert!(
        files
            .iter()
            .all(|(_, content)| content.lines().count() > 100),
        "the labeled files are missing or nearly empty"
    );
    let problems = problems(&registry, &files);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn each_kind_of_bad_row_is_named_by_file_and_line() {
    let registry = Registry::from_toml(
        r#"
[[party]]
name = "Russia"
aliases = ["Moscow", "Kremlin"]

[[party]]
name = "Ukraine"
aliases = ["Kyiv"]
"#,
        "test registry",
    )
    .unwrap();
    let train = [
        r#"{"text": "Moscow thanked Kyiv.", "target": "Russia", "stance": "favor"}"#,
        r#"{"text": "Moscow thanked Kyiv.", "target": "Ukraine", "stance": "favor"}"#,
        "",
        r#"{"text": "Kyiv praised the Kremlin.", "target": "Kyiv", "stance": "pro"}"#,
        r#"{"text": "Kyiv praised the Kremlin.", "target": "Russia", "stance": "none"}"#,
        r#"{"text": "Kyiv praised the Kremlin.", "target": "Russia", "stance": "none"}"#,
        r#"{"text": "Rain in Paris.", "target": "Russia", "stance": "none"}"#,
        r#"{"text": "Rain in Paris.", "target": 7, "stance": "none"}"#,
        r#"{"target": "Russia", "stance": "none"}"#,
        r#"{"text": "unterminated"#,
    ]
    .join("\n");
    let test = r#"{"text": "Moscow thanked Kyiv.", "target": "Russia", "stance": "favor"}"#;
    let problems = problems(&registry, &[("train.jsonl", &train), ("test.jsonl", test)]);
    let expected = [
        r#"train.jsonl:4: target "Kyiv" is not a canonical party"#,
        r#"train.jsonl:4: stance "pro""#,
        r#"train.jsonl:8: target 7 is not a canonical party"#,
        "train.jsonl:9: text null is not a string",
        "train.jsonl:10: bad JSON: ",
        "train.jsonl:1: Russia labeled 2 times for one statement",
        "train.jsonl:1: statement also in test.jsonl:1",
        "train.jsonl:4: Russia labeled 2 times for one statement",
        "train.jsonl:4: Kyiv is not mentioned by any alias",
        "train.jsonl:4: mentions Ukraine but has no row for it",
        "train.jsonl:7: Russia is not mentioned by any alias",
    ];
    for problem in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(problem)),
            "missing {problem:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    assert!(report(&problems).starts_with("11 problems in the labeled corpus:\n  train.jsonl:4: "));
}
