//! Helpers shared by the command-line test files: running the binary, fixtures, temp files.
#![allow(dead_code)] // each test file uses its own subset

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn stance() -> Command {
    Command::cargo_bin("stance").expect("binary builds")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    run
}

/// Trains on the mini fixture into `dir` and returns the model path.
pub fn train_mini(dir: &Path, extra: &[&str]) -> PathBuf {
    let model = dir.join("mini.model");
    let r = run(stance()
        .args(["train", "--min-df", "1", "--out"])
        .arg(&model)
        .args(extra)
        .arg(fixture("mini.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    model
}

pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}
