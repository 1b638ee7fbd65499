"""Shared by the baseline scripts: the scoring loop that `stance score` is timed against, its
output rows, and the timing file that scripts/bench/speed reads."""
import json
import time

SCORE_BATCH = 10_000


def output_line(row, probabilities):
    """One output row, with the fields `stance score` writes (its "mentioned" aside)."""
    return json.dumps({"id": row["id"], "text": row["text"], "target": row.get("target"),
                       "stance": max(probabilities, key=probabilities.get),
                       "probabilities": probabilities}, ensure_ascii=False) + "\n"


def stream_scores(input_path, output_path, score_batch):
    """Stream a JSONL file in batches of SCORE_BATCH rows; score_batch(batch, out) writes each
    batch's output lines. Returns (rows, seconds)."""
    start = time.perf_counter()
    n = 0
    batch = []
    with open(input_path, encoding="utf-8") as inp, open(output_path, "w", encoding="utf-8") as out:
        for line in inp:
            batch.append(json.loads(line))
            if len(batch) == SCORE_BATCH:
                score_batch(batch, out)
                n += len(batch)
                batch = []
        if batch:
            score_batch(batch, out)
            n += len(batch)
    return n, time.perf_counter() - start


def write_timing(path, timing):
    if path:
        with open(path, "w") as f:
            f.write(json.dumps(timing) + "\n")
