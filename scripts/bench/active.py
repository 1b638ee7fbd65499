#!/usr/bin/env python3
"""Does `stance suggest` pick better rows to label than chance? A simulated labeling loop on
NewsMTSC: start from 600 random rows of ../shared/data/newsmtsc/train.jsonl, train, let each
strategy choose 600 more from the rest (their labels are then "labeled" from the file), retrain,
and evaluate on dev-rw and dev-mt (macro-F1). Repeated over seeds; the mean decides.

Usage: scripts/bench/active.py [--seeds 1,2,3] [--start 600] [--add 600]
(STANCE: the binary, default target/release/stance; default training options throughout.)
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STANCE = os.environ.get("STANCE", str(ROOT / "target" / "release" / "stance"))
NEWS = ROOT.parent / "shared" / "data" / "newsmtsc"
STRATEGIES = ("random", "margin", "entropy")


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def train(out, path):
    subprocess.run([STANCE, "train", "--quiet", "--out", str(out), str(path)], check=True,
                   stderr=subprocess.DEVNULL)


def macro_f1(model, split):
    out = subprocess.run([STANCE, "eval", "--json", "--model", str(model), str(NEWS / f"{split}.jsonl")],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["macro_f1"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--start", type=int, default=600)
    ap.add_argument("--add", type=int, default=600)
    args = ap.parse_args()
    with open(NEWS / "train.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    by_id = {r["id"]: r for r in rows}
    results = {s: [] for s in ("start only",) + STRATEGIES}
    print(f"{'seed':>4} " + " ".join(f"{s:>22}" for s in results), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for seed in (int(s) for s in args.seeds.split(",")):
            order = list(range(len(rows)))
            random.Random(seed).shuffle(order)
            start = [rows[i] for i in order[:args.start]]
            pool = [rows[i] for i in order[args.start:]]
            write(tmp / "start.jsonl", start)
            write(tmp / "pool.jsonl", pool)
            train(tmp / "start.model", tmp / "start.jsonl")
            cells = {"start only": tmp / "start.model"}
            for strategy in STRATEGIES:
                out = subprocess.run([STANCE, "suggest", "--quiet", "--model", str(tmp / "start.model"),
                                      "--n", str(args.add), "--strategy", strategy, "--seed", str(seed),
                                      str(tmp / "pool.jsonl")], check=True, capture_output=True, text=True).stdout
                chosen = [by_id[json.loads(line)["id"]] for line in out.splitlines()]
                write(tmp / f"{strategy}.jsonl", start + chosen)
                train(tmp / f"{strategy}.model", tmp / f"{strategy}.jsonl")
                cells[strategy] = tmp / f"{strategy}.model"
            line = []
            for name, model in cells.items():
                rw, mt = macro_f1(model, "dev-rw"), macro_f1(model, "dev-mt")
                results[name].append((rw, mt))
                line.append(f"{rw:.4f} / {mt:.4f}")
            print(f"{seed:>4} " + " ".join(f"{c:>22}" for c in line), flush=True)
    print(f"{'mean':>4} " + " ".join(
        f"{statistics.mean(r for r, _ in v):.4f} / {statistics.mean(m for _, m in v):.4f}".rjust(22)
        for v in results.values()))
    print("(macro-F1 on dev-rw / dev-mt; start only: the first 600 rows; the others add 600 chosen rows)")


if __name__ == "__main__":
    main()
