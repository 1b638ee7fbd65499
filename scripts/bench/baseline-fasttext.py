#!/usr/bin/env python3
"""fastText baseline for scripts/bench/speed (Python binding from the `fasttext-numpy2` package).

The model sees the text only, lower-cased with punctuation split off (as fastText's own
classification examples preprocess). Training parameters follow fastText's supervised tutorial:
epoch 25, lr 0.5, wordNgrams 2; everything else is the library default (dim 100, bucket
2,000,000, softmax loss, minCount 1); thread = --threads (bench/speed passes the core count).

Subcommands:
  train  fit on one JSONL file, save the model, report in-process times (prep_s: writing fastText's
         training file; fit_s: train_supervised).
  score  stream a JSONL file, predict all three labels' probabilities on lists of 10,000 texts,
         write one JSON line per row (the fields `stance score` writes); report in-process times.
"""
import argparse
import json
import os
import re
import tempfile
import time

import fasttext

from bench_io import output_line, stream_scores, write_timing

PARAMS = {"epoch": 25, "lr": 0.5, "wordNgrams": 2}
TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text):
    return " ".join(TOKEN.findall(text.lower()))


def cmd_train(args):
    start = time.perf_counter()
    rows = 0
    with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=os.path.dirname(args.model) or ".",
                                     encoding="utf-8", delete=False) as tmp:
        with open(args.train, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                tmp.write(f"__label__{row['stance']} {tokens(row['text'])}\n")
                rows += 1
    prep_seconds = time.perf_counter() - start
    try:
        start = time.perf_counter()
        model = fasttext.train_supervised(input=tmp.name, thread=args.threads, verbose=0, **PARAMS)
        fit_seconds = time.perf_counter() - start
    finally:
        os.unlink(tmp.name)
    model.save_model(args.model)
    write_timing(args.timing, {"prep_s": prep_seconds, "fit_s": fit_seconds, "rows": rows,
                               "threads": args.threads, **PARAMS})


def score_batch(model, batch, out):
    labels, probs = model.predict([tokens(r["text"]) for r in batch], k=-1)
    for row, row_labels, row_probs in zip(batch, labels, probs):
        p = {label.removeprefix("__label__"): float(x) for label, x in zip(row_labels, row_probs)}
        out.write(output_line(row, p))


def cmd_score(args):
    start = time.perf_counter()
    model = fasttext.load_model(args.model)
    load_seconds = time.perf_counter() - start

    n, seconds = stream_scores(args.input, args.output, lambda batch, out: score_batch(model, batch, out))
    write_timing(args.timing, {"load_model_s": load_seconds, "score_s": seconds, "rows": n})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train")
    p.add_argument("--train", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--timing", help="write in-process timings here as JSON")
    p.set_defaults(run=cmd_train)

    p = sub.add_parser("score")
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--timing", help="write in-process timings here as JSON")
    p.set_defaults(run=cmd_score)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
