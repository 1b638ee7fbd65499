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

from . import Model, _cell_text, _input_names, _probability, _target

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
# How often this worker loaded each model (once, whatever the number of batches and jobs).
_LOADS: Dict[Any, int] = {}


def _worker_model(key: Any, payload: Any) -> Model:
    model = _LOADED.get(key)
    if model is None:
        model = Model() if payload is None else Model.from_bytes(payload.value, "broadcast model")
        _LOADED[key] = model
        _LOADS[key] = _LOADS.get(key, 0) + 1
    return model


def score(
    df: "pyspark.sql.DataFrame",
    text_col: str = "text",
    target_col: Optional[str] = None,
    model: Union[None, str, "os.PathLike[str]", bytes, Model] = None,
    *,
    threshold: Optional[float] = None,
) -> "pyspark.sql.DataFrame":
    """Scores ``df[text_col]`` toward ``df[target_col]`` (a party per row; a null target, or
    no ``target_col``, scores every party the statement mentions, one output row each).

    ``model``: a model file's path (read on the driver and broadcast), its bytes, a
    ``stance.Model``, or ``None`` for the default model built into the package. Returns the
    input's columns (one named like an output column is kept as ``<name>_input``) plus
    ``target``, ``stance``, ``p_favor``, ``p_against``, ``p_none``, ``mentioned`` (and
    ``abstained`` with a ``threshold``). A null or blank text gets one row with null stance and
    probabilities, as does a text that names no party when no target is given."""
    from pyspark.sql import types

    threshold = _probability(threshold)
    fields = {f.name: f for f in df.schema.fields}
    for role, column in (("text", text_col), ("target", target_col)):
        if column is None:
            continue
        if column not in fields:
            raise ValueError(f"the DataFrame has no {role} column {column!r} (its columns: {df.columns})")
        if not isinstance(fields[column].dataType, types.StringType):
            raise ValueError(
                f"the {role} column {column!r} holds {fields[column].dataType.simpleString()}, not strings"
            )
    data = _model_bytes(model)
    payload = None if data is None else df.sparkSession.sparkContext.broadcast(data)
    key = "embedded" if data is None else hashlib.sha256(data).hexdigest()

    added = list(OUTPUT_COLUMNS) + ([("abstained", "boolean")] if threshold is not None else [])
    renamed = _input_names(df.columns, [name for name, _ in added])
    spark_type = {"string": types.StringType, "double": types.DoubleType, "boolean": types.BooleanType}
    schema = types.StructType(
        [types.StructField(renamed.get(f.name, f.name), f.dataType, f.nullable) for f in df.schema.fields]
        + [types.StructField(name, spark_type[kind](), True) for name, kind in added]
    )

    def score_batches(batches: Iterator["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:
        scorer = _worker_model(key, payload)
        for batch in batches:
            texts = [_cell_text(v, i) for i, v in enumerate(batch[text_col].tolist())]
            targets: Optional[List[Optional[str]]] = None
            if target_col is not None:
                targets = [_target(v) for v in batch[target_col].tolist()]
            columns = scorer._raw.score_columns(texts, targets, threshold)
            rows = columns.pop("row")
            out = batch.iloc[rows].reset_index(drop=True).rename(columns=renamed)
            for name, _ in added:
                out[name] = columns[name]
            yield out

    return df.mapInPandas(score_batches, schema)


def _model_bytes(model: Any) -> Optional[bytes]:
    """The bytes to broadcast for `model`, checked on the driver (a bad file fails here)."""
    if model is None:
        return None
    if isinstance(model, Model):
        return model.to_bytes()
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            data = f.read()
        Model.from_bytes(data, os.fsdecode(model))
        return data
    if isinstance(model, (bytes, bytearray)):
        Model.from_bytes(bytes(model))
        return bytes(model)
    raise TypeError("model: give a stance.Model, a model file's path, its bytes, or None for the default model")
