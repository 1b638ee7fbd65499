#!/usr/bin/env python3
"""Split the labeled corpus into labeled/train.jsonl and labeled/test.jsonl, by statement.

Usage: python3 scripts/corpus/split.py FILE.jsonl [FILE.jsonl ...]

Reads every row of the given files (drafts, or the current train/test files themselves), groups rows
by statement text, and sends each statement with all its rows to test when the SHA-1 of its text falls
in the lowest 20% of the hash range, else to train. The split depends only on the text, so re-running
it after adding statements keeps every existing statement where it was. Ids are `labeled-NNNN`,
numbered per statement in file order.
"""
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_SHARE = 0.20


def in_test(text):
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < TEST_SHARE


def main(paths):
    statements = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                statements.setdefault(row["text"], []).append(row)
    outputs = {"train": [], "test": []}
    for number, (text, rows) in enumerate(statements.items(), 1):
        split = "test" if in_test(text) else "train"
        for k, row in enumerate(rows):
            out = {"id": f"labeled-{number:04d}-{k}", "text": text, "target": row["target"], "stance": row["stance"]}
            outputs[split].append(out)
    for split, rows in outputs.items():
        with open(ROOT / "labeled" / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"labeled/{split}.jsonl: {len(rows)} rows")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
