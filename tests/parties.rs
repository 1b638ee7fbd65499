//! `--parties FILE`: a user's registry added to the built-in one (or alone with
//! `--parties-only`), on score, article, eval, train and parties; broken files are clear errors.

mod common;

use common::*;

const LEBANON: &str = "# My parties\n\
[[party]]\n\
name = \"Lebanon\"\n\
aliases = [\"Beirut\", \"Lebanese\", \"Nawaf Salam\"]\n\
\n\
[[party]]\n\
name = \"Russia\"\n\
aliases = [\"Novakov\"]\n";

#[test]
fn a_user_registry_adds_a_party_that_is_then_scored() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "mine.toml", LEBANON.as_bytes());
    let text = "Beirut condemned the strikes, and Novakov praised Kyiv.";
    let r = run(stance().arg("score").arg("--parties").arg(&file).arg(text));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    let targets: Vec<&str> = rows.iter().map(|r| r["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["Lebanon", "Russia", "Ukraine"]);
    assert_eq!(rows[0]["mentions"][0]["alias"], "Beirut");
    assert_eq!(rows[1]["mentions"][0]["alias"], "Novakov");
    // The default model was trained with the built-in registry: said once.
    assert_eq!(
        r.stderr
            .matches("trained with another party registry")
            .count(),
        1,
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("new: Lebanon"), "{}", r.stderr);
    // Without the file, Beirut is no party and nothing is said.
    let r = run(stance().args(["score", text]));
    assert!(!r.stdout.contains("Lebanon"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // `stance parties` lists the merged registry; --parties-only the file's parties alone.
    let r = run(stance().arg("parties").arg("--parties").arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().any(|l| l.starts_with("Lebanon: Beirut")));
    assert!(r
        .stdout
        .lines()
        .any(|l| l.starts_with("Russia: ") && l.ends_with("Novakov")));
    assert!(r.stdout.lines().any(|l| l.starts_with("Iran: ")));
    let r = run(stance()
        .args(["parties", "--parties-only", "--parties"])
        .arg(&file));
    let names: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(names, ["Lebanon", "Russia"]);
    // stance article takes it too.
    let doc = write(
        dir.path(),
        "doc.txt",
        b"Beirut welcomed the aid. Moscow said little.\n",
    );
    let r = run(stance()
        .args(["article", "--format", "json", "--parties"])
        .arg(&file)
        .arg(&doc));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"party\":\"Lebanon\""), "{}", r.stdout);
}

#[test]
fn a_model_records_the_registry_it_was_trained_with() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "mine.toml", LEBANON.as_bytes());
    let model = train_mini(dir.path(), &["--parties", file.to_str().unwrap()]);
    let score = |extra: &[&str]| {
        run(stance()
            .args(["score", "--model"])
            .arg(&model)
            .args(extra)
            .arg("Beirut thanked Moscow."))
    };
    let same = score(&["--parties", file.to_str().unwrap()]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stderr.is_empty(), "{}", same.stderr);
    assert!(same.stdout.contains("Lebanon"));
    let other = score(&[]);
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert_eq!(
        other.stderr.matches("another party registry").count(),
        1,
        "{}",
        other.stderr
    );
    // eval takes --parties as well.
    let r = run(stance()
        .args(["eval", "--model"])
        .arg(&model)
        .arg("--parties")
        .arg(&file)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_broken_registry_file_is_an_error_naming_line_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    for (content, expected) in [
        (
            "[[party]]\nname = \"Idaho\"\naliases = [\"Boise\",\n  \"Moscow\"]\n",
            (
                "bad.toml:4:",
                "alias \"Moscow\" belongs to both Russia and Idaho",
            ),
        ),
        (
            "[[party]]\nname = \"Lebanon\"\naliases = [\"Beirut\"\n\n[[party]]\n",
            ("bad.toml:5:", "invalid array; expected `]`"),
        ),
        (
            "[[party]]\nname = \"Lebanon\"\nalias = [\"Beirut\"]\n",
            ("bad.toml:3:", "unknown field `alias`"),
        ),
        (
            "[[party]]\nname = \"Lebanon\"\naliases = [\"Beirut\", \" \"]\n",
            ("bad.toml:3:", "empty alias"),
        ),
        ("# nothing\n", ("bad.toml", "party")),
    ] {
        let file = write(dir.path(), "bad.toml", content.as_bytes());
        for command in ["score", "parties", "article"] {
            let mut cmd = stance();
            cmd.arg(command).arg("--parties").arg(&file);
            if command == "score" {
                cmd.arg("Moscow spoke.");
            }
            if command == "article" {
                cmd.arg(fixture("mini.jsonl"));
            }
            let r = run(&mut cmd);
            assert_eq!(r.code, 2, "{command}: {content}: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{}", r.stdout);
            assert!(
                r.stderr.contains(expected.0) && r.stderr.contains(expected.1),
                "{content}: {}",
                r.stderr
            );
        }
    }
    let r = run(stance().args(["parties", "--parties", "/no/such/file.toml"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/no/such/file.toml: no such file"),
        "{}",
        r.stderr
    );
    // --parties-only without --parties is a usage error.
    let r = run(stance().args(["parties", "--parties-only"]));
    assert_eq!(r.code, 2);
}
