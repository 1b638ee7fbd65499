#!/usr/bin/env python3
"""Out-of-fold F_avg of `stance train` option sets on SemEval-2016, for trying ideas quickly.

For each option set: 5-fold CV on train (folds stratified by target and stance, one dealing per
seed, made here so that text variants share them), and the model trained on all of train scored
on val. Options that `stance train --cv` cannot vary are tried here: text variants
(--hashtags), a shifted decision for `none` (--none-offsets), and probability averaging of the
option sets (--ensemble). `stance train --cv` stays the way choices are made; this script is
for the ideas before them.

    scripts/semeval-variants.py --seeds 1,2,3 \\
        "--min-target-rows 100 --l2 10 --balance --char-ngrams 2-5 --char-weight 2 --language none"

Needs target/release/stance (cargo build --release) and ../shared/data/semeval2016.
"""
import argparse
import json
import math
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANCE = ROOT / "target/release/stance"
DATA = ROOT.parent / "shared/data/semeval2016"
CLASSES = ("favor", "against", "none")


def load(path):
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def f_avg(gold, predicted):
    """SemEval-2016's official metric: mean F1 of favor and against."""
    scores = []
    for c in ("favor", "against"):
        tp = sum(g == c and p == c for g, p in zip(gold, predicted))
        fp = sum(g != c and p == c for g, p in zip(gold, predicted))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 2


def camel_words(body):
    return re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", body)


# Text variants: each maps a tweet to the text stance is trained and scored on.
HASHTAG_VARIANTS = {
    "as-is": lambda text: text,
    # The hashtag kept, and its body again as a plain word (#prolife -> #prolife prolife).
    "body": lambda text: re.sub(r"#(\w+)", lambda m: f"{m.group(0)} {m.group(1)}", text),
    # The hashtag kept, and its camel-case words when it has several (#StopHillary -> stop hillary).
    "camel": lambda text: re.sub(
        r"#(\w+)",
        lambda m: m.group(0) + ("".join(" " + w for w in camel_words(m.group(1)))
                                if len(camel_words(m.group(1))) > 1 else ""),
        text),
}


def train_and_score(options, train_rows, test_rows, work):
    train_file, test_file, model = work / "train.jsonl", work / "test.jsonl", work / "model"
    for path, rows in ((train_file, train_rows), (test_file, test_rows)):
        with path.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    run = subprocess.run([str(STANCE), "train", "--quiet", "--out", str(model), *options, str(train_file)],
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"stance train {' '.join(options)} failed:\n{run.stderr}")
    scored = subprocess.run([str(STANCE), "score", "--model", str(model), "--input", str(test_file)],
                            capture_output=True, text=True, check=True).stdout
    return [json.loads(line)["probabilities"] for line in scored.splitlines()]


def folds(rows, k, seed):
    rng, by_class = random.Random(seed), defaultdict(list)
    for i, r in enumerate(rows):
        by_class[(r["target"], r["stance"])].append(i)
    fold = [0] * len(rows)
    for key in sorted(by_class):
        members = by_class[key]
        rng.shuffle(members)
        for j, i in enumerate(members):
            fold[i] = j % k
    return fold


def out_of_fold(options, rows, k, seed, work):
    fold, probabilities = folds(rows, k, seed), [None] * len(rows)
    for f in range(k):
        held_out = [i for i, x in enumerate(fold) if x == f]
        scored = train_and_score(options, [r for r, x in zip(rows, fold) if x != f],
                                 [rows[i] for i in held_out], work)
        for i, p in zip(held_out, scored):
            probabilities[i] = p
    return probabilities


def decide(probabilities, none_offset=0.0):
    """argmax of log-probabilities with `none_offset` added to none's."""
    out = []
    for p in probabilities:
        logs = {c: math.log(p[c] + 1e-12) + (none_offset if c == "none" else 0.0) for c in CLASSES}
        out.append(max(logs, key=logs.get))
    return out


def average(runs):
    return [{c: sum(run[i][c] for run in runs) / len(runs) for c in CLASSES} for i in range(len(runs[0]))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("option_sets", nargs="+", help="`stance train` options, one quoted string each")
    parser.add_argument("--seeds", default="1", help="CV seeds, comma-separated (default 1)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--hashtags", choices=sorted(HASHTAG_VARIANTS), default="as-is")
    parser.add_argument("--none-offsets", default="0", help="log-probability offsets for none, e.g. -0.4,0,0.4")
    parser.add_argument("--ensemble", action="store_true", help="also average the option sets' probabilities")
    args = parser.parse_args()
    if not STANCE.exists():
        sys.exit(f"{STANCE} not found: run cargo build --release first")
    variant = HASHTAG_VARIANTS[args.hashtags]
    train, val = load(DATA / "train.jsonl"), load(DATA / "val.jsonl")
    for r in train + val:
        r["text"] = variant(r["text"])
    seeds = [int(s) for s in args.seeds.split(",")]
    offsets = [float(o) for o in args.none_offsets.split(",")]
    gold_train, gold_val = [r["stance"] for r in train], [r["stance"] for r in val]

    def report(name, val_probabilities, cv_runs):
        for offset in offsets:
            cv = [f_avg(gold_train, decide(p, offset)) for p in cv_runs]
            shown = name + (f"  [none {offset:+g}]" if offset else "")
            print(f"{shown}\n    CV {' / '.join(f'{c:.4f}' for c in cv)}  mean {sum(cv) / len(cv):.4f}"
                  f"   val {f_avg(gold_val, decide(val_probabilities, offset)):.4f}", flush=True)

    print(f"hashtags: {args.hashtags}; {args.folds}-fold CV F_avg per seed ({args.seeds}), mean; val F_avg")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for options in args.option_sets:
            split = options.split()
            runs.append((train_and_score(split, train, val, work),
                         [out_of_fold(split, train, args.folds, s, work) for s in seeds]))
            report(options, *runs[-1])
    if args.ensemble and len(runs) > 1:
        report("ensemble (mean probabilities)", average([v for v, _ in runs]),
               [average([cv[i] for _, cv in runs]) for i in range(len(seeds))])

if __name__ == "__main__":
    main()
