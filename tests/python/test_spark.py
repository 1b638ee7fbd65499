"""stance.spark in local mode: the same rows as the CLI, row for row."""

import json
import math
import os
import random
import sys

import pytest
from pyspark.sql import SparkSession

import stance
import stance.spark
from conftest import jsonl

ROWS = 20_000


@pytest.fixture(scope="module")
def spark():
    # Workers run this interpreter, the one that has the package installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("stance-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "250")
        .getOrCreate()
    )
    yield session
    session.stop()


def statements(repo):
    """ROWS (id, text, target) rows from the corpus: a third with no target (every party the
    statement mentions is scored), the rest toward their labeled target or an alias of it."""
    corpus = []
    for name in ("train.jsonl", "test.jsonl"):
        with open(repo / "labeled" / name, encoding="utf-8") as f:
            corpus += [json.loads(line) for line in f if line.strip()]
    pick = random.Random(7)
    rows = []
    for i in range(ROWS):
        row = corpus[pick.randrange(len(corpus))]
        target = None if i % 3 == 0 else row["target"]
        rows.append({"id": f"r{i}", "text": row["text"], "target": target})
    return rows


def by_id(rows):
    grouped = {}
    for r in rows:
        grouped.setdefault(r["id"], []).append(r)
    return grouped


def check_equal(spark_rows, cli_rows):
    ours, theirs = by_id(spark_rows), by_id(cli_rows)
    assert ours.keys() == theirs.keys()
    for key, cli_list in theirs.items():
        mine = ours[key]
        assert [r["target"] for r in mine] == [r["target"] for r in cli_list], key
        for m, c in zip(mine, cli_list):
            assert m["stance"] == c["stance"], key
            if c["probabilities"] is None:
                assert m["p_favor"] is None and m["mentioned"] is None
                continue
            for k in ("favor", "against", "none"):
                assert math.isclose(m[f"p_{k}"], c["probabilities"][k], abs_tol=1e-6), key
            assert m["mentioned"] == c["mentioned"]
            if "abstained" in c:
                assert m["abstained"] == c["abstained"]


def test_20000_rows_equal_the_cli(spark, cli, repo, tmp_path):
    rows = statements(repo)
    path = tmp_path / "statements.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cli_rows = jsonl(cli("score", "--input", path).stdout)
    df = spark.createDataFrame(rows, "id string, text string, target string").repartition(4)
    scored = stance.spark.score(df, text_col="text", target_col="target")
    assert scored.columns == [
        "id", "text", "target_input", "target", "stance", "p_favor", "p_against", "p_none", "mentioned",
    ]
    out = [r.asDict() for r in scored.collect()]
    assert len(out) == len(cli_rows) > ROWS  # the untargeted third fans out
    check_equal(out, cli_rows)


def test_a_saved_model_and_a_threshold(spark, cli, repo, tmp_path):
    model = tmp_path / "small.model"
    cli("train", "--out", model, "--vectors", "none", "--l2", "1", repo / "labeled" / "train.jsonl")
    rows = statements(repo)[:3000]
    path = tmp_path / "statements.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cli_rows = jsonl(cli("score", "--model", model, "--threshold", "0.7", "--input", path).stdout)
    df = spark.createDataFrame(rows, "id string, text string, target string").repartition(3)
    scored = stance.spark.score(df, "text", "target", model=str(model), threshold=0.7)
    assert "abstained" in scored.columns
    check_equal([r.asDict() for r in scored.collect()], cli_rows)


def test_each_worker_loads_a_model_once(spark, cli, repo, tmp_path):
    model = tmp_path / "once.model"
    cli("train", "--out", model, "--vectors", "none", repo / "labeled" / "train.jsonl")
    rows = statements(repo)[:8000]
    df = spark.createDataFrame(rows, "id string, text string, target string").repartition(8)
    for _ in range(2):  # two jobs of eight partitions, four Arrow batches each
        assert stance.spark.score(df, "text", "target", model=str(model)).count() > 8000

    def loads(batches):
        import pandas as pd

        import stance.spark as worker_side

        for _ in batches:
            yield pd.DataFrame({"pid": [os.getpid()], "loads": [json.dumps(worker_side._LOADS)]})

    probe = df.mapInPandas(loads, "pid long, loads string").collect()
    counts = [n for row in probe for n in json.loads(row["loads"]).values()]
    assert counts and max(counts) == 1, probe


def test_untargeted_scoring_nulls_and_errors(spark, tmp_path):
    df = spark.createDataFrame(
        [("Kyiv thanked NATO", 1), (None, 2), ("  ", 3)], "body string, n int"
    ).coalesce(1)
    out = [r.asDict() for r in stance.spark.score(df, text_col="body", model=stance.Model()).collect()]
    assert [(r["n"], r["target"], r["stance"]) for r in out] == [
        (1, "Ukraine", "none"), (1, "NATO", "favor"), (2, None, None), (3, None, None),
    ]
    with pytest.raises(ValueError, match="holds int, not strings"):
        stance.spark.score(df, text_col="n")
    with pytest.raises(ValueError, match="threshold must be a probability"):
        stance.spark.score(df, text_col="body", threshold=1.5)
    with pytest.raises(ValueError, match="no text column 'text'"):
        stance.spark.score(df)
    with pytest.raises(FileNotFoundError):
        stance.spark.score(df, text_col="body", model=tmp_path / "missing.model")
    corrupt = tmp_path / "corrupt.model"
    corrupt.write_bytes(b"not a model")
    with pytest.raises(OSError, match="corrupt.model"):
        stance.spark.score(df, text_col="body", model=corrupt)
