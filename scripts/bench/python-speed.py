"""Times the Python package for scripts/bench/speed: a list of statements scored by
`stance.Model.score`, and a DataFrame scored by `stance.spark.score` in Spark local mode.

    scripts/bench/python-speed.py list  --model M --input FILE.jsonl --timing OUT.json
    scripts/bench/python-speed.py spark --model M --input FILE.jsonl --timing OUT.json [--master local[2]]

FILE.jsonl holds rows {"id", "text", "target"?}. `list` reads them into Python lists first (not
timed), then times loading the model and scoring every row (score_s, the figure compared with
the CLI's statements/s; load_s alone too). `spark` starts a session (not timed), then times
reading the file, scoring it and writing the result to Spark's `noop` sink, which makes every
row be computed, twice: the first job (cold_s) also warms up the JVM and starts the Python
workers; the second is score_s. Both write {"score_s", "load_s" or "cold_s", "rows_out"} to
OUT.json.
"""

import argparse
import json
import os
import sys
import time


def cmd_list(args):
    import stance

    with open(args.input, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    texts = [r["text"] for r in rows]
    targets = [r.get("target") for r in rows]
    start = time.perf_counter()
    model = stance.Model.load(args.model)
    loaded = time.perf_counter()
    scored = model.score(texts, targets)
    done = time.perf_counter()
    return {"score_s": done - start, "load_s": loaded - start, "rows_out": len(scored)}


def cmd_spark(args):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import stance.spark

    spark = (SparkSession.builder.master(args.master).appName("stance-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    seconds = []
    for _ in range(2):  # the first job also warms up the JVM and starts the Python workers
        start = time.perf_counter()
        df = spark.read.schema("id string, text string, target string").json(args.input)
        scored = stance.spark.score(df, "text", "target", model=args.model)
        scored.write.format("noop").mode("overwrite").save()
        seconds.append(time.perf_counter() - start)
    rows_out = scored.count()  # not timed: a pass only to report the row count
    spark.stop()
    return {"score_s": seconds[1], "cold_s": seconds[0], "rows_out": rows_out}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["list", "spark"])
    parser.add_argument("--model", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--timing", required=True)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    timing = cmd_list(args) if args.command == "list" else cmd_spark(args)
    with open(args.timing, "w") as f:
        json.dump(timing, f)
    print(json.dumps(timing))


if __name__ == "__main__":
    main()
