#!/usr/bin/env python3
"""scikit-learn n-gram baselines for the stance benchmarks. The models see the text only.

  B1  TfidfVectorizer(word 1-2 grams, sublinear_tf) + LogisticRegression(max_iter=1000)
  B2  FeatureUnion(TfidfVectorizer(word 1-3), TfidfVectorizer(char_wb 2-5)), both sublinear_tf,
      + LogisticRegression(max_iter=1000)

Subcommands:
  accuracy  (bench/accuracy) choose C by 5-fold stratified CV on the training split, fit, evaluate.
            --dataset semeval: one model per target (the classic SemEval baseline); CV picks one C
            for all targets by the pooled F_avg. --dataset newsmtsc: one pooled model; CV picks C
            by macro-F1. Folds are grouped by text, so a sentence that appears with several
            targets never sits on both sides of a fold. --quick skips the CV and uses C=1.
            --wide: the CV also tries C=30 and 100 and class_weight="balanced" with every C (the
            system is then named sklearn-b1-wide / sklearn-b2-wide), so the baseline gets the
            same class rebalancing that stance's --balance offers.
  train     (bench/speed) fit B1 with C=1 on one file, pickle it, report the in-process fit time.
  score     (bench/speed) stream a JSONL file, predict_proba in batches of 10,000 rows, write one
            JSON line per row (the fields `stance score` writes); report the in-process times.
"""
import argparse
import json
import pickle
import time
from collections import defaultdict

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, make_pipeline

from bench_io import output_line, stream_scores, write_timing
from bench_metrics import scores

C_GRID = (0.1, 0.3, 1, 3, 10)
C_GRID_WIDE = (0.1, 0.3, 1, 3, 10, 30, 100)
FOLDS = 5


def settings_grid(wide):
    """(C, class_weight) pairs the CV tries."""
    if not wide:
        return [(c, None) for c in C_GRID]
    return [(c, w) for w in (None, "balanced") for c in C_GRID_WIDE]


def setting_name(setting):
    c, weight = setting
    return f"{c}" + (f" {weight}" if weight else "")


def classifier(setting):
    c, weight = setting
    return LogisticRegression(C=c, class_weight=weight, max_iter=1000)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make_vectorizer(system):
    if system == "b1":
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def make_model(system, setting):
    return make_pipeline(make_vectorizer(system), classifier(setting))


def group_rows(rows, per_target):
    """Rows split into the groups that get their own model: per target, or all together."""
    groups = defaultdict(list)
    for row in rows:
        groups[row["target"] if per_target else "*"].append(row)
    return groups


def cv_predictions(system, rows, grid):
    """Out-of-fold predictions {setting: [label per row]}; the vectorizer is fit once per fold."""
    texts = [r["text"] for r in rows]
    labels = [r["stance"] for r in rows]
    preds = {g: [None] * len(rows) for g in grid}
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    for train_idx, test_idx in folds.split(texts, labels, groups=texts):
        vectorizer = make_vectorizer(system)
        x_train = vectorizer.fit_transform([texts[i] for i in train_idx])
        x_test = vectorizer.transform([texts[i] for i in test_idx])
        y_train = [labels[i] for i in train_idx]
        for g in grid:
            fold_pred = classifier(g).fit(x_train, y_train).predict(x_test)
            for i, p in zip(test_idx, fold_pred):
                preds[g][i] = p
    return preds


def choose_setting(system, groups, metric, grid):
    """Pick the setting with the best pooled out-of-fold metric (the first on ties); return
    (setting, {setting name: score})."""
    gold, pred = [], defaultdict(list)
    for rows in groups.values():
        gold += [r["stance"] for r in rows]
        for g, labels in cv_predictions(system, rows, grid).items():
            pred[g] += labels
    cv = {g: scores(gold, pred[g])[metric] for g in grid}
    best = max(grid, key=lambda g: cv[g])
    return best, {setting_name(g): v for g, v in cv.items()}


def predict(models, rows, per_target):
    """Labels for rows, each predicted by its group's model (batched per group)."""
    keys = [r["target"] if per_target else "*" for r in rows]
    pred = [None] * len(rows)
    for key in set(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        for i, p in zip(idx, models[key].predict([rows[i]["text"] for i in idx])):
            pred[i] = p
    return pred


def cmd_accuracy(args):
    per_target = args.dataset == "semeval"
    metric = "f_avg" if per_target else "macro_f1"
    groups = group_rows(read_jsonl(args.train), per_target)

    start = time.perf_counter()
    grid = settings_grid(args.wide)
    setting, cv = ((1, None), None) if args.quick else choose_setting(args.system, groups, metric, grid)
    tune_seconds = time.perf_counter() - start

    start = time.perf_counter()
    models = {}
    for key, rows in groups.items():
        models[key] = make_model(args.system, setting).fit([r["text"] for r in rows], [r["stance"] for r in rows])
    train_seconds = time.perf_counter() - start

    system = f"sklearn-{args.system}" + ("-wide" if args.wide else "")
    results = []
    for spec in args.eval:
        split, path = spec.split("=", 1)
        rows = read_jsonl(path)
        pred = predict(models, rows, per_target)
        results.append({
            "dataset": args.dataset, "split": split, "system": system,
            "metric": metric, "C": setting_name(setting), "cv": cv, "cv_metric": metric,
            "tune_seconds": tune_seconds, "train_seconds": train_seconds,
            "metrics": scores([r["stance"] for r in rows], pred),
        })
    with open(args.out, "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in results)
    for r in results:
        m = r["metrics"]
        print(f"{r['dataset']}/{r['split']} {r['system']} C={r['C']}: F_avg={m['f_avg']:.4f} "
              f"macro-F1={m['macro_f1']:.4f} acc={m['accuracy']:.4f} (n={m['n']})")


def cmd_train(args):
    rows = read_jsonl(args.train)
    start = time.perf_counter()
    model = make_model("b1", (1.0, None)).fit([r["text"] for r in rows], [r["stance"] for r in rows])
    fit_seconds = time.perf_counter() - start
    with open(args.model, "wb") as f:
        pickle.dump(model, f)
    write_timing(args.timing, {"fit_s": fit_seconds, "rows": len(rows)})


def score_batch(model, batch, out):
    probs = model.predict_proba([r["text"] for r in batch])
    labels = model.classes_.tolist()
    for row, p in zip(batch, probs):
        out.write(output_line(row, dict(zip(labels, p.tolist()))))


def cmd_score(args):
    start = time.perf_counter()
    with open(args.model, "rb") as f:
        model = pickle.load(f)
    load_seconds = time.perf_counter() - start

    n, seconds = stream_scores(args.input, args.output, lambda batch, out: score_batch(model, batch, out))
    write_timing(args.timing, {"load_model_s": load_seconds, "score_s": seconds, "rows": n})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("accuracy")
    p.add_argument("--dataset", choices=("semeval", "newsmtsc"), required=True)
    p.add_argument("--system", choices=("b1", "b2"), required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--eval", action="append", required=True, metavar="SPLIT=FILE")
    p.add_argument("--quick", action="store_true", help="skip the CV and use C=1")
    p.add_argument("--wide", action="store_true", help="CV over C up to 100 and class_weight=balanced too")
    p.add_argument("--out", required=True, help="results file, one JSON record per line")
    p.set_defaults(run=cmd_accuracy)

    p = sub.add_parser("train")
    p.add_argument("--train", required=True)
    p.add_argument("--model", required=True)
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
