#!/usr/bin/env python3
"""Write the scoring input for scripts/bench/speed: ROWS statements cycling through the rows of
NewsMTSC dev-rw, dev-mt and SemEval val (in that order), as {"id": "s<N>", "text", "target"}
(stance and spans dropped). The output is deterministic, so scripts/bench/speed reuses an
existing file.

Usage: scripts/bench/make-score-input.py --data ../shared/data --rows 1000000 --out target/bench/score-1m.jsonl
"""
import argparse
import itertools
import json
import os

SOURCES = ("newsmtsc/dev-rw.jsonl", "newsmtsc/dev-mt.jsonl", "semeval2016/val.jsonl")


def source_rows(data):
    rows = []
    for name in SOURCES:
        with open(os.path.join(data, name), encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the shared data folder")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rows = source_rows(args.data)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for n, row in enumerate(itertools.islice(itertools.cycle(rows), args.rows)):
            out.write(json.dumps({"id": f"s{n}", "text": row["text"], "target": row["target"]},
                                 ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)  # never leave a half-written file that a later run would reuse
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
