#!/usr/bin/env python3
"""Split the labeled corpus into labeled/train.jsonl and labeled/test.jsonl, by statement.

Usage: python3 scripts/corpus/split.py FILE.jsonl [FILE.jsonl ...]
       python3 scripts/corpus/split.py --append DRAFT.jsonl [DRAFT.jsonl ...]

Reads every row of the given files (drafts, or the current train/test files themselves), groups rows
by statement text, and sends each statement with all its rows to test when the SHA-1 of its text falls
in the lowest 20% of the hash range, else to train. The split depends only on the text, so re-running
it after adding statements keeps every existing statement where it was. Ids are `labeled-NNNN`,
numbered per statement in file order.

With --append, labeled/train.jsonl and labeled/test.jsonl keep their rows and ids as they are; the
drafts' statements (fields other than text, target and stance are dropped) are numbered after the
highest id and added to the split their hash picks. A draft statement already in the corpus is an
error.
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


def read_rows(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def append(paths):
    files = {split: ROOT / "labeled" / f"{split}.jsonl" for split in ("train", "test")}
    existing = {split: read_rows(path) for split, path in files.items()}
    known = {row["text"] for rows in existing.values() for row in rows}
    number = max(int(row["id"].split("-")[1]) for rows in existing.values() for row in rows)
    statements = {}
    for path in paths:
        for row in read_rows(path):
            if row["text"] in known:
                sys.exit(f"{path}: already in the corpus: {row['text'][:80]!r}")
            statements.setdefault(row["text"], []).append(row)
    added = {"train": 0, "test": 0}
    for text, rows in statements.items():
        number += 1
        split = "test" if in_test(text) else "train"
        for k, row in enumerate(rows):
            existing[split].append({"id": f"labeled-{number:04d}-{k}", "text": text, "target": row["target"],
                                    "stance": row["stance"]})
        added[split] += len(rows)
    for split, path in files.items():
        with open(path, "w", encoding="utf-8") as f:
            for row in existing[split]:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"labeled/{split}.jsonl: {added[split]} rows added, {len(existing[split])} in all")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--append":
        append(sys.argv[2:])
    else:
        main(sys.argv[1:])
