#!/usr/bin/env python3
"""How well `stance audit` finds wrong labels: flip 5 % of labeled/train.jsonl's labels at random
(each to one of the two other stances), audit the copy, and count how many flipped rows are among
the audit's top 2 × (number flipped). Repeated over seeds; prints each and the mean.

Usage: scripts/corpus/audit-recall.py [--seeds 1,2,3] [--share 0.05] [--file labeled/train.jsonl]
(STANCE: the binary, default target/release/stance; the fold models use the built-in model's
options and word vectors, as `stance audit` does by default.)
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
LABELS = ("favor", "against", "none")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--share", type=float, default=0.05)
    ap.add_argument("--file", default=str(ROOT / "labeled" / "train.jsonl"))
    args = ap.parse_args()
    with open(args.file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    recalls = []
    for seed in (int(s) for s in args.seeds.split(",")):
        rng = random.Random(seed)
        flipped = set(rng.sample(range(len(rows)), round(args.share * len(rows))))
        noisy = []
        for i, row in enumerate(rows):
            row = dict(row, id=f"row{i}")
            if i in flipped:
                row["stance"] = rng.choice([s for s in LABELS if s != row["stance"]])
            noisy.append(row)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "noisy.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in noisy), encoding="utf-8")
            top = 2 * len(flipped)
            out = subprocess.run([STANCE, "audit", "--quiet", "--top", str(top), str(path)],
                                 check=True, capture_output=True, text=True).stdout
        found = {int(json.loads(line)["id"][3:]) for line in out.splitlines()} & flipped
        recall = len(found) / len(flipped)
        recalls.append(recall)
        print(f"seed {seed}: {len(flipped)} of {len(rows)} labels flipped; "
              f"{len(found)} of them in the audit's top {top} ({recall:.1%})", flush=True)
    print(f"mean: {statistics.mean(recalls):.1%} of flipped labels in the top 2x "
          f"(min {min(recalls):.1%}, max {max(recalls):.1%})")


if __name__ == "__main__":
    main()
