"""Stance scores for Spark DataFrames.

``score`` runs the same scorer as ``stance score`` on every executor, through ``mapInPandas``:
the model file's bytes are broadcast once, and each Python worker loads the model once (the
first batch it sees) and keeps it for every later batch. Executors need this package installed
(``spark-submit --archives`` of a venv with it, or ``pip install`` on each node).
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Union

from . import Model, _target, _text

if TYPE_CHECKING:
    import pandas
    import pyspark.sql

__all__ = ["score", "OUTPUT_COLUMNS"]

#: The columns ``score`` adds, with their Spark SQL types.
OUTPUT_COLUMNS = [
    ("target", "string"),
    ("stance", "string"),
    ("p_favor", "double"),
    ("p_against", "double"),
    ("p_none", "double"),
    ("mentioned", "boolean"),
]

# Models loaded in this Python worker, by the SHA-256 of their bytes ("embedded": the default).
_LOADED: Dict[Any, Model] = {}


def _worker_model(key: Any, payload: Any) -> Model:
    model = _LOADED.get(key)
    if model is None:
        model = Model() if payload is None else Model.from_bytes(payload.value, "broadcast model")
        _LOADED[key] = model
    return model


def score(
    df: "pyspark.sql.DataFrame",
    text_col: str = "text",
    target_col: Optional[str] = None,
    model: Union[None, str, "os.PathLike[str]", bytes] = None,
    *,
    threshold: Optional[float] = None,
) -> "pyspark.sql.DataFrame":
    """Scores ``df[text_col]`` toward ``df[target_col]`` (a party per row; a null target, or
    no ``target_col``, scores every party the statement mentions, one output row each).

    ``model``: a model file's path (read on the driver and broadcast), its bytes, or ``None``
    for the default model built into the package. Returns the input's columns (less any named
    like an output column) plus ``target``, ``stance``, ``p_favor``, ``p_against``, ``p_none``,
    ``mentioned`` (and ``abstained`` with a ``threshold``)."""
    from pyspark.sql import types

    if text_col not in df.columns:
        raise ValueError(f"the DataFrame has no column {text_col!r} (its columns: {df.columns})")
    if target_col is not None and target_col not in df.columns:
        raise ValueError(f"the DataFrame has no column {target_col!r} (its columns: {df.columns})")
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            data: Optional[bytes] = f.read()
        Model.from_bytes(data, os.fspath(model))  # a bad file fails here, on the driver
    elif isinstance(model, (bytes, bytearray)):
        data = bytes(model)
        Model.from_bytes(data)
    elif model is None:
        data = None
    else:
        raise TypeError("model: give a model file's path, its bytes, or None for the default model")
    payload = None if data is None else df.sparkSession.sparkContext.broadcast(data)
    key = "embedded" if data is None else hashlib.sha256(data).hexdigest()

    added = list(OUTPUT_COLUMNS) + ([("abstained", "boolean")] if threshold is not None else [])
    added_names = {name for name, _ in added}
    kept = [f for f in df.schema.fields if f.name not in added_names]
    spark_type = {"string": types.StringType, "double": types.DoubleType, "boolean": types.BooleanType}
    schema = types.StructType(
        kept + [types.StructField(name, spark_type[kind](), True) for name, kind in added]
    )
    kept_names = [f.name for f in kept]

    def score_batches(batches: Iterator["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:
        scorer = _worker_model(key, payload)
        for batch in batches:
            texts = [_text(v, i) for i, v in enumerate(batch[text_col].tolist())]
            targets: Optional[List[Optional[str]]] = None
            if target_col is not None:
                targets = [_target(v) for v in batch[target_col].tolist()]
            columns = scorer._raw.score_columns(texts, targets, threshold)
            rows = columns.pop("row")
            out = batch[kept_names].iloc[rows].reset_index(drop=True)
            for name, _ in added:
                out[name] = columns[name]
            yield out

    return df.mapInPandas(score_batches, schema)
