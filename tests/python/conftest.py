"""Shared fixtures: the repository, the `stance` binary the Python package is compared with."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def cli():
    """Runs the `stance` binary (STANCE, or target/release/stance); returns the finished
    process. The Python package must agree with it."""
    binary = os.environ.get("STANCE") or str(REPO / "target" / "release" / "stance")
    if not Path(binary).exists():
        pytest.fail(f"no stance binary at {binary}: run `cargo build --release` first or set STANCE")

    def run(*args, check=True):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"stance {' '.join(map(str, args))} failed: {done.stderr}")
        return done

    return run


def jsonl(text: str):
    return [json.loads(line) for line in text.splitlines() if line.strip()]
