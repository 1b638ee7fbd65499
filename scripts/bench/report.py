#!/usr/bin/env python3
"""Turn the records that scripts/bench/accuracy / scripts/bench/speed collected into a Markdown
table (stdout) and one JSON results file.

  scripts/bench/report.py accuracy RECORDS.jsonl... --out target/bench-accuracy.json [--quick]
  scripts/bench/report.py speed RECORDS.jsonl --out target/bench-speed.json [--runs N] [--quick]
  scripts/bench/report.py stance-record --dataset D --split S --system NAME --train-seconds T
      [--gold FILE --predictions FILE] < eval.json
      (checks `stance eval --json` output and prints it as one accuracy record line; with gold
      and `stance score` predictions, also recomputes the metrics with bench_metrics.py)

Accuracy records: {"dataset", "split", "system", "metrics": {"f_avg", "macro_f1", "accuracy", "n"},
"train_seconds", "C"?, "cv"?, "tune_seconds"?}. Speed records: {"phase": "train"|"score"|"flat",
"system", "rows", "run", "wall_s", "rss_kb", "inner": {in-process timings} | null}.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import sys

from bench_metrics import scores

DATASET_ORDER = {"semeval": 0, "newsmtsc": 1}
SPLIT_ORDER = {"val": 0, "dev-rw": 1, "dev-mt": 2}
OFFICIAL = {"semeval": "f_avg", "newsmtsc": "macro_f1"}
SYSTEM_ORDER = ["stance", "stance --no-target-placeholder", "sklearn-b1", "sklearn-b2",
                "sklearn-b2-wide", "sklearn", "fasttext"]


def read_records(paths):
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def environment(args):
    versions = {}
    for package in ("numpy", "scipy", "scikit-learn", "fasttext-numpy2"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "stance_version": args.stance_version or None,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "python_packages": versions,
        "thread_env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
    }


def system_rank(name):
    return SYSTEM_ORDER.index(name) if name in SYSTEM_ORDER else len(SYSTEM_ORDER)


def fmt(x, digits=4):
    return "–" if x is None else f"{x:,.{digits}f}"


# ---------------------------------------------------------------- accuracy

def accuracy_table(records):
    records.sort(key=lambda r: (DATASET_ORDER.get(r["dataset"], 9), SPLIT_ORDER.get(r["split"], 9),
                                system_rank(r["system"])))
    lines = ["| dataset/split | system | F_avg | macro-F1 | accuracy | n | train s | C |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in records:
        m = r["metrics"]
        cells = {k: fmt(m[k]) for k in ("f_avg", "macro_f1", "accuracy")}
        official = OFFICIAL.get(r["dataset"])
        if official:
            cells[official] = f"**{cells[official]}**"
        lines.append(f"| {r['dataset']}/{r['split']} | {r['system']} | {cells['f_avg']} | "
                     f"{cells['macro_f1']} | {cells['accuracy']} | {m['n']} | "
                     f"{fmt(r.get('train_seconds'), 2)} | {r.get('C') if r.get('C') is not None else '–'} |")
    return "\n".join(lines)


def cv_notes(records):
    notes, seen = [], set()
    for r in records:
        key = (r["dataset"], r["system"])
        if r.get("C") is None or key in seen:
            continue
        seen.add(key)
        if r.get("cv"):
            grid = ", ".join(f"C={c}: {v:.4f}" for c, v in r["cv"].items())
            notes.append(f"- {r['dataset']} {r['system']}: C={r['C']} chosen by 5-fold CV on train "
                         f"({r['cv_metric']}: {grid}; tuning took {r['tune_seconds']:.1f} s)")
        else:
            notes.append(f"- {r['dataset']} {r['system']}: C={r['C']} fixed (--quick, no CV)")
    return "\n".join(notes)


def cmd_stance_record(args):
    """Read `stance eval --json` output on stdin; print it as one accuracy record line.

    With --gold and --predictions (`stance score` output for the same file), the metrics are
    also recomputed by bench_metrics.scores and compared with stance's own."""
    text = sys.stdin.read()
    try:
        metrics = json.loads(text)
    except json.JSONDecodeError as e:
        sys.exit(f"error: `stance eval --json` did not print one JSON object ({e}): {text[:200]!r}")
    for key in ("accuracy", "macro_f1", "f_avg", "n"):
        if not isinstance(metrics.get(key), (int, float)):
            sys.exit(f"error: `stance eval --json` output lacks the number {key!r}: {text[:200]!r}")
    for key in ("accuracy", "macro_f1", "f_avg"):
        if not 0 <= metrics[key] <= 1:
            sys.exit(f"error: `stance eval --json` gave {key}={metrics[key]}, not a fraction in [0, 1]")
    record = {"dataset": args.dataset, "split": args.split, "system": args.system,
              "train_seconds": args.train_seconds, "C": None, "metrics": metrics}
    if args.gold and args.predictions:
        record["crosscheck"] = crosscheck(metrics, read_records([args.gold]), read_records([args.predictions]))
    print(json.dumps(record))


def crosscheck(metrics, gold, predicted):
    """Compare stance's metrics with bench_metrics.scores on its `stance score` predictions."""
    if [g.get("id") for g in gold] != [p.get("id") for p in predicted]:
        return {"ok": False, "why": "`stance score` rows do not match the gold rows one to one"}
    ours = scores([g["stance"] for g in gold], [p["stance"] for p in predicted])
    diffs = {k: (metrics[k], ours[k]) for k in ("n", "accuracy", "macro_f1", "f_avg")
             if abs(metrics[k] - ours[k]) > 1e-9}
    return {"ok": not diffs, "differences": diffs}


def crosscheck_note(records):
    checked = [r for r in records if "crosscheck" in r]
    failed = [r for r in checked if not r["crosscheck"]["ok"]]
    if not checked:
        return ""
    if not failed:
        return (f"- metric cross-check: for all {len(checked)} stance rows, bench_metrics.py on the "
                "`stance score` predictions gives the same numbers as `stance eval --json`")
    return "\n".join(f"- WARNING metric cross-check failed for {r['dataset']}/{r['split']} {r['system']}: "
                     f"{r['crosscheck']}" for r in failed)


def cmd_accuracy(args):
    records = read_records(args.records)
    print("## Accuracy\n")
    print(accuracy_table(records))
    print("\nBold: the dataset's official metric (SemEval-2016: F_avg over all targets pooled; "
          "NewsMTSC: macro-F1). train s: wall time of `stance train` (whole process) / of the "
          "sklearn fit of the final model(s) (in-process, CV excluded). sklearn baselines see the "
          "text only: SemEval one model per target, NewsMTSC one pooled model.\n")
    print(cv_notes(records))
    print(crosscheck_note(records))
    write_json(args.out, {**environment(args), "results": records})


# ---------------------------------------------------------------- speed

def median_inner(runs):
    """Medians of the numeric in-process timings that the runs reported (None if none did)."""
    values = {}
    for r in runs:
        for k, v in (r.get("inner") or {}).items():
            if isinstance(v, (int, float)):
                values.setdefault(k, []).append(v)
    return {k: statistics.median(v) for k, v in values.items()} or None


def medians(records):
    """{(phase, system, rows): medians over the runs of that measurement}."""
    groups = {}
    for r in records:
        groups.setdefault((r["phase"], r["system"], r["rows"]), []).append(r)
    out = {}
    for (phase, system, rows), runs in groups.items():
        s = {"phase": phase, "system": system, "rows": rows, "runs": len(runs),
             "wall_s": statistics.median(r["wall_s"] for r in runs),
             "rss_mib": statistics.median(r["rss_kb"] for r in runs) / 1024,
             "inner": median_inner(runs)}
        if phase != "train":
            s["statements_per_s"] = rows / s["wall_s"]
            score_s = (s["inner"] or {}).get("score_s")
            if score_s:
                s["inprocess_statements_per_s"] = rows / score_s
        out[(phase, system, rows)] = s
    return out


def ratio(a, b):
    return a / b if a and b else None


def train_table(summary):
    rows = sorted((s for s in summary.values() if s["phase"] == "train"), key=lambda s: system_rank(s["system"]))
    stance = next((s for s in rows if s["system"] == "stance"), None)
    lines = ["| system | wall s (process) | in-process fit s | peak RSS MiB | this wall ÷ stance wall | this fit ÷ stance wall |",
             "|---|---:|---:|---:|---:|---:|"]
    for s in rows:
        fit = (s["inner"] or {}).get("fit_s")
        s["wall_over_stance_wall"] = ratio(s["wall_s"], stance and stance["wall_s"])
        s["fit_over_stance_wall"] = ratio(fit, stance and stance["wall_s"])
        lines.append(f"| {s['system']} | {fmt(s['wall_s'], 2)} | {fmt(fit, 2)} | {fmt(s['rss_mib'], 1)} | "
                     f"{fmt(s['wall_over_stance_wall'], 2)} | {fmt(s['fit_over_stance_wall'], 2)} |")
    return "\n".join(lines)


def score_table(summary):
    rows = sorted((s for s in summary.values() if s["phase"] == "score"), key=lambda s: system_rank(s["system"]))
    stance = next((s for s in rows if s["system"] == "stance"), None)
    lines = ["| system | statements | wall s | statements/s | in-process statements/s | peak RSS MiB | stance statements/s ÷ this |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in rows:
        s["stance_speed_ratio"] = ratio(stance and stance["statements_per_s"], s["statements_per_s"])
        lines.append(f"| {s['system']} | {s['rows']:,} | {fmt(s['wall_s'], 2)} | {fmt(s['statements_per_s'], 0)} | "
                     f"{fmt(s.get('inprocess_statements_per_s'), 0)} | {fmt(s['rss_mib'], 1)} | "
                     f"{fmt(s['stance_speed_ratio'], 2)} |")
    return "\n".join(lines)


def flat_table(summary):
    rows = sorted((s for s in summary.values() if s["system"] == "stance" and s["phase"] in ("score", "flat")),
                  key=lambda s: s["rows"])
    lines = ["| stance scoring input | wall s | peak RSS MiB |", "|---:|---:|---:|"]
    lines += [f"| {s['rows']:,} statements | {fmt(s['wall_s'], 2)} | {fmt(s['rss_mib'], 1)} |" for s in rows]
    return "\n".join(lines)


def python_table(summary):
    """The Python package (list scoring, Spark local mode) against the CLI on the same file."""
    cli = next((s for s in summary.values() if s["system"] == "stance" and s["phase"] == "flat"), None)
    rows = [s for s in summary.values() if s["phase"] == "python"]
    if not rows or not cli:
        return None
    names = {"list": "Python: Model.load + Model.score(list)", "spark": "Spark local[2]: stance.spark.score (warm job)"}
    lines = ["| scoring the same statements | statements | s | statements/s | ÷ CLI statements/s |",
             "|---|---:|---:|---:|---:|",
             f"| CLI: stance score --input --output (whole process) | {cli['rows']:,} | {fmt(cli['wall_s'], 2)} | "
             f"{fmt(cli['statements_per_s'], 0)} | 1.00 |"]
    for s in sorted(rows, key=lambda s: s["system"]):
        speed = s.get("inprocess_statements_per_s")
        s["share_of_cli"] = ratio(speed, cli["statements_per_s"])
        lines.append(f"| {names.get(s['system'], s['system'])} | {s['rows']:,} | {fmt((s['inner'] or {}).get('score_s'), 2)} | "
                     f"{fmt(speed, 0)} | {fmt(s['share_of_cli'], 2)} |")
    return "\n".join(lines)


def cmd_speed(args):
    summary = medians(read_records(args.records))
    print(f"## Speed (medians of {args.runs} run(s))\n")
    print("### Training on newsmtsc/train.jsonl\n")
    print(train_table(summary))
    print("\n### Scoring\n")
    print(score_table(summary))
    print("\nwall s and peak RSS: the whole process under /usr/bin/time (Python start-up, imports, "
          "model loading and output included). In-process: the Python scripts' own timing of the "
          "fit / of the read-predict-write loop (model loading excluded). All ratios are stance's "
          "speed-up over the peer: above 1, stance is faster. fastText's peak RSS and load time are dominated by its default hashed n-gram "
          "table (bucket 2,000,000 x dim 100 floats, about 800 MB).\n")
    print("### Memory flatness (stance scoring)\n")
    print(flat_table(summary))
    table = python_table(summary)
    if table:
        print("\n### The Python package\n")
        print(table)
        print("\nPython: in-process, the model's loading and the scoring of a list (the rows read into "
              "Python lists first, not timed). Spark: the second of two jobs in one session (reading the "
              "JSONL file, scoring, Spark's noop sink); the first, which also starts the JVM's "
              "code paths and the Python workers, is in the JSON as cold_s.")
    write_json(args.out, {**environment(args), "runs": args.runs,
                          "summary": list(summary.values()), "records": read_records(args.records)})


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"\n(results written to {path})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, run in (("accuracy", cmd_accuracy), ("speed", cmd_speed)):
        p = sub.add_parser(name)
        p.add_argument("records", nargs="+")
        p.add_argument("--out", required=True)
        p.add_argument("--quick", action="store_true")
        p.add_argument("--runs", type=int, default=1)
        p.add_argument("--stance-version", help="`stance --version` of the binary measured")
        p.set_defaults(run=run)
    p = sub.add_parser("stance-record")
    p.add_argument("--dataset", required=True)
    p.add_argument("--split", required=True)
    p.add_argument("--system", required=True)
    p.add_argument("--train-seconds", type=float, required=True)
    p.add_argument("--gold", help="the labeled file that was evaluated")
    p.add_argument("--predictions", help="`stance score` output for that file")
    p.set_defaults(run=cmd_stance_record)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
