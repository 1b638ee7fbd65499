#!/usr/bin/env python3
"""Out-of-fold F_avg of `stance train` option sets on SemEval-2016, for trying ideas quickly.

For each option set: 5-fold CV on train (folds stratified by target and stance, one dealing per
seed, made here so that text variants share them), and the model trained on all of train scored
on val. Options that `stance train --cv` cannot vary are tried here: text variants
(--hashtags), a shifted decision for `none` (--none-offsets), and probability averaging of the
option sets (--ensemble). `stance train --cv` stays the way choices are made; this script is
for the ideas before them.

    scripts/bench/semeval-variants.py --seeds 1,2,3 \\
        "--min-target-rows 100 --l2 10 --balance --char-ngrams 2-5 --char-weight 2 --language none"

With --b2, scikit-learn's B2 baseline (scripts/bench/baseline_sklearn.py, C=10 as its CV picks on
SemEval, one model per target) is scored on the same folds and val, so stance and B2 are compared
on 2,620 out-of-fold rows instead of val's 294; run it with the bench's Python
(target/bench-venv/bin/python, made by scripts/bench/accuracy).

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

from bench_metrics import LABELS as CLASSES, scores

ROOT = Path(__file__).resolve().parents[2]
STANCE = ROOT / "target/release/stance"
DATA = ROOT.parent / "shared/data/semeval2016"


def load(path):
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def f_avg(gold, predicted):
    """SemEval-2016's official metric, as the benchmarks compute it."""
    return scores(gold, predicted)["f_avg"]


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


def b2_train_and_score(train_rows, test_rows):
    """B2 as scripts/bench/accuracy runs it on SemEval: one model per target, C=10; one-hot
    probabilities of its predictions, so they go through the same decision as stance's."""
    import baseline_sklearn as baseline  # needs scikit-learn: imported only with --b2
    groups = baseline.group_rows(train_rows, True)
    models = {key: baseline.make_model("b2", (10, None)).fit([r["text"] for r in rows], [r["stance"] for r in rows])
              for key, rows in groups.items()}
    predicted = baseline.predict(models, test_rows, True)
    return [{c: float(c == p) for c in CLASSES} for p in predicted]


def out_of_fold(options, rows, k, seed, work):
    fold, probabilities = folds(rows, k, seed), [None] * len(rows)
    for f in range(k):
        held_out = [i for i, x in enumerate(fold) if x == f]
        train_part, test_part = [r for r, x in zip(rows, fold) if x != f], [rows[i] for i in held_out]
        scored = (b2_train_and_score(train_part, test_part) if options == B2
                  else train_and_score(options, train_part, test_part, work))
        for i, p in zip(held_out, scored):
            probabilities[i] = p
    return probabilities


B2 = ["<sklearn B2>"]


def decide(probabilities, none_offset=0.0):
    """argmax of log-probabilities with `none_offset` added to none's."""
    out = []
    for p in probabilities:
        logs = {c: math.log(p[c] + 1e-12) + (none_offset if c == "none" else 0.0) for c in CLASSES}
        out.append(max(logs, key=logs.get))
    return out


def paired_bootstrap(gold, ours, theirs, rounds=2000, seed=1):
    """F_avg(ours) - F_avg(theirs) on resamples of the rows: (standard deviation, 2.5 % and
    97.5 % points, share of resamples where ours is not ahead)."""
    rng, n, diffs = random.Random(seed), len(gold), []
    for _ in range(rounds):
        rows = [rng.randrange(n) for _ in range(n)]
        sample = [gold[i] for i in rows]
        diffs.append(f_avg(sample, [ours[i] for i in rows]) - f_avg(sample, [theirs[i] for i in rows]))
    diffs.sort()
    mean = sum(diffs) / rounds
    sd = (sum((d - mean) ** 2 for d in diffs) / rounds) ** 0.5
    return sd, diffs[rounds // 40], diffs[rounds - rounds // 40], sum(d <= 0 for d in diffs) / rounds


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
    parser.add_argument("--b2", action="store_true", help="also score scikit-learn's B2 baseline on the same folds")
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

    b2_val = []

    def report(name, val_probabilities, cv_runs):
        for offset in offsets:
            cv = [f_avg(gold_train, decide(p, offset)) for p in cv_runs]
            shown = name + (f"  [none {offset:+g}]" if offset else "")
            val_predicted = decide(val_probabilities, offset)
            print(f"{shown}\n    CV {' / '.join(f'{c:.4f}' for c in cv)}  mean {sum(cv) / len(cv):.4f}"
                  f"   val {f_avg(gold_val, val_predicted):.4f}", flush=True)
            if b2_val and val_predicted != b2_val:
                sd, low, high, behind = paired_bootstrap(gold_val, val_predicted, b2_val)
                print(f"    val minus B2, paired bootstrap of the rows: sd {sd:.4f}, 95 % "
                      f"[{low:+.4f}, {high:+.4f}], not ahead in {behind:.1%} of resamples", flush=True)

    print(f"hashtags: {args.hashtags}; {args.folds}-fold CV F_avg per seed ({args.seeds}), mean; val F_avg")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.b2:
            b2_probabilities = b2_train_and_score(train, val)
            report("sklearn B2 (C=10)", b2_probabilities,
                   [out_of_fold(B2, train, args.folds, s, work) for s in seeds])
            b2_val.extend(decide(b2_probabilities))
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
