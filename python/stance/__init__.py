"""Which side a statement takes toward a party: favor, against or none.

The Python face of the ``stance`` library (the same code as the ``stance`` command)::

    import stance
    m = stance.Model()                          # the default model built into the package
    m.score("Kyiv thanked NATO")                # rows as dicts, like `stance score` prints
    m.score(["...", "..."], targets=["NATO", None], explain=3, threshold=0.6)
    m.score_pandas(df, text="text", target="target")
    stance.train(["labeled.jsonl"], out="m.model", l2=1.0)
    stance.evaluate(m, "test.jsonl")            # what `stance eval --json` prints
    m.info()                                    # what `stance inspect --json` prints

Errors are Python exceptions with the command's messages: ``OSError`` (and its subclasses) for
files, ``ValueError`` for bad input and options.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _stance

if TYPE_CHECKING:  # pandas is optional: only score_pandas needs it
    import pandas

__all__ = ["Model", "train", "evaluate", "spark", "__version__"]
__version__: str = _stance.__version__

PathLike = Union[str, "os.PathLike[str]"]


class Model:
    """A stance model: the embedded default (``Model()``), a file (``Model.load``), or bytes
    (``Model.from_bytes``). Scoring runs on all cores, without holding the GIL."""

    __slots__ = ("_raw",)

    def __init__(self) -> None:
        """The default model built into the package, trained on the project's own corpus."""
        self._raw = _stance.RawModel.embedded()

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        """A model file written by ``stance train`` (or :func:`train`)."""
        return cls._of(_stance.RawModel.load(os.fsdecode(path)))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "model bytes") -> "Model":
        """A model from the bytes of a model file; ``name`` is what error messages call it."""
        return cls._of(_stance.RawModel.from_bytes(bytes(data), name))

    @classmethod
    def _of(cls, raw: Any) -> "Model":
        model = cls.__new__(cls)
        model._raw = raw
        # A model trained by a stance with other sentiment lexicons still scores, differently.
        note = raw.lexicon_warning()
        if note is not None:
            warnings.warn(note, stacklevel=3)
        return model

    def to_bytes(self) -> bytes:
        """The bytes of this model as a model file (``Model.from_bytes`` reads them back)."""
        return self._raw.to_bytes()

    def __reduce__(self) -> Any:
        # Pickled as its model file's bytes: multiprocessing, joblib and UDF closures work.
        return (Model.from_bytes, (self.to_bytes(), self._raw.origin))

    def score(
        self,
        statements: Union[str, Sequence[str]],
        targets: Union[None, str, Sequence[Optional[str]]] = None,
        *,
        explain: Optional[int] = None,
        threshold: Optional[float] = None,
    ) -> List[Dict[str, Any]]:
        """Scores statements; returns one dict per (statement, party) row, in input order, with
        the fields of ``stance score``'s JSONL rows: ``text``, ``target``, ``stance``,
        ``probabilities`` (``favor``, ``against``, ``none``), ``mentions`` (``start``, ``end``
        code-point offsets of each mention of the target in ``text``, and the ``alias`` matched),
        ``mentioned``, and ``abstained``,
        ``explanation`` or ``note`` where they apply.

        ``targets``: one party (any alias) per statement, or one for all, or ``None``; a
        statement without a target gets a row for every registered party it mentions (or one
        row with a note when it mentions none). ``explain=N``: the N features that pushed
        hardest each way. ``threshold=P``: abstain (stance none, ``abstained: True``) when no
        stance reaches P.
        """
        texts, target_list = _statements(statements, targets)
        rows, _ = self._raw.score(
            texts, target_list, _count("explain", explain), _probability(threshold)
        )
        return rows

    def score_pandas(
        self,
        df: "pandas.DataFrame",
        text: str = "text",
        target: Optional[str] = None,
        *,
        threshold: Optional[float] = None,
    ) -> "pandas.DataFrame":
        """Scores a DataFrame's ``text`` column toward its ``target`` column (``target=None``,
        or a missing value in it: every party the statement mentions, one row each).

        Returns a new DataFrame with the input's index labels (repeated when a statement
        mentions several parties) and columns, then ``target`` (the party's canonical name),
        ``stance``, ``p_favor``, ``p_against``, ``p_none``, ``mentioned`` (and ``abstained``
        with a threshold). An input column named like one of these is kept as
        ``<name>_input`` (say, gold labels in ``stance``). A missing or blank text, or one that
        names no party when no target is given, gets one row with no stance and NaN
        probabilities."""
        import pandas as pd

        for role, column in (("text", text), ("target", target)):
            if column is not None and column not in df.columns:
                raise ValueError(
                    f"the DataFrame has no {role} column {column!r} (its columns: {list(df.columns)})"
                )
        texts = [_cell_text(v, label) for label, v in zip(df.index, df[text].tolist())]
        targets = None if target is None else [_target(v) for v in df[target].tolist()]
        columns = self._raw.score_columns(texts, targets, _probability(threshold))
        rows = columns.pop("row")
        scored = pd.DataFrame(columns)
        inputs = df.iloc[rows].rename(columns=_input_names(df.columns, list(scored.columns)))
        scored.index = inputs.index
        return pd.concat([inputs, scored], axis=1)

    def info(self, target: Optional[str] = None, top: int = 10) -> Dict[str, Any]:
        """What ``stance inspect --json`` prints: metadata, word vectors and, per model and
        class, the ``top`` features with the strongest weights (only the model serving
        ``target``, when given)."""
        text, note = self._raw.info_json(target, _count("top", top))
        if note is not None:
            warnings.warn(note, stacklevel=2)
        return json.loads(text)

    def __repr__(self) -> str:
        rows, targets, own, features, vectors, options = self._raw.summary()
        opts = json.loads(options)
        own_models = f", own models for {', '.join(own)}" if own else ""
        return (
            f"<stance.Model {self._raw.origin}: {rows} training rows, {targets} targets"
            f"{own_models}; {features} features{', word vectors' if vectors else ''}; "
            f"l2 {opts.get('l2')}, language {opts.get('analyzer', {}).get('language')}>"
        )


def train(files: Union[PathLike, Sequence[PathLike]], out: PathLike, **options: Any) -> Model:
    """Trains a model on labeled files exactly as ``stance train --out OUT FILES`` does, writes
    it to ``out``, and returns it loaded. Progress and notes go to stderr, as the CLI's do.

    Options are ``stance train``'s, as keywords with ``_`` for ``-`` (``l2=1.0``,
    ``char_ngrams="2-5"``, ``balance=True``, ``vectors="none"``, ``lexicon=False``,
    ``cv=5, cv_l2=[0.3, 1, 3]``): ``True`` turns a flag on (``False`` leaves it off), on/off
    options take ``True``/``False``, lists are joined with commas. The options:
    """
    paths = _paths(files, "train")
    args = ["--out", os.fsdecode(out)]
    known = {name: (takes_value, values) for name, takes_value, _, values in _stance.train_options()}
    for key, value in options.items():
        name = key.replace("_", "-")
        if name not in known or name == "out":
            raise TypeError(f"train() got an unexpected keyword argument {key!r}")
        takes_value, values = known[name]
        if value is None:
            continue
        if not takes_value:
            if not isinstance(value, bool):
                raise TypeError(f"train(): {key} is a switch; give True or False")
            if value:
                args.append(f"--{name}")
            continue
        if isinstance(value, bool):
            if sorted(values) != ["off", "on"]:
                raise TypeError(f"train(): {key} takes a value, not {value}")
            value = "on" if value else "off"
        elif isinstance(value, (list, tuple)):
            value = ",".join(_option_value(v) for v in value)
        # `--name=value`, so that a negative number is a value, not a flag.
        args.append(f"--{name}={_option_value(value)}")
    args += ["--", *paths]
    _stance.train_args(args)
    return Model.load(out)


def _train_doc() -> str:
    lines = []
    for name, takes_value, help, values in _stance.train_options():
        if name == "out":
            continue
        kind = f" ({'|'.join(values)})" if values else ("" if takes_value else " (True/False)")
        lines.append(f"    {name.replace('-', '_')}{kind}: {help}")
    return "\n".join(lines)


train.__doc__ = (train.__doc__ or "") + "\n" + _train_doc() + "\n"


def evaluate(
    model: Model,
    files: Union[PathLike, Sequence[PathLike]],
    *,
    format: Optional[str] = None,
    skip_invalid: bool = False,
) -> Dict[str, Any]:
    """Evaluates ``model`` on labeled files: the dict ``stance eval --json`` prints (``n``,
    ``accuracy``, ``macro_f1``, ``f_avg``, ``classes``, ``confusion``, ``per_target``)."""
    if not isinstance(model, Model):
        raise TypeError(f"evaluate(): model must be a stance.Model, not {type(model).__name__}")
    text, notes = model._raw.evaluate_json(_paths(files, "evaluate"), format, skip_invalid)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return json.loads(text)


def _option_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _paths(files: Union[PathLike, Sequence[PathLike]], caller: str) -> List[str]:
    paths = [files] if isinstance(files, (str, bytes, os.PathLike)) else list(files)
    if not paths:
        raise ValueError(f"{caller}(): give at least one labeled file")
    return [os.fsdecode(p) for p in paths]


def _count(name: str, value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of 0 or more, not {value!r}")
    return value


def _probability(value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"threshold must be a probability between 0 and 1, not {value!r}")
    return float(value)


def _missing(value: Any) -> bool:
    """None, NaN, pandas' NA and NaT: no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd
    except ImportError:
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any, index: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"statement {index + 1} is {type(value).__name__}, not text")
    return value


def _cell_text(value: Any, label: Any) -> Optional[str]:
    """A DataFrame cell as a statement: text, or None for a missing value (scored as no
    stance)."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return None
    raise ValueError(f"the text in row {label!r} is {type(value).__name__}, not text")


def _target(value: Any) -> Optional[str]:
    # A missing value (None, NaN, NA) means: no target named.
    if isinstance(value, str):
        return value
    if _missing(value):
        return None
    raise ValueError(f"target {value!r} is not text")


def _input_names(inputs: Iterable[str], outputs: List[str]) -> Dict[str, str]:
    """Input columns named like output columns, renamed `<name>_input`."""
    return {c: f"{c}_input" for c in inputs if c in outputs}


def _statements(
    statements: Union[str, Sequence[str]], targets: Union[None, str, Sequence[Optional[str]]]
) -> "tuple[List[str], Optional[List[Optional[str]]]]":
    if isinstance(statements, (bytes, bytearray, dict, set, frozenset)):
        raise TypeError(
            f"statements must be a str or a list of str, not {type(statements).__name__}"
        )
    texts = [statements] if isinstance(statements, str) else list(statements)
    for i, t in enumerate(texts):
        _text(t, i)
    if targets is None:
        return texts, None
    if isinstance(targets, str):
        return texts, [targets] * len(texts)
    return texts, [_target(t) for t in targets]


from . import spark  # noqa: E402  (pyspark itself is imported only when spark.score runs)
