#!/usr/bin/env python3
"""Stance against scikit-learn's B2 on RuSentNE-2023 (Russian news sentences, targeted sentiment),
by nested 5-fold cross-validation grouped by sentence.

Data: ../shared/data/rusentne/train.jsonl (8,624 rows, 3,713 distinct sentences, 72 % none).
Outer folds: the distinct texts shuffled with --seed and dealt into --folds folds, so all rows of
one sentence (one row per target) sit in one fold. Every system is trained on the outer-train rows
only and scored on the outer-test rows; whatever it tunes, it tunes inside outer-train:

  stance                 `stance train --metric f_avg` (its own selection by grouped CV inside),
                         then `stance score` on the held-out rows. Each positional argument adds a
                         row: the same with those extra `stance train` options ("--ngrams 1").
  sklearn-b2             B2 of scripts/bench/baseline_sklearn.py (TF-IDF word 1-3 + char_wb 2-5,
                         sublinear_tf, LogisticRegression), one pooled model, text only; C from
                         0.1, 0.3, 1, 3, 10 by F1_PN of an inner 3-fold CV on outer-train, grouped
                         by sentence the same way.
  sklearn-b2-balanced    the same with class_weight="balanced".
  sklearn-b2-marked      balanced B2 on the text with each target mention (the row's spans,
                         code-point offsets, end exclusive) replaced by " TARGETX ", so that the
                         baseline knows which entity is meant.

Metrics (scripts/bench/bench_metrics.py), per outer fold and pooled over all held-out rows: F1_PN
(= f_avg, the mean F1 of favor and against, RuSentNE-2023's official metric), macro-F1 over the
three classes, accuracy. The table gives each system's mean ± standard error over the outer folds
and the pooled figures; target/bench-russian.json has everything, per fold too. Time per system
is the sum of its folds' seconds (train + score, each fold single-threaded), so it does not depend
on --jobs; the run's wall time is given as well.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 target/bench-venv/bin/python scripts/bench/russian.py
    scripts/bench/russian.py --systems stance "--ngrams 1" "--char-ngrams off"   # stance rows only

Needs target/release/stance (or --stance PATH) and, for the sklearn systems, numpy and
scikit-learn (target/bench-venv/bin/python, made by scripts/bench/accuracy). On 2 cores the
default run takes about 21 minutes: each of the 15 baseline folds about 2.3 minutes (3 inner folds
x 5 C values of logistic regression over ~200,000 n-gram columns), each stance fold about one
minute. --systems leaves systems out (`--systems stance`: about 3 minutes); --c-grid shrinks the
baselines' grid.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from bench_metrics import scores

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared/data/rusentne/train.jsonl"
OUT = ROOT / "target/bench-russian.json"
SKLEARN_SYSTEMS = ("sklearn-b2", "sklearn-b2-balanced", "sklearn-b2-marked")
INNER_FOLDS = 3
MARKER = " TARGETX "
METRICS = (("f_avg", "F1_PN"), ("macro_f1", "macro-F1"), ("accuracy", "accuracy"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sentence_folds(rows, k, seed):
    """Fold of each row: its text's place in a seeded shuffle of the distinct texts, modulo k."""
    texts = sorted({r["text"] for r in rows})
    random.Random(seed).shuffle(texts)
    fold_of = {t: i % k for i, t in enumerate(texts)}
    return [fold_of[r["text"]] for r in rows]


def marked_text(row):
    """The text with each target mention (spans: code-point offsets, end exclusive) replaced by
    MARKER; overlapping spans count once."""
    text, end = row["text"], math.inf
    for s, e in sorted(row.get("spans") or [], reverse=True):
        if e <= end:
            text, end = text[:s] + MARKER + text[e:], s
    return text


# ---- stance ------------------------------------------------------------------------------------

def stance_fold(stance, options, train_rows, test_rows, work):
    """Train `stance` on train_rows with extra options, score test_rows; (labels, details)."""
    work = Path(work)
    train_file, test_file, model = work / "train.jsonl", work / "test.jsonl", work / "model"
    for path, rows in ((train_file, train_rows), (test_file, test_rows)):
        with path.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    command = [stance, "train", "--quiet", "--metric", "f_avg", "--out", str(model), *options, str(train_file)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{run.stderr}")
    scored = subprocess.run([stance, "score", "--quiet", "--model", str(model), "--input", str(test_file)],
                            capture_output=True, text=True)
    if scored.returncode:
        raise RuntimeError(f"stance score failed:\n{scored.stderr}")
    out = [json.loads(line) for line in scored.stdout.splitlines() if line.strip()]
    if [o.get("id") for o in out] != [r["id"] for r in test_rows]:
        raise RuntimeError("stance score's rows do not match the held-out rows one to one")
    return [o["stance"] for o in out], {"train_log": run.stderr.strip().splitlines()}


# ---- scikit-learn B2 ---------------------------------------------------------------------------

def b2_fold(weight, marked, train_rows, test_rows, seed, c_grid):
    """B2 with C chosen by grouped inner CV on train_rows (F1_PN); (labels, details)."""
    import baseline_sklearn as baseline  # needs scikit-learn: imported only for these systems

    def texts(rows):
        return [marked_text(r) if marked else r["text"] for r in rows]

    x_all, y_all = texts(train_rows), [r["stance"] for r in train_rows]
    inner = sentence_folds(train_rows, INNER_FOLDS, seed)
    predicted = {c: [None] * len(train_rows) for c in c_grid}
    for f in range(INNER_FOLDS):
        fit_idx = [i for i, x in enumerate(inner) if x != f]
        held_idx = [i for i, x in enumerate(inner) if x == f]
        vectorizer = baseline.make_vectorizer("b2")
        x_fit = vectorizer.fit_transform([x_all[i] for i in fit_idx])
        x_held = vectorizer.transform([x_all[i] for i in held_idx])
        for c in c_grid:
            model = baseline.classifier((c, weight)).fit(x_fit, [y_all[i] for i in fit_idx])
            for i, p in zip(held_idx, model.predict(x_held)):
                predicted[c][i] = p
    cv = {c: scores(y_all, predicted[c])["f_avg"] for c in c_grid}
    best = max(c_grid, key=lambda c: cv[c])  # the first on ties
    model = baseline.make_model("b2", (best, weight)).fit(x_all, y_all)
    return list(model.predict(texts(test_rows))), {"C": best, "inner_cv_f_avg": {str(c): v for c, v in cv.items()}}


# ---- the nested CV -----------------------------------------------------------------------------

def run_task(task):
    """One (system, outer fold): runs in a worker process; returns the fold's labels and seconds."""
    system, fold, train_rows, test_rows, spec = task
    start = time.perf_counter()
    if spec["kind"] == "stance":
        with tempfile.TemporaryDirectory(prefix="bench-russian-") as work:
            labels, details = stance_fold(spec["stance"], spec["options"], train_rows, test_rows, work)
    else:
        labels, details = b2_fold(spec["weight"], spec["marked"], train_rows, test_rows, spec["seed"], spec["c_grid"])
    return system, fold, labels, details, time.perf_counter() - start


def summary(per_fold):
    """mean and standard error (sd / sqrt(k)) of a list of fold scores."""
    k = len(per_fold)
    mean = sum(per_fold) / k
    sd = (sum((x - mean) ** 2 for x in per_fold) / (k - 1)) ** 0.5 if k > 1 else 0.0
    return mean, sd / k ** 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("option_sets", nargs="*", help="extra `stance train` options, one quoted string per row")
    parser.add_argument("--stance", default=str(ROOT / "target/release/stance"), help="the stance binary")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--folds", type=int, default=5, help="outer folds (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sentence shuffles (default 1)")
    parser.add_argument("--systems", default="stance," + ",".join(SKLEARN_SYSTEMS),
                        help="comma-separated; default all: stance," + ",".join(SKLEARN_SYSTEMS))
    parser.add_argument("--c-grid", default="0.1,0.3,1,3,10", help="C values the baselines' inner CV tries")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="folds run at once (default: cores)")
    parser.add_argument("--out", default=str(OUT), help=f"JSON results (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args()

    systems = [s for s in args.systems.split(",") if s]
    unknown = [s for s in systems if s not in ("stance", *SKLEARN_SYSTEMS)]
    if unknown:
        sys.exit(f"unknown systems: {', '.join(unknown)}")
    stance = str(Path(args.stance).resolve())
    if "stance" in systems and not Path(stance).exists():
        sys.exit(f"{stance} not found: run cargo build --release first, or give --stance PATH")
    if any(s in SKLEARN_SYSTEMS for s in systems):
        try:
            import sklearn  # noqa: F401
        except ImportError:
            sys.exit("the sklearn systems need scikit-learn: run with target/bench-venv/bin/python")
    c_grid = [float(c) if "." in c else int(c) for c in args.c_grid.split(",")]

    rows = load(args.data)
    fold = sentence_folds(rows, args.folds, args.seed)
    gold = [r["stance"] for r in rows]

    specs = {}  # row name -> how to run it
    if "stance" in systems:
        for options in ["", *args.option_sets]:
            specs["stance" + (f" {options}" if options else "")] = {
                "kind": "stance", "stance": stance, "options": options.split()}
    for name, weight, marked in (("sklearn-b2", None, False), ("sklearn-b2-balanced", "balanced", False),
                                 ("sklearn-b2-marked", "balanced", True)):
        if name in systems:
            specs[name] = {"kind": "b2", "weight": weight, "marked": marked, "seed": args.seed, "c_grid": c_grid}

    tasks = []
    for f in range(args.folds):
        train_rows = [r for r, x in zip(rows, fold) if x != f]
        test_rows = [r for r, x in zip(rows, fold) if x == f]
        tasks += [(name, f, train_rows, test_rows, spec) for name, spec in specs.items()]
    tasks.sort(key=lambda t: t[4]["kind"] == "stance")  # the slower baseline folds first

    print(f"RuSentNE-2023: {len(rows)} rows, {len(set(r['text'] for r in rows))} sentences; "
          f"{args.folds} outer folds by sentence (seed {args.seed}); {len(tasks)} fold runs, "
          f"{args.jobs} at a time", file=sys.stderr, flush=True)
    wall = time.perf_counter()
    predicted = {name: [None] * len(rows) for name in specs}
    folds_out = {name: [None] * args.folds for name in specs}
    seconds = {name: 0.0 for name in specs}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for done in as_completed([pool.submit(run_task, t) for t in tasks]):
            name, f, labels, details, took = done.result()
            held = [i for i, x in enumerate(fold) if x == f]
            for i, p in zip(held, labels):
                predicted[name][i] = p
            folds_out[name][f] = {"fold": f, "seconds": took, **details,
                                  "metrics": scores([gold[i] for i in held], labels)}
            seconds[name] += took
            print(f"  {name} fold {f}: F1_PN {folds_out[name][f]['metrics']['f_avg']:.4f} "
                  f"({took:.0f} s)", file=sys.stderr, flush=True)
    wall = time.perf_counter() - wall

    results = []
    for name in specs:
        entry = {"system": name, "seconds": seconds[name], "folds": folds_out[name],
                 "pooled": scores(gold, predicted[name])}
        for key, _ in METRICS:
            mean, se = summary([fo["metrics"][key] for fo in folds_out[name]])
            entry[key] = {"mean": mean, "se": se}
        results.append(entry)

    print(f"RuSentNE-2023 train, {len(rows)} rows: nested {args.folds}-fold CV grouped by sentence "
          f"(seed {args.seed}); mean ± standard error over the outer folds, and pooled over all held-out rows\n")
    header = ["system", *(f"{label} (folds)" for _, label in METRICS), *(f"{label} (pooled)" for _, label in METRICS),
              "seconds"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for e in results:
        cells = [e["system"].replace("|", "\\|")]
        cells += [f"{e[key]['mean']:.4f} ± {e[key]['se']:.4f}" for key, _ in METRICS]
        cells += [f"{e['pooled'][key]:.4f}" for key, _ in METRICS]
        cells.append(f"{e['seconds']:.0f}")
        print("| " + " | ".join(cells) + " |")
    for e in results:
        if "C" in e["folds"][0]:
            print(f"\n{e['system']}: C per outer fold {', '.join(str(fo['C']) for fo in e['folds'])}", end="")
    print(f"\n\nseconds: sum over the folds of train + score; wall time of the run {wall:.0f} s with {args.jobs} jobs")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "dataset": "rusentne-2023", "data": str(args.data), "rows": len(rows), "folds": args.folds,
        "seed": args.seed, "inner_folds_sklearn": INNER_FOLDS, "c_grid": c_grid, "stance": stance,
        "jobs": args.jobs, "wall_seconds": wall, "systems": results}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
