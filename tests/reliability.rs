//! Hostile inputs and outputs, each the exact repro of a failure once seen: outputs that are
//! devices, FIFOs or symlinks; inputs that are pipes, FIFOs or endless; killed runs; ids that are
//! not ordinary numbers; messages that must name the right line. (`run` also asserts that no
//! stderr ever says "panicked".)

mod common;

use common::*;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const KYIV: &str = "Kyiv thanked NATO";

fn make_fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "mkfifo {}",
        path.display()
    );
}

/// Writes `content` into the FIFO at `path` from another thread (opening blocks until the
/// reader comes).
fn feed_fifo(path: &Path, content: String) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut fifo = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = fifo.write_all(content.as_bytes());
    })
}

/// Reads the FIFO at `path` to its end from another thread.
fn drain_fifo(path: &Path) -> std::thread::JoinHandle<String> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut out = String::new();
        std::fs::File::open(path)
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        out
    })
}

fn jsonl_rows(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"id\": \"r{i}\", \"text\": \"Row {i}: Kyiv thanked NATO for the air defence systems delivered this week\"}}\n"))
        .collect()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".stance-"))
        .collect()
}

#[cfg(unix)]
fn file_type(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).unwrap().file_type()
}

#[cfg(unix)]
#[test]
fn a_device_output_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("null");
    // A char device of our own (1, 3: what /dev/null is); needs root, which CI has.
    let made = std::process::Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mknod is not allowed here (not root): device case not run");
        return;
    }
    let r = run(stance()
        .args(["train", "--min-df", "1", "--vectors", "none", "--out"])
        .arg(&device)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        file_type(&device).is_char_device(),
        "the device was replaced"
    );
    let r = run(stance().args(["score", "--output"]).arg(&device).arg(KYIV));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(file_type(&device).is_char_device());
    assert!(leftovers(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_symlink_output_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    // The repro: a link to this process's stdout prints the rows and stays a link.
    let link = dir.path().join("s");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
    let r = run(stance().args(["score", "--output"]).arg(&link).arg(KYIV));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json_lines(&r.stdout).len(), 2, "{}", r.stdout);
    assert!(file_type(&link).is_symlink());
    // A link to a regular file: the file is replaced, the link kept.
    let (target, link) = (dir.path().join("scores.jsonl"), dir.path().join("latest"));
    std::fs::write(&target, "old\n").unwrap();
    std::os::unix::fs::symlink("scores.jsonl", &link).unwrap();
    let r = run(stance().args(["score", "--output"]).arg(&link).arg(KYIV));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(file_type(&link).is_symlink());
    assert_eq!(
        json_lines(&std::fs::read_to_string(&target).unwrap()).len(),
        2
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_fifo_output_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.fifo");
    make_fifo(&fifo);
    let reader = drain_fifo(&fifo);
    let r = run(stance()
        .args(["score", "--output"])
        .arg(&fifo)
        .arg(KYIV)
        .timeout(Duration::from_secs(60)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json_lines(&reader.join().unwrap()).len(), 2);
    assert!(file_type(&fifo).is_fifo());
}

#[cfg(unix)]
#[test]
fn pipes_and_fifos_are_read_once_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    // More than the 4 KiB that format sniffing once read before opening the input again.
    let fifo = dir.path().join("statements");
    make_fifo(&fifo);
    let writer = feed_fifo(&fifo, jsonl_rows(200));
    let r = run(stance()
        .args(["score", "--target", "NATO", "--input"])
        .arg(&fifo)
        .timeout(Duration::from_secs(60)));
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json_lines(&r.stdout).len(), 200);
    // Training reads each file once too (it used to read it again to hash it, and hung).
    let train_fifo = dir.path().join("train.jsonl");
    make_fifo(&train_fifo);
    let mini = std::fs::read_to_string(fixture("mini.jsonl")).unwrap();
    let writer = feed_fifo(&train_fifo, mini.clone());
    let model = dir.path().join("m.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--vectors", "none", "--out"])
        .arg(&model)
        .arg(&train_fifo)
        .timeout(Duration::from_secs(120)));
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // ... and its fingerprint is of the bytes that came through.
    let r = run(stance().args(["inspect", "--json", "--model"]).arg(&model));
    let info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let file = dir.path().join("mini.jsonl");
    std::fs::write(&file, &mini).unwrap();
    let plain = run(stance()
        .args(["train", "--min-df", "1", "--vectors", "none", "--out"])
        .arg(dir.path().join("plain.model"))
        .arg(&file));
    assert_eq!(plain.code, 0);
    let r = run(stance()
        .args(["inspect", "--json", "--model"])
        .arg(dir.path().join("plain.model")));
    let plain_info: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        info["metadata"]["files"][0]["sha256"],
        plain_info["metadata"]["files"][0]["sha256"]
    );
}

#[test]
fn an_error_past_the_first_kilobytes_names_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = jsonl_rows(150);
    rows.push_str("{\"text\": 5}\n");
    let file = write(dir.path(), "bad", rows.as_bytes());
    let r = run(stance().args(["score", "--input"]).arg(&file));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad:151: `text` must be a string"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn endless_inputs_are_refused_in_bounded_memory() {
    // /dev/zero has no newline: every reader stops at the line limit, or at the model's magic.
    let dir = tempfile::tempdir().unwrap();
    let r = run(stance()
        .args(["train", "--out"])
        .arg(dir.path().join("m.model"))
        .arg("/dev/zero")
        .args(["--format", "jsonl"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("/dev/zero:1: is longer than 64 MiB, the limit for one line"),
        "{}",
        r.stderr
    );
    let r = run(stance().args(["score", "--model", "/dev/zero", KYIV]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/dev/zero: is not a stance model file"),
        "{}",
        r.stderr
    );
    let r = run(stance().args(["score", "--input-format", "jsonl", "--input", "/dev/zero"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/dev/zero:1: is longer than"),
        "{}",
        r.stderr
    );
}

#[test]
fn csv_from_stdin_and_csv_files_stream() {
    let csv = "id,text\n1,\"Kyiv thanked NATO, again\"\n2,Moscow condemned the strike\n";
    let r = run(stance()
        .args(["score", "--input-format", "csv"])
        .write_stdin(csv));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    let ids: Vec<_> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "1", "2"]);
    // A bigger file than one chunk: every row comes out, in order.
    let dir = tempfile::tempdir().unwrap();
    let mut content = String::from("id,text,target\n");
    for i in 0..10_000 {
        content += &format!("{i},\"Row {i}, where Kyiv thanked NATO\",NATO\n");
    }
    let file = write(dir.path(), "many.csv", content.as_bytes());
    let r = run(stance().args(["score", "--input"]).arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = json_lines(&r.stdout);
    assert_eq!(rows.len(), 10_000);
    assert_eq!(rows[9_999]["id"], "9999");
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_no_temporary_file_and_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.jsonl");
    std::fs::write(&out, "old\n").unwrap();
    let fifo = dir.path().join("in.jsonl");
    make_fifo(&fifo);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stance"))
        .args(["score", "--output"])
        .arg(&out)
        .arg("--input")
        .arg(&fifo)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Half the input arrives, and the writer stays: the run is in the middle of its output.
    let mut fifo_writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    fifo_writer
        .write_all(jsonl_rows(20_000).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap(); // SIGKILL: no destructor runs
    child.wait().unwrap();
    drop(fifo_writer);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old\n");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn ids_are_echoed_as_written() {
    let input = "{\"id\": 123456789012345678901234567890, \"text\": \"Kyiv thanked NATO\", \"target\": \"NATO\"}\n\
                 {\"id\": -0, \"text\": \"Kyiv thanked NATO\", \"target\": \"NATO\"}\n\
                 {\"id\": 1.50, \"text\": \"Kyiv thanked NATO\", \"target\": \"NATO\"}\n";
    let r = run(stance().args(["score", "--input", "-"]).write_stdin(input));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<String> = json_lines(&r.stdout)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["123456789012345678901234567890", "-0", "1.50"]);
}

#[test]
fn messages_say_what_is_wrong_where() {
    let dir = tempfile::tempdir().unwrap();
    // An unterminated quote is a quote problem, not a field count.
    let file = write(
        dir.path(),
        "open.csv",
        b"text,target,stance\n\"Kyiv thanked NATO,NATO,favor\nMoscow spoke,Russia,none\n",
    );
    let r = run(stance()
        .args(["train", "--out"])
        .arg(dir.path().join("m.model"))
        .arg(&file));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("open.csv:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("quote"), "{}", r.stderr);
    // JSON errors carry our file:line, not serde_json's "line 1".
    let file = write(dir.path(), "bad.jsonl", b"{\"text\": \"a\"}\n{\"text\": \n");
    let r = run(stance().args(["score", "--input"]).arg(&file));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.jsonl:2: malformed JSON at column"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("line 1"), "{}", r.stderr);
}

#[test]
fn corrupt_payloads_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), &["--vectors", "none"]);
    let bytes = std::fs::read(&model).unwrap();
    // A payload cut short, with a checksum and length that agree with the cut: bincode runs out.
    let mut cut = bytes[..52].to_vec();
    let payload = &bytes[52..bytes.len() / 2];
    cut[44..52].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    use sha2::Digest;
    cut[12..44].copy_from_slice(&sha2::Sha256::digest(payload));
    cut.extend_from_slice(payload);
    let broken = write(dir.path(), "cut.model", &cut);
    let r = run(stance().args(["score", "--model"]).arg(&broken).arg(KYIV));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cut.model: model payload cannot be read"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.trim_end().ends_with(':'), "{}", r.stderr);
    assert!(!r.stderr.contains("io error: \n"), "{}", r.stderr);
}

#[test]
fn training_ends_within_its_iteration_limit_whatever_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(stance()
        .args([
            "train",
            "--min-df",
            "1",
            "--vectors",
            "none",
            "--min-target-rows",
            "1",
        ])
        .args([
            "--augment-targets",
            "--shared-weight",
            "1e19",
            "--max-iter",
            "1",
            "--out",
        ])
        .arg(dir.path().join("m.model"))
        .arg(fixture("mini.jsonl"))
        .timeout(Duration::from_secs(120)));
    assert!(r.code == 0 || r.code == 2, "exit {}: {}", r.code, r.stderr);
    if r.code == 2 {
        assert!(r.stderr.contains("--shared-weight"), "{}", r.stderr);
    }
}
