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
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _stance

if TYPE_CHECKING:  # pandas is optional: only score_pandas needs it
    import pandas

__all__ = ["Model", "train", "evaluate", "__version__"]
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
        return cls._of(_stance.RawModel.load(os.fspath(path)))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "model bytes") -> "Model":
        """A model from the bytes of a model file; ``name`` is what error messages call it."""
        return cls._of(_stance.RawModel.from_bytes(bytes(data), name))

    @classmethod
    def _of(cls, raw: Any) -> "Model":
        model = cls.__new__(cls)
        model._raw = raw
        return model

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
        ``probabilities`` (``favor``, ``against``, ``none``), ``mentioned``, and ``abstained``,
        ``explanation`` or ``note`` where they apply.

        ``targets``: one party (any alias) per statement, or one for all, or ``None``; a
        statement without a target gets a row for every registered party it mentions (or one
        row with a note when it mentions none). ``explain=N``: the N features that pushed
        hardest each way. ``threshold=P``: abstain (stance none, ``abstained: True``) when no
        stance reaches P.
        """
        texts, target_list = _statements(statements, targets)
        rows, _ = self._raw.score(texts, target_list, explain, threshold)
        return rows

    def score_pandas(
        self,
        df: "pandas.DataFrame",
        text: str = "text",
        target: Optional[str] = "target",
        *,
        threshold: Optional[float] = None,
    ) -> "pandas.DataFrame":
        """Scores a DataFrame's ``text`` column toward its ``target`` column (``None``, or a
        column the frame does not have: every party each statement mentions, one row each).
        Returns a new DataFrame: the input's other columns, then ``target``, ``stance``,
        ``p_favor``, ``p_against``, ``p_none``, ``mentioned`` (and ``abstained`` with a
        threshold); rows without a party have ``target`` and ``stance`` None and NaN
        probabilities."""
        import pandas as pd

        if text not in df.columns:
            raise ValueError(f"the DataFrame has no column {text!r} (its columns: {list(df.columns)})")
        texts = [_text(v, i) for i, v in enumerate(df[text].tolist())]
        targets = None
        if target is not None and target in df.columns:
            targets = [_target(v) for v in df[target].tolist()]
        columns = self._raw.score_columns(texts, targets, threshold)
        rows = columns.pop("row")
        scored = pd.DataFrame(columns)
        kept = [c for c in df.columns if c not in (text, target) and c not in scored.columns]
        others = df[kept].iloc[rows].reset_index(drop=True)
        result = pd.concat([others, scored], axis=1)
        result.insert(len(kept), text, df[text].iloc[rows].reset_index(drop=True))
        return result

    def info(self, target: Optional[str] = None, top: int = 10) -> Dict[str, Any]:
        """What ``stance inspect --json`` prints: metadata, word vectors and, per model and
        class, the ``top`` features with the strongest weights (only the model serving
        ``target``, when given)."""
        text, note = self._raw.info_json(target, top)
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
    it to ``out``, and returns it loaded.

    Options are ``stance train``'s, as keywords with ``_`` for ``-``: ``l2=1.0``,
    ``char_ngrams="2-5"``, ``balance=True``, ``vectors="none"``, ``lexicon=False``,
    ``cv=5, cv_l2=[0.3, 1, 3]``. ``True`` turns a flag on (``False`` leaves it off); lists are
    joined with commas.
    """
    paths = [files] if isinstance(files, (str, os.PathLike)) else list(files)
    args = ["--out", os.fspath(out)]
    takes_value = dict(_stance.train_options())
    for key, value in options.items():
        name = key.replace("_", "-")
        if name not in takes_value or name == "out":
            raise TypeError(f"train() got an unexpected keyword argument {key!r}")
        if value is None:
            continue
        if not takes_value[name]:
            if not isinstance(value, bool):
                raise TypeError(f"train(): {key} is a switch; give True or False")
            if value:
                args.append(f"--{name}")
            continue
        if isinstance(value, bool):
            value = "on" if value else "off"
        elif isinstance(value, (list, tuple)):
            value = ",".join(_option_value(v) for v in value)
        args += [f"--{name}", _option_value(value)]
    args += ["--", *(os.fspath(p) for p in paths)]
    _stance.train_args(args)
    return Model.load(out)


def evaluate(
    model: Model,
    files: Union[PathLike, Sequence[PathLike]],
    *,
    format: Optional[str] = None,
    skip_invalid: bool = False,
) -> Dict[str, Any]:
    """Evaluates ``model`` on labeled files: the dict ``stance eval --json`` prints (``n``,
    ``accuracy``, ``macro_f1``, ``f_avg``, ``classes``, ``confusion``, ``per_target``)."""
    paths = [files] if isinstance(files, (str, os.PathLike)) else list(files)
    text, notes = model._raw.evaluate_json([os.fspath(p) for p in paths], format, skip_invalid)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return json.loads(text)


def _option_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _text(value: Any, index: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"statement {index + 1} is {type(value).__name__}, not text")
    return value


def _target(value: Any) -> Optional[str]:
    # pandas' missing values (None, NaN, NA) mean: no target named.
    if value is None or (not isinstance(value, str) and value != value):
        return None
    if not isinstance(value, str):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except ImportError:
            pass
        raise ValueError(f"target {value!r} is not text")
    return value


def _statements(
    statements: Union[str, Sequence[str]], targets: Union[None, str, Sequence[Optional[str]]]
) -> "tuple[List[str], Optional[List[Optional[str]]]]":
    texts = [statements] if isinstance(statements, str) else list(statements)
    for i, t in enumerate(texts):
        _text(t, i)
    if targets is None:
        return texts, None
    if isinstance(targets, str):
        return texts, [targets] * len(texts)
    return texts, [_target(t) for t in targets]
