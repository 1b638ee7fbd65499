//! End-to-end tests of the `stance` binary: train → score → eval, exit codes and error messages.

mod common;

use common::*;
use std::path::Path;

#[test]
fn train_score_eval_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), &[]);

    let r = run(stance()
        .args(["eval", "--json", "--model"])
        .arg(&model)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["n"], 45);
    // A linear model fits its own 45 training rows.
    assert!(report["accuracy"].as_f64().unwrap() > 0.9, "{report}");
    for key in ["macro_f1", "f_avg", "classes", "confusion", "per_target"] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    // Calibration: a fraction, small on rows the model fits with confidence.
    let ece = report["ece"].as_f64().unwrap();
    assert!((0.0..0.5).contains(&ece), "{report}");

    let out = dir.path().join("scores.jsonl");
    let r = run(stance()
        .args(["score", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(fixture("mini.jsonl"))
        .arg("--output")
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 45);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            row["id"],
            format!("m{}", i + 1),
            "input order and ids are kept"
        );
        let p = &row["probabilities"];
        let (f, a, n) = (
            p["favor"].as_f64().unwrap(),
            p["against"].as_f64().unwrap(),
            p["none"].as_f64().unwrap(),
        );
        assert!((f + a + n - 1.0).abs() < 1e-4);
        let best = if f >= a && f >= n {
            "favor"
        } else if a >= n {
            "against"
        } else {
            "none"
        };
        assert_eq!(row["stance"], best);
    }
}

#[test]
fn eval_thresholds_set_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), &[]);
    let eval = |flag: &str, value: &str, file: &Path| {
        run(stance()
            .args(["eval", "--model"])
            .arg(&model)
            .args([flag, value])
            .arg(file))
    };
    let mini = fixture("mini.jsonl");
    assert_eq!(eval("--min-accuracy", "0.5", &mini).code, 0);
    // The 45-row model cannot be perfect on the project's test split.
    let test = Path::new(env!("CARGO_MANIFEST_DIR")).join("labeled/test.jsonl");
    let missed = eval("--min-macro-f1", "1", &test);
    assert_eq!(missed.code, 1);
    assert!(
        missed.stderr.contains("macro-F1") && missed.stderr.contains("below the threshold 1.0000"),
        "{}",
        missed.stderr
    );
    // A threshold no score can reach is a usage error, not a missed gate.
    assert_eq!(eval("--min-f-avg", "1.5", &mini).code, 2);
}

#[test]
fn the_embedded_model_scores_every_mentioned_party_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(stance().current_dir(dir.path()).args([
        "score",
        "The Kremlin accused Washington of prolonging the war",
        "Rain is expected on Tuesday.",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["target"], "Russia");
    assert_eq!(rows[1]["target"], "United States");
    assert_eq!(rows[1]["stance"], "against");
    assert!(rows[2]["target"].is_null() && rows[2]["stance"].is_null());
    assert!(rows[2]["note"]
        .as_str()
        .unwrap()
        .contains("no registered party"));
}

#[test]
fn targets_may_be_given_by_alias() {
    let r = run(stance().args(["score", "--target", "USA", "Sanctions were announced."]));
    assert_eq!(r.code, 0);
    let rows = json_lines(&r.stdout);
    assert_eq!(rows[0]["target"], "United States");
    assert_eq!(rows[0]["mentioned"], false);
}

#[test]
fn stdin_takes_plain_text_or_jsonl() {
    let r = run(stance()
        .args(["score"])
        .write_stdin("Moscow thanked Beijing.\n\nKyiv praised NATO.\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let targets: Vec<_> = json_lines(&r.stdout)
        .iter()
        .map(|r| r["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(targets, ["Russia", "China", "Ukraine", "NATO"]);
    let r = run(stance()
        .args(["score", "--input", "-"])
        .write_stdin("{\"id\": \"x\", \"text\": \"Iran was blamed.\", \"target\": \"Tehran\"}\n"));
    let rows = json_lines(&r.stdout);
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["target"].as_str()),
        (Some("x"), Some("Iran"))
    );
}

#[test]
fn the_target_placeholder_tells_parties_apart() {
    let dir = tempfile::tempdir().unwrap();
    let with = train_mini(dir.path(), &[]);
    let plain_dir = tempfile::tempdir().unwrap();
    let without = train_mini(plain_dir.path(), &["--plain", "--no-target-placeholder"]);
    let text = "Riyadh praised Washington and condemned Tehran.";
    let probabilities = |model: &Path| -> Vec<String> {
        let r = run(stance().args(["score", "--model"]).arg(model).arg(text));
        json_lines(&r.stdout)
            .iter()
            .map(|r| r["probabilities"].to_string())
            .collect()
    };
    let marked = probabilities(&with);
    assert_eq!(marked.len(), 3);
    assert_ne!(
        marked[1], marked[2],
        "United States and Iran get different scores"
    );
    let unmarked = probabilities(&without);
    assert_eq!(
        unmarked[1], unmarked[2],
        "without the placeholder every party looks the same"
    );
}

#[test]
fn training_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = std::fs::read(train_mini(a.path(), &[])).unwrap();
    let second = std::fs::read(train_mini(b.path(), &[])).unwrap();
    assert_eq!(first, second);
}

#[test]
fn csv_and_semeval_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--out"])
        .arg(&model)
        .arg(fixture("mini.jsonl"))
        .arg(fixture("mini.csv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(stance()
        .args(["eval", "--json", "--model"])
        .arg(&model)
        .arg(fixture("mini-semeval.txt")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["n"], 2);
}

#[test]
fn bad_input_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = "{\"text\": \"a\", \"target\": \"Iran\", \"stance\": \"none\"}\n";
    let cases: Vec<(&str, String, &str)> =
        vec![
        (
            "json.jsonl",
            format!("{good}{{\"text\": \"b\",\n"),
            "json.jsonl:2: malformed JSON",
        ),
        (
            "label.jsonl",
            format!("{good}{good}{{\"text\": \"b\", \"target\": \"Iran\", \"stance\": \"pro\"}}\n"),
            "label.jsonl:3: unknown stance \"pro\"",
        ),
        (
            "notext.jsonl",
            "{\"target\": \"Iran\", \"stance\": \"none\"}\n".into(),
            "notext.jsonl:1: missing `text`",
        ),
        (
            "span.jsonl",
            "{\"text\": \"ab\", \"target\": \"x\", \"stance\": \"none\", \"spans\": [[1, 9]]}\n"
                .into(),
            "span.jsonl:1: span [1, 9] runs past the end",
        ),
        (
            "fields.csv",
            "text,target,stance\n\"a, b\",Iran\n".into(),
            "fields.csv:2: expected 3 fields",
        ),
        ("empty.jsonl", String::new(), "empty.jsonl: holds no valid rows"),
    ];
    for (name, content, expected) in cases {
        let path = write(dir.path(), name, content.as_bytes());
        let r = run(stance().args(["eval"]).arg(&path));
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{name}: expected {expected:?} in {:?}",
            r.stderr
        );
    }
    let utf8 = write(
        dir.path(),
        "bytes.jsonl",
        b"{\"text\": \"ok\", \"target\": \"x\", \"stance\": \"none\"}\n{\"text\": \"\xff\"}\n",
    );
    let r = run(stance().args(["eval"]).arg(&utf8));
    assert!(
        r.stderr.contains("bytes.jsonl:2: is not valid UTF-8"),
        "{}",
        r.stderr
    );
    let r = run(stance().args(["eval", "no/such/file.jsonl"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no/such/file.jsonl: no such file"),
        "{}",
        r.stderr
    );
    let r = run(stance().args(["eval"]).arg(dir.path()));
    assert!(r.stderr.contains("is a directory"), "{}", r.stderr);
}

#[test]
fn broken_model_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read(train_mini(dir.path(), &[])).unwrap();
    let mut wrong_version = model.clone();
    wrong_version[8] = 99;
    let mut corrupted = model.clone();
    let last = corrupted.len() - 1;
    corrupted[last] ^= 0x40;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "text.model",
            b"hello, I am not a model".to_vec(),
            "is not a stance model file",
        ),
        (
            "short.model",
            model[..model.len() / 2].to_vec(),
            "truncated",
        ),
        (
            "version.model",
            wrong_version,
            "format version 99 is not supported",
        ),
        ("flipped.model", corrupted, "corrupted (checksum mismatch)"),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let r = run(stance()
            .args(["score", "--model"])
            .arg(&path)
            .arg("Kyiv thanked NATO."));
        assert_eq!(r.code, 2, "{name}");
        assert!(r.stderr.contains(expected), "{name}: {}", r.stderr);
    }
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "scores.jsonl", b"previous\n");
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"text\": \"Kyiv thanked NATO.\"}\n{oops\n",
    );
    let r = run(stance()
        .args(["score", "--input"])
        .arg(&bad)
        .arg("--output")
        .arg(&out));
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")
    });
    assert_eq!(leftovers.count(), 0, "no temporary file is left behind");
}

#[test]
fn a_failed_write_is_an_error_not_a_hang() {
    // Output is written on its own thread; when it fails, the run stops with the write's error.
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..20_000)
        .map(|i| format!("{{\"text\": \"Kyiv thanked NATO for the {i}th time.\"}}\n"))
        .collect();
    let input = write(dir.path(), "many.jsonl", rows.as_bytes());
    let full = std::fs::File::create("/dev/full").unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("stance"))
        .args(["score", "--input"])
        .arg(&input)
        .args(["--output", "-"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("No space left") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn training_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let one_class = write(
        dir.path(),
        "one.jsonl",
        b"{\"text\": \"a b\", \"target\": \"x\", \"stance\": \"none\"}\n{\"text\": \"a c\", \"target\": \"x\", \"stance\": \"none\"}\n",
    );
    let r = run(stance()
        .args(["train", "--min-df", "1", "--out"])
        .arg(dir.path().join("m"))
        .arg(&one_class));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("all 2 rows are labeled none"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("m").exists(), "no model is written");
    let r = run(stance().args(["train"]).arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--out MODEL is required"), "{}", r.stderr);
}

#[test]
fn parties_lists_the_registry_and_finds_mentions() {
    let r = run(stance().args(["parties"]));
    assert!(r
        .stdout
        .lines()
        .any(|l| l.starts_with("United States: US, U.S.")));
    let r = run(stance().args(["parties", "--json", "Tel Aviv and the Kremlin; Washington"]));
    let found: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let parties = found["parties"].as_array().unwrap();
    assert_eq!(parties[0]["party"], "Israel");
    assert_eq!(
        (parties[0]["start"].as_u64(), parties[0]["end"].as_u64()),
        (Some(0), Some(8))
    );
    assert_eq!(parties[1]["party"], "Russia");
    assert_eq!(parties[2]["ambiguous"], true);
}

#[test]
fn every_subcommand_explains_itself_with_examples() {
    for sub in ["train", "score", "eval", "parties"] {
        let r = run(stance().args([sub, "--help"]));
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("Examples:"),
            "{sub} --help has no examples"
        );
    }
    let r = run(stance().args(["score", "--no-such-flag"]));
    assert_eq!(r.code, 2);
}

#[test]
fn skip_invalid_leaves_out_bad_rows_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = std::fs::read_to_string(fixture("mini.jsonl")).unwrap();
    content.push_str("{broken\n{\"text\": \"x\", \"target\": \"Iran\", \"stance\": \"maybe\"}\n");
    let file = write(dir.path(), "mixed.jsonl", content.as_bytes());
    let strict = run(stance().args(["eval"]).arg(&file));
    assert_eq!(strict.code, 2);
    let lenient = run(stance()
        .args(["eval", "--json", "--skip-invalid"])
        .arg(&file));
    assert_eq!(lenient.code, 0, "{}", lenient.stderr);
    assert!(
        lenient.stderr.contains("skipped 2 invalid rows"),
        "{}",
        lenient.stderr
    );
    assert!(
        lenient.stderr.contains("mixed.jsonl:46: malformed JSON"),
        "{}",
        lenient.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&lenient.stdout).unwrap();
    assert_eq!(report["n"], 45);
    let nothing = write(dir.path(), "nothing.jsonl", b"{broken\n");
    let r = run(stance().args(["eval", "--skip-invalid"]).arg(&nothing));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("holds no valid rows"), "{}", r.stderr);
}

#[test]
fn duplicate_ids_and_conflicting_labels_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "dup.jsonl",
        b"\xef\xbb\xbf{\"id\": \"a\", \"text\": \"Kyiv thanked NATO.\", \"target\": \"NATO\", \"stance\": \"favor\"}\r\n\r\n{\"id\": \"a\", \"text\": \"Kyiv thanked NATO.\", \"target\": \"NATO\", \"stance\": \"against\"}\r\n",
    );
    let r = run(stance().args(["eval"]).arg(&file));
    assert_eq!(
        r.code, 0,
        "a BOM, CRLF and blank lines are fine: {}",
        r.stderr
    );
    assert!(r.stderr.contains("id \"a\" at "), "{}", r.stderr);
    assert!(
        r.stderr.contains("dup.jsonl:1 and ")
            && r.stderr.contains(
                "dup.jsonl:3 label the same statement toward NATO differently (favor vs against)"
            ),
        "{}",
        r.stderr
    );
}

#[test]
fn explanations_add_up_to_the_logit() {
    let r = run(stance().args([
        "score",
        "--explain",
        "100000",
        "Moscow condemned Kyiv, while Ankara praised Doha.",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for row in json_lines(&r.stdout) {
        let e = &row["explanation"];
        let sum: f64 = ["toward", "against"]
            .iter()
            .flat_map(|side| e[side].as_array().unwrap().iter())
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum();
        let (intercept, logit) = (
            e["intercept"].as_f64().unwrap(),
            e["logit"].as_f64().unwrap(),
        );
        assert!((intercept + sum - logit).abs() < 1e-3, "{row}");
        assert_eq!(e["class"], row["stance"]);
        // Words are the statement's own, not stems.
        for c in e["toward"].as_array().unwrap() {
            let words = c["words"].as_str().unwrap();
            assert!(row["text"].as_str().unwrap().contains(words), "{words}");
        }
    }
}

#[test]
fn output_formats_and_abstention() {
    let r = run(stance().args(["score", "--format", "csv", "Kyiv thanked NATO, again."]));
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("id,text,target,stance,favor,against,none,abstained,mentions")
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with(",\"Kyiv thanked NATO, again.\",Ukraine,"));
    let r = run(stance().args([
        "score",
        "--format",
        "table",
        "--explain",
        "2",
        "Kyiv thanked NATO.",
    ]));
    assert!(r.stdout.starts_with("target "));
    assert!(
        r.stdout.contains("NATO") && r.stdout.contains(" + "),
        "{}",
        r.stdout
    );
    let r = run(stance().args([
        "score",
        "--threshold",
        "0.999999",
        "--target",
        "NATO",
        "NATO met.",
    ]));
    let row = &json_lines(&r.stdout)[0];
    assert_eq!(
        (row["stance"].as_str(), row["abstained"].as_bool()),
        (Some("none"), Some(true))
    );
    let r = run(stance().args(["score", "--threshold", "1.5", "x"]));
    assert_eq!(r.code, 2);
}

#[test]
fn the_html_report_carries_the_metrics_that_eval_prints() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let r = run(stance()
        .args(["eval", "--json", "--report"])
        .arg(&html)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    for key in ["accuracy", "macro_f1", "f_avg"] {
        let value = format!("{:.4}", report[key].as_f64().unwrap());
        assert!(page.contains(&value), "{key} {value} not in the report");
    }
    assert!(page.contains("<svg") && !page.contains("<script"));
    // The reliability diagram, with the ECE that --json prints and a bar per non-empty bin.
    let ece = format!("{:.4}", report["ece"].as_f64().unwrap());
    assert!(page.contains(&format!("(ECE): <b>{ece}</b>")), "ECE {ece}");
    assert!(page.contains("<svg id=\"reliability\""));
    let bars = page.matches("<rect class=\"bin\"").count();
    assert!((1..=10).contains(&bars), "{bars} bins");
    let binned: usize = page
        .split("<rect class=\"bin\"")
        .skip(1)
        .map(|bar| {
            let rows = bar.split("data-rows=\"").nth(1).unwrap();
            rows[..rows.find('"').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(binned as u64, report["n"].as_u64().unwrap());
}

#[test]
fn progress_is_never_drawn_outside_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), &[]);
    let r = run(stance()
        .args(["score", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(fixture("mini.jsonl"))
        .arg("--output")
        .arg(dir.path().join("out.jsonl")));
    assert_eq!(r.stderr, "", "nothing on stderr when it is not a terminal");
    let r = run(stance()
        .args([
            "train",
            "--cv",
            "2",
            "--cv-l2",
            "1",
            "--cv-chars",
            "off",
            "--min-df",
            "1",
            "--out",
        ])
        .arg(dir.path().join("cv.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains('\r') && !r.stderr.contains('\u{1b}'),
        "{:?}",
        r.stderr
    );
}

#[test]
fn inspect_shows_metadata_and_strongest_features() {
    let r = run(stance().args(["inspect", "--target", "Washington", "--top", "3"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("labeled/train.jsonl") && r.stdout.contains("sha256"),
        "{}",
        r.stdout
    );
    // The default model has a model per language: the English one serves English statements
    // about the target, and it comes first; the pooled one only serves other languages.
    let english = r
        .stdout
        .find("== english model (serves United States in english statements)");
    let pooled = r
        .stdout
        .find("== pooled model (serves United States in statements of other languages)");
    assert!(
        english.is_some() && pooled.is_some() && english < pooled,
        "{}",
        r.stdout
    );
    // A party the model never saw is served by the same models, and `inspect` says so.
    let r = run(stance().args(["inspect", "--target", "Atlantis", "--top", "1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Atlantis was not in the training data; the models below serve it"),
        "{}",
        r.stderr
    );
    assert!(r
        .stdout
        .contains("== english model (serves Atlantis in english statements)"));
    let r = run(stance().args(["completions", "bash"]));
    assert!(r.stdout.contains("_stance()"));
}

#[test]
fn a_line_of_megabytes_is_scored_without_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Moscow condemned Kyiv. ".repeat(200_000);
    let row = serde_json::json!({"id": "huge", "text": text}).to_string();
    let file = write(dir.path(), "huge.jsonl", format!("{row}\n").as_bytes());
    let r = run(stance().args(["score", "--input"]).arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    let targets: Vec<_> = rows.iter().map(|r| r["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["Russia", "Ukraine"]);
}

#[test]
fn fuzz_found_inconsistent_models_are_refused_not_panicked_on() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/load_model");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let r = run(stance()
            .args(["score", "--model"])
            .arg(&path)
            .arg("Kyiv thanked NATO."));
        assert_eq!(r.code, 2, "{}", path.display());
        assert!(
            r.stderr.contains("model is inconsistent"),
            "{}: {}",
            path.display(),
            r.stderr
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn balance_says_when_it_repeats_no_row() {
    let dir = tempfile::tempdir().unwrap();
    // mini.jsonl: none 26, favor 10, against 9: favor and against rows are repeated.
    let model = dir.path().join("m");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--balance", "--out"])
        .arg(&model)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("repeated no row"), "{}", r.stderr);
    // Two rows of each class: nothing to repeat, and the user is told so.
    let rows = [
        ("Kyiv thanked Brussels for the aid", "favor"),
        ("Brussels praised Kyiv for its reforms", "favor"),
        ("Kyiv accused Brussels of delay", "against"),
        ("Brussels condemned Kyiv over the ban", "against"),
        ("Kyiv and Brussels met on Monday", "none"),
        ("Brussels hosted Kyiv's delegation", "none"),
    ];
    let content: String = rows
        .iter()
        .map(|(text, stance)| {
            format!("{{\"text\": \"{text}\", \"target\": \"Ukraine\", \"stance\": \"{stance}\"}}\n")
        })
        .collect();
    let even = write(dir.path(), "even.jsonl", content.as_bytes());
    let r = run(stance()
        .args(["train", "--min-df", "1", "--balance", "--out"])
        .arg(&model)
        .arg(&even));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--balance repeated no row of the pooled model: its classes (favor 2, against 2, none 2)"),
        "{}",
        r.stderr
    );
}

#[test]
fn format5_and_format6_models_still_load_and_score_as_before() {
    // Written by the last format-5 stance (before the target-word and lexicon-side features) and
    // the last format-6 stance (before word vectors), both on 200 rows of labeled/train.jsonl with
    // 300 features; each must score exactly as it did then.
    let cases = [
        (
            "format5.stance",
            r#""probabilities":{"favor":0.80991054,"against":0.049019173,"none":0.14107026}"#,
        ),
        (
            "format6.stance",
            r#""probabilities":{"favor":0.82788885,"against":0.028040377,"none":0.14407071}"#,
        ),
    ];
    for (name, expected) in cases {
        let model = fixture(name);
        let r = run(stance().arg("score").arg("--model").arg(&model).args([
            "--target",
            "Qatar",
            "Ankara praised Doha's mediation but condemned Israel's strikes",
        ]));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stdout.contains(expected), "{name}: {}", r.stdout);
        let r = run(stance().arg("inspect").arg("--model").arg(&model));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(
            r.stdout.contains("word vectors: none"),
            "{name}: {}",
            r.stdout
        );
    }
}

/// Trains on mini.jsonl with `--cv 2 --cv-l2 1 --cv-min-target-rows none` and `grid`; returns
/// the model's metadata as `stance inspect --json` shows it.
fn cv_mini(dir: &Path, grid: &[&str]) -> serde_json::Value {
    let mut args = vec!["--cv", "2", "--cv-l2", "1", "--cv-min-target-rows", "none"];
    if !grid.contains(&"--cv-balance") {
        args.push("--balance=off");
    }
    if !grid.contains(&"--cv-none-threshold") {
        args.extend(["--cv-none-threshold", "off"]);
    }
    if !grid.contains(&"--cv-vector-weight") {
        // A weight given is fixed: the vectors are not searched.
        args.extend(["--vector-weight", "1"]);
    }
    args.extend_from_slice(grid);
    let model = train_mini(dir, &args);
    let r = run(stance().args(["inspect", "--json", "--model"]).arg(&model));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    info["metadata"].clone()
}

fn cv_row_names(metadata: &serde_json::Value) -> Vec<String> {
    metadata["cross_validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["features"].as_str().unwrap().to_string())
        .collect()
}

/// `stance train --cv 2 FLAG VALUE` is refused as bad usage, naming the value.
fn assert_cv_value_refused(dir: &Path, flag: &str, value: &str) {
    let r = run(stance()
        .args(["train", "--cv", "2", flag, value, "--out"])
        .arg(dir.join("x.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(value), "{}", r.stderr);
}

/// `stance inspect --json` metadata of a model.
fn metadata_of(model: &Path) -> serde_json::Value {
    let r = run(stance().args(["inspect", "--json", "--model"]).arg(model));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    info["metadata"].clone()
}

#[test]
fn plain_train_selects_its_settings_and_keeps_the_ones_given() {
    let dir = tempfile::tempdir().unwrap();
    // No options: selection runs over L2, balancing and character n-grams, says what it chose,
    // and the model holds the table and the reason.
    let r = run(stance()
        .args(["train", "--min-df", "1", "--out"])
        .arg(dir.path().join("auto.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("selection: chose"), "{}", r.stderr);
    let metadata = metadata_of(&dir.path().join("auto.model"));
    let table = metadata["cross_validation"].as_array().unwrap();
    let l2s: std::collections::BTreeSet<String> =
        table.iter().map(|r| r["l2"].to_string()).collect();
    assert!(l2s.len() >= 4, "{l2s:?}");
    assert!(cv_row_names(&metadata).iter().any(|n| n.contains("chars")));
    assert!(metadata["selection"].as_str().unwrap().starts_with("chose"));
    let chosen = table.iter().find(|r| r["chosen"] == true).unwrap();
    assert_eq!(metadata["options"]["l2"], chosen["l2"]);
    let inspect = run(stance()
        .arg("inspect")
        .arg("--model")
        .arg(dir.path().join("auto.model")));
    assert!(
        inspect.stdout.contains("selection: chose"),
        "{}",
        inspect.stdout
    );

    // Options given explicitly are fixed: every candidate has them, and so does the model.
    let r = run(stance()
        .args([
            "train",
            "--min-df",
            "1",
            "--l2",
            "7",
            "--char-ngrams",
            "off",
            "--out",
        ])
        .arg(dir.path().join("fixed.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let metadata = metadata_of(&dir.path().join("fixed.model"));
    let table = metadata["cross_validation"].as_array().unwrap();
    assert!(table.len() > 1, "balancing is still searched");
    assert!(table.iter().all(|r| r["l2"] == 7.0), "{table:?}");
    assert!(cv_row_names(&metadata).iter().all(|n| !n.contains("chars")));
    assert_eq!(metadata["options"]["l2"], 7.0);
    assert_eq!(metadata["options"]["analyzer"]["char_max"], 0);

    // Everything given (the vectors' weight too): nothing to choose, no table.
    let r = run(stance()
        .args([
            "train",
            "--min-df",
            "1",
            "--l2",
            "7",
            "--char-ngrams",
            "off",
            "--balance",
            "--vector-weight",
            "1",
        ])
        .args(["--min-target-rows", "none", "--out"])
        .arg(dir.path().join("all.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let metadata = metadata_of(&dir.path().join("all.model"));
    assert!(metadata["cross_validation"].as_array().unwrap().is_empty());
    assert_eq!(metadata["options"]["balance"], true);
}

#[test]
fn no_select_trains_exactly_the_given_or_default_settings() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--no-select", "--out"])
        .arg(&model)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("selection"), "{}", r.stderr);
    let metadata = metadata_of(&model);
    assert!(metadata["cross_validation"].as_array().unwrap().is_empty());
    assert!(metadata.get("selection").is_none());
    let options = &metadata["options"];
    assert_eq!(options["l2"], 0.5);
    assert_eq!(options["balance"], false);
    assert_eq!(options["analyzer"]["char_max"], 0);
    assert!(options["min_target_rows"].is_null());
    let r = run(stance()
        .args([
            "train",
            "--min-df",
            "1",
            "--no-select",
            "--l2",
            "2",
            "--balance",
        ])
        .args(["--char-ngrams", "2-4", "--out"])
        .arg(&model)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let options = metadata_of(&model)["options"].clone();
    assert_eq!(options["l2"], 2.0);
    assert_eq!(options["balance"], true);
    assert_eq!(options["analyzer"]["char_min"], 2);
    assert_eq!(options["analyzer"]["char_max"], 4);
}

#[test]
fn selection_is_deterministic_the_same_files_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let train = |name: &str| {
        let model = dir.path().join(name);
        let r = run(stance()
            .args(["train", "--min-df", "1", "--out"])
            .arg(&model)
            .arg(fixture("mini.jsonl")));
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::fs::read(model).unwrap()
    };
    assert_eq!(train("a.model"), train("b.model"));
}

#[test]
fn explicit_options_and_their_candidate_lists_conflict() {
    let dir = tempfile::tempdir().unwrap();
    for (a, b) in [
        (["--l2", "1"], ["--cv-l2", "1,3"]),
        (["--balance=on", "--quiet"], ["--cv-balance", "off,on"]),
        (["--char-ngrams", "2-5"], ["--cv-chars", "off,2-5"]),
    ] {
        let r = run(stance()
            .arg("train")
            .args(a)
            .args(b)
            .arg("--out")
            .arg(dir.path().join("x.model"))
            .arg(fixture("mini.jsonl")));
        assert_eq!(r.code, 2, "{a:?} {b:?}: {}", r.stderr);
        assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    }
}

#[test]
fn cv_can_choose_class_balancing_and_says_what_it_chose() {
    let dir = tempfile::tempdir().unwrap();
    // One candidate: nothing to choose, no cross-validation, the setting as listed.
    let metadata = cv_mini(dir.path(), &["--cv-chars", "off", "--cv-balance", "on"]);
    assert_eq!(metadata["options"]["balance"], true);
    assert_eq!(cv_row_names(&metadata), Vec::<String>::new());
    let metadata = cv_mini(dir.path(), &["--cv-chars", "off", "--cv-balance", "off,on"]);
    assert_eq!(cv_row_names(&metadata), ["words", "words, balanced"]);
    assert_cv_value_refused(dir.path(), "--cv-balance", "maybe");
}

#[test]
fn selection_tries_the_bundled_vectors_off_and_on_unless_given_or_the_text_is_not_english() {
    let dir = tempfile::tempdir().unwrap();
    let names = |extra: &[&str]| {
        let mut args = vec![
            "--cv",
            "2",
            "--cv-l2",
            "1",
            "--cv-min-target-rows",
            "none",
            "--balance=off",
            "--cv-none-threshold",
            "off",
            "--char-ngrams",
            "off",
        ];
        args.extend_from_slice(extra);
        let model = train_mini(dir.path(), &args);
        let r = run(stance().args(["inspect", "--json", "--model"]).arg(&model));
        let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let pooled = &info["metadata"]["options"]["vectors"];
        (cv_row_names(&info["metadata"]), !pooled.is_null())
    };
    assert_eq!(
        names(&[]),
        (
            vec!["words, no vectors".into(), "words, vectors 1".into()],
            true
        )
    );
    // The bundled vectors are English: statements stemmed in another language train without
    // them, and with nothing else to choose, selection has no candidate to judge.
    assert_eq!(names(&["--language", "russian"]), (Vec::new(), false));
    // Given, they are fixed: nothing is left to choose.
    for given in [
        &["--vector-weight", "1"][..],
        &["--vector-weight", "0.5"],
        &["--vectors", "none"],
    ] {
        assert_eq!(names(given).0, Vec::<String>::new(), "{given:?}");
    }
}

#[test]
fn cv_tries_the_none_threshold_and_the_model_records_its_shift() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = cv_mini(
        dir.path(),
        &[
            "--cv-chars",
            "off",
            "--cv-balance",
            "off,on",
            "--cv-none-threshold",
            "off,on",
            "--metric",
            "f_avg",
        ],
    );
    assert_eq!(
        cv_row_names(&metadata),
        [
            "words",
            "words, none threshold",
            "words, balanced",
            "words, balanced, none threshold"
        ]
    );
    let chosen: Vec<&serde_json::Value> = metadata["cross_validation"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["chosen"] == true)
        .collect();
    // The shift is recorded exactly when a thresholded candidate won.
    let thresholded = chosen[0]["features"]
        .as_str()
        .unwrap()
        .contains("none threshold");
    assert_eq!(metadata.get("none_shift").is_some(), thresholded);
    // Alone, the threshold is no reason to run selection.
    let metadata = cv_mini(
        dir.path(),
        &["--cv-chars", "off", "--cv-none-threshold", "off,on"],
    );
    assert_eq!(cv_row_names(&metadata), Vec::<String>::new());
    assert_cv_value_refused(dir.path(), "--cv-none-threshold", "sometimes");
}

#[test]
fn cv_can_choose_the_stemming_language_and_the_model_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = cv_mini(
        dir.path(),
        &[
            "--cv-chars",
            "off,2-4",
            "--cv-language",
            "none,english,none",
        ],
    );
    assert_eq!(
        cv_row_names(&metadata),
        [
            "words, stems none",
            "words, stems english",
            "words+chars 2-4, stems none",
            "words+chars 2-4, stems english"
        ]
    );
    // The final model is trained with the language of the chosen row (on this data, the first
    // row ties with the second and wins: not the --language default).
    let chosen = metadata["cross_validation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["chosen"] == true)
        .expect("a chosen row");
    let language = metadata["options"]["analyzer"]["language"]
        .as_str()
        .unwrap();
    let chosen_name = chosen["features"].as_str().unwrap();
    assert!(
        chosen_name.ends_with(&format!("stems {language}")),
        "{chosen_name} vs {language}"
    );
    assert_eq!(language, "none");
    assert_cv_value_refused(dir.path(), "--cv-language", "klingon");
}

#[test]
fn word_vectors_from_a_text_file_are_pooled_saved_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    // The GloVe / fastText text format, with a `count dim` header.
    let vectors = write(
        dir.path(),
        "tiny.vec",
        b"4 3\nthanked 1 0.5 0\ncondemned -1 0 0.5\naid 0.5 1 0\nstrikes -0.5 -1 0.25\n",
    );
    let model = train_mini(dir.path(), &["--vectors", vectors.to_str().unwrap()]);
    let r = run(stance().args(["inspect", "--json", "--model"]).arg(&model));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(info["vectors"]["dim"], 3);
    assert_eq!(info["vectors"]["words"], 4);
    assert_eq!(info["vectors"]["origin"], vectors.to_str().unwrap());
    assert_eq!(info["vectors"]["sha256"].as_str().unwrap().len(), 64);
    let r = run(stance().args(["inspect", "--model"]).arg(&model));
    assert!(r.stdout.contains("word vectors: "), "{}", r.stdout);

    // The dense block's regions show in the explanation, and everything adds up to the logit.
    let r = run(stance()
        .args(["score", "--explain", "100000", "--model"])
        .arg(&model)
        .arg("Kyiv thanked Brussels for the aid and condemned the strikes"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for row in json_lines(&r.stdout) {
        let e = &row["explanation"];
        let lines: Vec<&serde_json::Value> = ["toward", "against"]
            .iter()
            .flat_map(|side| e[side].as_array().unwrap().iter())
            .collect();
        let sum: f64 = lines
            .iter()
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum();
        let logit = e["logit"].as_f64().unwrap();
        assert!(
            (e["intercept"].as_f64().unwrap() + sum - logit).abs() < 1e-3,
            "{row}"
        );
        let regions: Vec<&str> = lines
            .iter()
            .filter_map(|c| c["feature"].as_str().filter(|f| f.starts_with("vectors: ")))
            .collect();
        assert!(regions.contains(&"vectors: statement"), "{row}");
    }

    // `--vectors none`: no dense block.
    let plain = dir.path().join("plain.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--vectors", "none", "--out"])
        .arg(&plain)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(stance().args(["inspect", "--json", "--model"]).arg(&plain));
    let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(info["vectors"].is_null());
    assert!(info["metadata"]["options"]["vectors"].is_null());
}

#[test]
fn bad_vector_files_are_errors_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "ragged.vec",
            b"a 1 2\nb 1\n",
            "ragged.vec:2: 1 numbers after \"b\"; the vectors have dimension 2",
        ),
        (
            "word.vec",
            b"a 1 2\nb 1 two\n",
            "word.vec:2: \"two\" is not a number",
        ),
        (
            "nan.vec",
            b"a 1 2\nb NaN 2\n",
            "nan.vec:2: \"NaN\" is not a finite number",
        ),
        (
            "header.vec",
            b"2 3\na 1 2\n",
            "header.vec:2: 2 numbers after \"a\"; the vectors have dimension 3",
        ),
        ("empty.vec", b"", "empty.vec: holds no word vectors"),
    ];
    for (name, content, message) in cases {
        let path = write(dir.path(), name, content);
        let out = dir.path().join("x.model");
        let r = run(stance()
            .args(["train", "--min-df", "1", "--vectors"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .arg(fixture("mini.jsonl")));
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{name}: {}", r.stderr);
        assert!(!out.exists(), "{name}: a model was written");
    }
    let r = run(stance()
        .args(["train", "--vectors", "/nonexistent/v.vec", "--out"])
        .arg(dir.path().join("x.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/nonexistent/v.vec"), "{}", r.stderr);
    for (flag, value) in [
        ("--vector-weight", "NaN"),
        ("--vector-weight", "0"),
        ("--vector-words", "0"),
    ] {
        let r = run(stance()
            .args(["train", flag, value, "--out"])
            .arg(dir.path().join("x.model"))
            .arg(fixture("mini.jsonl")));
        assert_eq!(r.code, 2, "{flag} {value}: {}", r.stderr);
        assert!(r.stderr.contains(flag), "{flag} {value}: {}", r.stderr);
    }
}

#[test]
fn cv_can_choose_the_vectors_weight_and_the_model_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = cv_mini(
        dir.path(),
        &["--cv-chars", "off", "--cv-vector-weight", "off,0.5,off"],
    );
    assert_eq!(
        cv_row_names(&metadata),
        ["words, no vectors", "words, vectors 0.5"]
    );
    let rows = metadata["cross_validation"].as_array().unwrap();
    let chosen = rows.iter().position(|r| r["chosen"] == true).unwrap();
    let options = &metadata["options"];
    match chosen {
        0 => assert!(options["vectors"].is_null(), "{options}"),
        _ => assert_eq!(options["vectors"]["weight"], 0.5, "{options}"),
    }
    assert_cv_value_refused(dir.path(), "--cv-vector-weight", "heavy");
    let r = run(stance()
        .args([
            "train",
            "--cv",
            "2",
            "--vectors",
            "none",
            "--cv-vector-weight",
            "off,1",
            "--out",
        ])
        .arg(dir.path().join("x.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--cv-vector-weight needs word vectors"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn score_output_files_are_readable_like_model_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.jsonl");
    let r = run(stance()
        .args(["score", "--output"])
        .arg(&out)
        .arg("Kyiv thanked NATO"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let model = train_mini(dir.path(), &[]);
    let mode = std::fs::metadata(&model).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}

#[test]
fn numbers_and_empty_values_are_checked_at_the_edge_with_the_flag_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.model");
    let mini = fixture("mini.jsonl");
    let cases: [(&[&str], &str); 8] = [
        (&["train", "--char-weight", "NaN"], "--char-weight"),
        (&["train", "--context-weight", "inf"], "--context-weight"),
        (&["train", "--cv", "2", "--cv-l2", "0,1"], "--cv-l2"),
        (&["eval", "--min-f-avg", "NaN"], "--min-f-avg"),
        (&["eval", "--min-accuracy", "1.5"], "--min-accuracy"),
        (&["eval", "--min-macro-f1=-0.1"], "--min-macro-f1"),
        (
            &["score", "--target", " ", "Kyiv thanked NATO"],
            "--target is empty",
        ),
        (
            &["score", "Kyiv thanked NATO", ""],
            "statement argument 2 is empty",
        ),
    ];
    for (args, message) in cases {
        let mut cmd = stance();
        cmd.args(args);
        match args[0] {
            "train" => cmd.arg("--out").arg(&out).arg(&mini),
            "eval" => cmd.arg(&mini),
            _ => &mut cmd,
        };
        let r = run(&mut cmd);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    assert!(!out.exists(), "a model was written");
}

#[test]
fn an_output_that_is_an_input_is_refused_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.jsonl");
    std::fs::copy(fixture("mini.jsonl"), &data).unwrap();
    let original = std::fs::read(&data).unwrap();
    let model = train_mini(dir.path(), &[]);
    let model_bytes = std::fs::read(&model).unwrap();
    // The same file under another name: a hard link and a path through `.`.
    let link = dir.path().join("link.jsonl");
    std::fs::hard_link(&data, &link).unwrap();
    let dotted = dir.path().join(".").join("d.jsonl");
    let (data_s, link_s) = (data.to_str().unwrap(), link.to_str().unwrap());
    let (model_s, dotted_s) = (model.to_str().unwrap(), dotted.to_str().unwrap());
    let cases: [&[&str]; 7] = [
        &["train", "--min-df", "1", "--out", data_s, data_s],
        &["train", "--out", link_s, data_s],
        &["eval", "--report", model_s, "--model", model_s, data_s],
        &["eval", "--report", dotted_s, data_s],
        &["score", "--input", data_s, "--output", data_s],
        &["score", "--input", data_s, "--output", link_s],
        &[
            "score",
            "--model",
            model_s,
            "--output",
            model_s,
            "Kyiv thanked NATO",
        ],
    ];
    for args in cases {
        let r = run(stance().args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("would destroy the input"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(
            std::fs::read(&data).unwrap(),
            original,
            "{args:?} changed the data"
        );
        assert_eq!(
            std::fs::read(&model).unwrap(),
            model_bytes,
            "{args:?} changed the model"
        );
    }
}

#[test]
fn a_failed_write_to_stdout_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let cases: [&[&str]; 6] = [
        &["inspect"],
        &["inspect", "--json"],
        &["parties"],
        &["eval", "labeled/test.jsonl"],
        &["completions", "bash"],
        &["score", "Kyiv thanked NATO"],
    ];
    for args in cases {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("stance"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains("stdout"), "{args:?}: {stderr}");
    }
}

#[test]
fn augment_sources_keeps_files_apart_and_is_a_no_op_on_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let statements = [
        "Kyiv praised Brussels for the new aid package.",
        "Brussels condemned Moscow over the drone strikes.",
    ];
    let score = |model: &std::path::Path| {
        let r = run(stance()
            .args(["score", "--model"])
            .arg(model)
            .args(statements));
        assert_eq!(r.code, 0, "{}", r.stderr);
        json_lines(&r.stdout)
            .into_iter()
            .map(|row| row["probabilities"].to_string())
            .collect::<Vec<_>>()
    };
    let plain = train_mini(dir.path(), &[]);
    let plain_scores = score(&plain);
    let one_source = dir.path().join("one.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--augment-sources", "--out"])
        .arg(&one_source)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(score(&one_source), plain_scores);

    // Two files: one model with a shared and a per-file copy of every feature, scored as the
    // mean of the files' models; the option is saved in the model.
    let second = write(
        dir.path(),
        "second.jsonl",
        include_bytes!("fixtures/mini.jsonl"),
    );
    let two_sources = dir.path().join("two.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--augment-sources", "--out"])
        .arg(&two_sources)
        .arg(fixture("mini.jsonl"))
        .arg(&second));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(score(&two_sources).len(), plain_scores.len());
    let r = run(stance().args(["inspect", "--model"]).arg(&two_sources));
    assert!(r.stdout.contains("\"augment_sources\":1.0"), "{}", r.stdout);

    let r = run(stance()
        .args(["train", "--source-shared-weight", "2", "--out"])
        .arg(dir.path().join("x.model"))
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--augment-sources"), "{}", r.stderr);
}

#[test]
fn audit_ranks_a_planted_wrong_label_first() {
    let dir = tempfile::tempdir().unwrap();
    let speakers = [
        "Poland",
        "Lithuania",
        "Finland",
        "Norway",
        "Romania",
        "Estonia",
    ];
    let things = ["exercise", "summit", "plan", "decision", "mission"];
    let mut rows = Vec::new();
    for (s, speaker) in speakers.iter().enumerate() {
        for (t, thing) in things.iter().enumerate() {
            let (verb, stance) = match (s + t) % 4 {
                0 => ("praised", "favor"),
                1 => ("welcomed", "favor"),
                2 => ("condemned", "against"),
                _ => ("denounced", "against"),
            };
            rows.push((format!("{speaker} {verb} NATO's {thing}."), stance));
        }
    }
    // One row labeled against the words it holds.
    rows.push(("Denmark praised NATO's summit warmly.".into(), "against"));
    let mut content = String::new();
    for (i, (text, stance)) in rows.iter().enumerate() {
        content.push_str(&format!(
            "{{\"id\": \"r{i}\", \"text\": \"{text}\", \"target\": \"NATO\", \"stance\": \"{stance}\"}}\n"
        ));
    }
    let file = write(dir.path(), "labeled.jsonl", content.as_bytes());
    let r = run(stance().args(["audit", "--top", "3"]).arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let suspects = json_lines(&r.stdout);
    assert_eq!(suspects.len(), 3);
    let first = &suspects[0];
    assert_eq!(first["id"], format!("r{}", rows.len() - 1));
    assert_eq!(first["stance"], "against");
    assert_eq!(first["suggested"], "favor");
    assert_eq!(first["line"], rows.len());
    let p = |row: &serde_json::Value, key: &str| row[key].as_f64().unwrap();
    assert!(p(first, "p_given") < p(&suspects[1], "p_given") + 1e-9);
    assert!(p(first, "p_suggested") > 0.5);
    // The same folds and seed give the same list.
    let again = run(stance().args(["audit", "--top", "3"]).arg(&file));
    assert_eq!(again.stdout, r.stdout);
    let r = run(stance().args(["audit", "--folds", "1"]).arg(&file));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--folds"), "{}", r.stderr);
    // A fold with nothing to train on is an error, not rows scored by no model.
    let r = run(stance()
        .args(["audit", "--folds", "2"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let one = write(
        dir.path(),
        "one.jsonl",
        content.lines().next().unwrap().as_bytes(),
    );
    let r = run(stance().args(["audit", "--folds", "2"]).arg(&one));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("need at least 2 statements"),
        "{}",
        r.stderr
    );
}

#[test]
fn suggest_returns_n_distinct_rows_deterministically() {
    let r = run(stance()
        .args(["suggest", "--n", "7"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    assert_eq!(rows.len(), 7);
    // No statement twice; every row has a party and probabilities; the given stance is not echoed.
    let texts: std::collections::HashSet<&str> = rows
        .iter()
        .map(|row| row["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 7);
    for row in &rows {
        assert!(
            row["target"].is_string() && row.get("stance").is_none(),
            "{row}"
        );
        let u = row["uncertainty"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&u), "{row}");
        assert!(row["probabilities"]["none"].is_number(), "{row}");
    }
    // Margin: the first suggestion is at least as uncertain as any later one of its party.
    let first = &rows[0];
    for row in rows.iter().filter(|row| row["target"] == first["target"]) {
        assert!(
            row["uncertainty"].as_f64() <= first["uncertainty"].as_f64(),
            "{row}"
        );
    }
    let again = run(stance()
        .args(["suggest", "--n", "7"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(again.stdout, r.stdout);
    for strategy in ["entropy", "random"] {
        let r = run(stance()
            .args(["suggest", "--n", "5", "--strategy", strategy])
            .arg(fixture("mini.jsonl")));
        assert_eq!(json_lines(&r.stdout).len(), 5, "{strategy}");
    }
    // Asking for more rows than there are gives them all, once each.
    let r = run(stance()
        .args(["suggest", "--n", "1000"])
        .arg(fixture("mini.jsonl")));
    let all = json_lines(&r.stdout);
    assert!(all.len() > 7 && all.len() < 1000, "{}", all.len());
}

/// The value of attribute `name` in the first `<tag ...>` of an XML text.
fn xml_attribute(xml: &str, tag: &str, name: &str) -> String {
    let start = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let element = &xml[start..start + xml[start..].find('>').unwrap()];
    let value = element
        .split(&format!(" {name}=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("<{tag}> has no {name}"));
    value[..value.find('"').unwrap()].to_string()
}

#[test]
fn suggest_writes_label_studio_tasks_for_the_shipped_config() {
    // The labeling config users import into Label Studio, read as they would.
    let config = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/label-studio.xml"),
    )
    .unwrap();
    let control = xml_attribute(&config, "Choices", "name");
    let object = xml_attribute(&config, "Choices", "toName");
    assert_eq!(xml_attribute(&config, "Text", "name"), object);
    let text_field = xml_attribute(&config, "Text", "value");
    assert_eq!(text_field, "$text");
    assert!(config.contains("value=\"$target\""), "the party is shown");
    let choices: Vec<String> = config
        .split("<Choice value=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect();
    assert_eq!(choices, ["favor", "against", "none"]);

    let r = run(stance()
        .args(["suggest", "--n", "7", "--format", "label-studio"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tasks: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    let tasks = tasks.as_array().expect("a JSON array of tasks");
    assert_eq!(tasks.len(), 7);
    // The same rows, in the same order, as the default JSONL.
    let jsonl = run(stance()
        .args(["suggest", "--n", "7"])
        .arg(fixture("mini.jsonl")));
    let rows = json_lines(&jsonl.stdout);
    let mut result_ids = std::collections::HashSet::new();
    for (task, row) in tasks.iter().zip(&rows) {
        let data = &task["data"];
        assert!(
            data["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{task}"
        );
        assert_eq!(data["text"], row["text"]);
        assert_eq!(data["target"], row["target"]);
        assert_eq!(data["id"], row["id"]);
        assert!(
            task.get("annotations").is_none(),
            "predictions, not annotations"
        );
        let predictions = task["predictions"].as_array().unwrap();
        assert_eq!(predictions.len(), 1);
        let prediction = &predictions[0];
        assert!(prediction["model_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("stance ")));
        let score = prediction["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{task}");
        let result = prediction["result"].as_array().unwrap();
        assert_eq!(result.len(), 1);
        let item = &result[0];
        assert_eq!(item["type"], "choices");
        assert_eq!(item["from_name"].as_str(), Some(control.as_str()));
        assert_eq!(item["to_name"].as_str(), Some(object.as_str()));
        assert!(
            result_ids.insert(item["id"].as_str().unwrap().to_string()),
            "ids unique"
        );
        let chosen = item["value"]["choices"].as_array().unwrap();
        assert_eq!(chosen.len(), 1);
        let label = chosen[0].as_str().unwrap();
        assert!(choices.iter().any(|c| c == label), "{label}");
        // The choice is the model's most probable stance, and the score its probability.
        let p = &row["probabilities"];
        let best = ["favor", "against", "none"]
            .into_iter()
            .max_by(|a, b| p[a].as_f64().unwrap().total_cmp(&p[b].as_f64().unwrap()))
            .unwrap();
        assert_eq!(label, best, "{task}");
        assert!((score - p[label].as_f64().unwrap()).abs() < 1e-5, "{task}");
    }
    // Nothing to suggest is an empty array, still valid JSON.
    let dir = tempfile::tempdir().unwrap();
    let empty = write(
        dir.path(),
        "none.jsonl",
        b"{\"text\": \"It rained all day.\"}\n",
    );
    let r = run(stance()
        .args(["suggest", "--format", "label-studio"])
        .arg(&empty));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "[]");
    // The input's format has its own flag; an input format given to --format is refused.
    let r = run(stance()
        .args(["suggest", "--input-format", "jsonl", "--n", "2"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(json_lines(&r.stdout).len(), 2);
    let r = run(stance()
        .args(["suggest", "--format", "csv"])
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 2);
}

#[test]
fn a_language_the_model_never_saw_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    // The mini fixture is English: `--language auto` (the default) records it.
    let model = train_mini(dir.path(), &["--no-select"]);
    let r = run(stance().args(["inspect", "--model"]).arg(&model));
    assert!(
        r.stdout
            .contains("languages (--language auto, statements as detected): english"),
        "{}",
        r.stdout
    );
    let input = write(
        dir.path(),
        "mixed.txt",
        "США обвинили Москву в затягивании войны\nКремль отверг обвинения Вашингтона\n\
         Kyiv praised Brussels for the new aid package.\n"
            .as_bytes(),
    );
    let r = run(stance()
        .args(["score", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&input));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json_lines(&r.stdout).len(), 6, "{}", r.stdout);
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.contains("russian")).collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].contains("trained on english"), "{}", r.stderr);
    // English statements alone: no warning.
    let english = write(dir.path(), "en.txt", b"Kyiv praised Brussels.\n");
    let r = run(stance()
        .args(["score", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&english));
    assert_eq!(r.stderr, "", "{}", r.stderr);
}

#[test]
fn a_model_trained_with_other_sentiment_lexicons_says_so_when_it_scores() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), &[]);
    let score = || {
        run(stance()
            .args(["score", "--model"])
            .arg(&model)
            .arg("Moscow praised Kyiv."))
    };
    let same = score();
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stderr.is_empty(), "{}", same.stderr);
    let inspect = run(stance().args(["inspect", "--model"]).arg(&model));
    assert!(
        inspect.stdout.contains("(this stance's)"),
        "{}",
        inspect.stdout
    );
    // The same model as if a stance with other lists had written it.
    let mut m = stance::model_file::load(&model).unwrap();
    m.metadata.lexicon = Some("0".repeat(64));
    stance::model_file::save(&m, &model).unwrap();
    let other = score();
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert_eq!(
        other.stderr.matches("other sentiment lexicons").count(),
        1,
        "{}",
        other.stderr
    );
    assert_eq!(other.stdout, same.stdout, "the warning changes no score");
    let inspect = run(stance().args(["inspect", "--model"]).arg(&model));
    assert!(inspect.stdout.contains("differ"), "{}", inspect.stdout);
}
