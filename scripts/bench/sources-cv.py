#!/usr/bin/env python3
"""How the default model should use its two sources: the project's corpus (labeled/train.jsonl)
and real news (labeled/external/newsmtsc-train.jsonl), judged by K-fold cross-validation on
those training files, per source, and then on NewsMTSC's dev splits and labeled/test.jsonl.

A variant marked "party model" trains a second model beside it, on the rows whose target is a
registered party (`stance parties --json`: a party's name or alias, case-folded), and scores those
rows with it, the other rows with the first: it asks whether the corpus, all of whose targets are
parties, and the news rows about persons are better served apart than pooled. It is not a
`stance train` option: the variant simulates one with two models.

Usage: scripts/bench/sources-cv.py [--folds 5] [--seed 1] [--variant NAME ...] [--no-dev]

Each source is dealt into K folds by statement (all rows of a sentence in one fold, a seeded
hash, as `stance train --cv` does); fold k of both sources is held out together, the variant is
trained on the rest with the release binary (STANCE, default target/release/stance), and each
source's held-out rows are scored by `stance eval --json`. Confusions are pooled over the folds
per source; the per-fold macro-F1 gives the spread (mean ± sd). With dev (the default), each
variant is trained once more on both whole files and evaluated on labeled/test.jsonl and
../shared/data/newsmtsc/dev-rw.jsonl and dev-mt.jsonl: those are for confirming a choice, not
for making it.
"""
import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_metrics  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STANCE = os.environ.get("STANCE", str(ROOT / "target" / "release" / "stance"))
CORPUS = ROOT / "labeled" / "train.jsonl"
NEWS = ROOT / "labeled" / "external" / "newsmtsc-train.jsonl"
DATA = ROOT.parent / "shared" / "data"
LABELS = ("favor", "against", "none")

# name -> (train on the news file too, extra train options, times the corpus file is given: an
# integer weight of its rows[, "party model"])
VARIANTS = {
    "corpus only": (False, [], 1),
    "concatenated": (True, [], 1),
    "l2 0.25": (True, ["--l2", "0.25"], 1),
    "l2 1": (True, ["--l2", "1"], 1),
    "vector weight 0.5": (True, ["--vector-weight", "0.5"], 1),
    "no vectors": (True, ["--vectors", "none"], 1),
    "no lexicon sides": (True, ["--lexicon-sides", "off"], 1),
    "no lexicon": (True, ["--lexicon", "off"], 1),
    "corpus x2": (True, [], 2),
    "corpus x3": (True, [], 3),
    "sources (shared 1)": (True, ["--augment-sources"], 1),
    "sources (shared 0.5)": (True, ["--augment-sources", "--source-shared-weight", "0.5"], 1),
    "sources (shared 2)": (True, ["--augment-sources", "--source-shared-weight", "2"], 1),
    "party model": (True, [], 1, "party model"),
    "augment targets 100": (True, ["--augment-targets", "--min-target-rows", "100"], 1),
}


def party_names():
    """Every registered party's name and aliases, case-folded."""
    out = subprocess.run([STANCE, "parties", "--json"], check=True, capture_output=True, text=True).stdout
    return {a.casefold() for line in out.splitlines() for p in [json.loads(line)]
            for a in [p["name"], *p["aliases"]]}


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fold_of(text, folds, seed):
    digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
    return int.from_bytes(digest[:8], "little") % folds


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def train(out, files, extra):
    # --no-select: the default recipe's fixed settings, as `stance train` without files uses.
    subprocess.run([STANCE, "train", "--quiet", "--no-select", "--out", out, *extra, *map(str, files)],
                   check=True, stderr=subprocess.DEVNULL)


def confusion(model, path):
    result = subprocess.run([STANCE, "eval", "--json", "--model", model, str(path)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)["confusion"]


def macro_f1(c):
    """Macro-F1 of a confusion matrix (rows gold, columns predicted, in LABELS order)."""
    gold = [LABELS[g] for g in range(3) for p in range(3) for _ in range(c[g][p])]
    pred = [LABELS[p] for g in range(3) for p in range(3) for _ in range(c[g][p])]
    return bench_metrics.scores(gold, pred)["macro_f1"]


def add(a, b):
    return [[a[i][j] + b[i][j] for j in range(3)] for i in range(3)]


def train_party_model(tmp, files, extra, is_party):
    """The "party model" variant's second model, trained on the party rows of `files`."""
    party_files = []
    for i, f in enumerate(files):
        write(tmp / f"party-train-{i}.jsonl", [r for r in read(f) if is_party(r)])
        party_files.append(tmp / f"party-train-{i}.jsonl")
    party_model = str(tmp / "fold-party.model")
    train(party_model, party_files, extra)
    return party_model


def routed_confusion(tmp, source, party_model, model, is_party):
    """The held-out rows of `source` scored as the "party model" variant does: rows about a
    registered party by `party_model`, the others by `model`."""
    held = read(tmp / f"{source}-held.jsonl")
    c = [[0] * 3 for _ in range(3)]
    for kind, chosen in [("party", party_model), ("other", model)]:
        rows = [r for r in held if is_party(r) == (kind == "party")]
        if rows:
            write(tmp / f"held-{kind}.jsonl", rows)
            c = add(c, confusion(chosen, tmp / f"held-{kind}.jsonl"))
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variant", action="append", choices=list(VARIANTS))
    ap.add_argument("--no-dev", action="store_true")
    args = ap.parse_args()
    variants = args.variant or list(VARIANTS)
    sources = {"corpus": read(CORPUS), "news": read(NEWS)}
    zero = [[0] * 3 for _ in range(3)]
    print(f"{args.folds}-fold CV by statement, seed {args.seed}; macro-F1 per source "
          f"(pooled over folds; per-fold mean ± sd)", flush=True)
    print(f"{'variant':24} {'corpus':>24} {'news':>24}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        parties = party_names()
        is_party = lambda r: r.get("target", "").strip().casefold() in parties  # noqa: E731
        for name in variants:
            with_news, extra, repeat, *party_model = VARIANTS[name]
            pooled = {s: zero for s in sources}
            per_fold = {s: [] for s in sources}
            for k in range(args.folds):
                files = []
                for s, rows in sources.items():
                    held = [r for r in rows if fold_of(r["text"], args.folds, args.seed) == k]
                    rest = [r for r in rows if fold_of(r["text"], args.folds, args.seed) != k]
                    write(tmp / f"{s}-train.jsonl", rest)
                    write(tmp / f"{s}-held.jsonl", held)
                    if s == "corpus":
                        files += [tmp / f"{s}-train.jsonl"] * repeat
                    elif with_news:
                        files.append(tmp / f"{s}-train.jsonl")
                model = str(tmp / "fold.model")
                train(model, files, extra)
                party = train_party_model(tmp, files, extra, is_party) if party_model else None
                for s in sources:
                    if party:
                        c = routed_confusion(tmp, s, party, model, is_party)
                    else:
                        c = confusion(model, tmp / f"{s}-held.jsonl")
                    pooled[s] = add(pooled[s], c)
                    per_fold[s].append(macro_f1(c))
            cells = []
            for s in sources:
                f = per_fold[s]
                cells.append(f"{macro_f1(pooled[s]):.4f} ({statistics.mean(f):.4f} ± {statistics.stdev(f):.4f})")
            print(f"{name:24} {cells[0]:>24} {cells[1]:>24}", flush=True)
        if args.no_dev:
            return
        checks = [ROOT / "labeled" / "test.jsonl", DATA / "newsmtsc" / "dev-rw.jsonl",
                  DATA / "newsmtsc" / "dev-mt.jsonl"]
        print("\ntrained on the whole files; macro-F1 on", ", ".join(p.name for p in checks))
        # The party model variants simulate two models and have no single whole model to check.
        for name in [v for v in variants if len(VARIANTS[v]) == 3]:
            with_news, extra, repeat = VARIANTS[name]
            model = str(tmp / "whole.model")
            train(model, [CORPUS] * repeat + ([NEWS] if with_news else []), extra)
            cells = [f"{macro_f1(confusion(model, p)):.4f}" for p in checks]
            print(f"{name:24} " + " ".join(f"{c:>10}" for c in cells), flush=True)


if __name__ == "__main__":
    sys.exit(main())
