"""The Python API against the CLI: same rows, same metrics, same errors."""

import json
import math
import warnings

import pandas as pd
import pytest

import stance
from conftest import jsonl

LAVROV = (
    "Lavrov said attempts to blame Tehran were provocative and accused Washington of "
    "prolonging the war"
)


@pytest.fixture(scope="module")
def model():
    return stance.Model()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_readme_line_works(model):
    rows = model.score("Kyiv thanked NATO")
    assert [r["target"] for r in rows] == ["Ukraine", "NATO"]
    nato = rows[1]
    assert nato["stance"] == "favor"
    assert set(nato) == {"text", "target", "stance", "probabilities", "mentions", "mentioned"}
    assert nato["mentions"] == [{"start": 13, "end": 17, "alias": "NATO"}]
    assert math.isclose(sum(nato["probabilities"].values()), 1.0, rel_tol=1e-5)
    json.dumps(rows)  # plain, JSON-serializable dicts


def test_same_rows_as_the_cli_on_labeled_test(model, cli, repo):
    path = repo / "labeled" / "test.jsonl"
    rows = read_jsonl(path)
    ours = model.score([r["text"] for r in rows], targets=[r["target"] for r in rows])
    theirs = jsonl(cli("score", "--input", path).stdout)
    assert len(ours) == len(theirs) == len(rows)
    for mine, cli_row in zip(ours, theirs):
        cli_row.pop("id")
        assert mine == cli_row  # stances and probabilities exactly as the CLI writes them


def test_fan_out_explain_and_threshold_match_the_cli(model, cli):
    statements = [LAVROV, "The weather in Geneva was mild", "Moscow condemned the strike"]
    ours = model.score(statements, explain=3, threshold=0.6)
    theirs = []
    for s in statements:
        theirs += jsonl(cli("score", "--explain", "3", "--threshold", "0.6", s).stdout)
    assert ours == theirs
    assert [r["target"] for r in ours[:2]] == ["Russia", "Iran"]
    assert ours[3]["target"] is None and "no registered party" in ours[3]["note"]
    assert all(len(r["explanation"]["toward"]) <= 3 for r in ours if "explanation" in r)


def test_threshold_abstains(model):
    rows = model.score(["Kyiv thanked NATO"], targets=["NATO"], threshold=1.0)
    assert rows[0]["abstained"] is True and rows[0]["stance"] == "none"
    assert model.score("Kyiv thanked NATO", targets="NATO", threshold=0.5)[0]["abstained"] is False


def test_a_target_for_all_and_aliases(model):
    rows = model.score(["The Kremlin denied it", "Moscow denied it"], targets="Russia")
    assert [r["target"] for r in rows] == ["Russia", "Russia"]
    assert model.score("Putin spoke", targets=["the Kremlin"])[0]["target"] == "Russia"


def test_bad_input_is_a_value_error(model):
    with pytest.raises(ValueError, match="statement 2 is empty; there is nothing to score"):
        model.score(["Kyiv thanked NATO", "  "])
    with pytest.raises(ValueError, match="2 statements but 1 targets"):
        model.score(["a", "b"], targets=["NATO"])
    with pytest.raises(ValueError, match="target 1 is empty"):
        model.score(["Kyiv thanked NATO"], targets=[" "])
    with pytest.raises(ValueError, match="between 0 and 1"):
        model.score("Kyiv thanked NATO", threshold=1.5)
    with pytest.raises(ValueError, match="not text"):
        model.score(["Kyiv thanked NATO", 3])


def test_file_errors_are_os_errors_with_the_cli_message(tmp_path, cli):
    missing = tmp_path / "missing.model"
    with pytest.raises(FileNotFoundError) as raised:
        stance.Model.load(missing)
    assert str(raised.value) in cli("score", "--model", missing, "x", check=False).stderr
    corrupt = tmp_path / "corrupt.model"
    corrupt.write_bytes(b"STANCE\x00 not really a model")
    with pytest.raises(OSError) as raised:
        stance.Model.load(corrupt)
    cli_error = cli("score", "--model", corrupt, "x", check=False)
    assert cli_error.returncode == 2
    assert str(raised.value) in cli_error.stderr


def test_train_writes_the_same_model_as_the_cli(tmp_path, cli, repo):
    data = repo / "labeled" / "train.jsonl"
    ours, theirs = tmp_path / "py.model", tmp_path / "cli.model"
    model = stance.train(data, out=ours, l2=1.0, char_ngrams="2-4", lexicon=False, vectors="none")
    cli("train", "--out", theirs, "--l2", "1", "--char-ngrams", "2-4", "--lexicon", "off",
        "--vectors", "none", data)
    assert ours.read_bytes() == theirs.read_bytes()
    assert f"{len(read_jsonl(data))} training rows" in repr(model)
    assert model.score("Kyiv thanked NATO", targets="NATO") == stance.Model.load(theirs).score(
        "Kyiv thanked NATO", targets="NATO"
    )


def test_train_options_are_checked(tmp_path, repo):
    data = repo / "labeled" / "train.jsonl"
    with pytest.raises(TypeError, match="unexpected keyword argument 'l3'"):
        stance.train(data, out=tmp_path / "m", l3=1)
    with pytest.raises(ValueError, match=r"--l2.*not a number above 0"):
        stance.train(data, out=tmp_path / "m", l2=0)
    with pytest.raises(ValueError, match="char-weight"):
        stance.train(data, out=tmp_path / "m", char_weight=float("nan"))
    # Negative numbers reach the CLI's own check (not taken for flags).
    with pytest.raises(ValueError, match=r"--l2.*not a number above 0"):
        stance.train(data, out=tmp_path / "m", l2=-1)
    with pytest.raises(TypeError, match="vectors takes a value, not False"):
        stance.train(data, out=tmp_path / "m", vectors=False)
    with pytest.raises(TypeError, match="no_select is a switch"):
        stance.train(data, out=tmp_path / "m", no_select="yes")
    # On/off options are checked by the CLI's own parser.
    with pytest.raises(ValueError, match="invalid value 'yes' for '--balance"):
        stance.train(data, out=tmp_path / "m", balance="yes")
    with pytest.raises(ValueError, match="at least one labeled file"):
        stance.train([], out=tmp_path / "m")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Kyiv thanked NATO", "target": "NATO", "stance": "maybe"}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: unknown stance"):
        stance.train(bad, out=tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_evaluate_is_what_eval_json_prints(model, cli, repo):
    path = repo / "labeled" / "test.jsonl"
    ours = stance.evaluate(model, path)
    theirs = json.loads(cli("eval", "--json", path).stdout)
    assert ours == theirs
    assert 0.0 <= ours["macro_f1"] <= 1.0 and ours["n"] == len(read_jsonl(path))


def test_info_is_what_inspect_json_prints(model, cli):
    assert model.info() == json.loads(cli("inspect", "--json").stdout)
    top = model.info(target="Kremlin", top=3)
    # A model per language: English statements about Russia are scored by the English model.
    names = [m["name"] for m in top["models"]]
    assert names[0] == "english model (serves Russia in english statements)", names
    assert all(len(m["strongest"][0][1]) <= 3 for m in top["models"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.info(target="Atlantis")
    assert any("not in the training data" in str(w.message) for w in caught)


def test_score_pandas_columns_index_and_fan_out(model):
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "text": ["Kyiv thanked NATO", "Moscow condemned the strike", "It rained", None],
            "target": [None, "Russia", float("nan"), "NATO"],
            "stance": ["favor", "against", "none", "none"],  # gold labels: kept, renamed
        },
        index=[10, 20, 30, 40],
    )
    out = model.score_pandas(df, target="target")
    assert list(out.columns) == [
        "id", "text", "target_input", "stance_input",
        "target", "stance", "p_favor", "p_against", "p_none", "mentioned",
    ]
    assert list(out.index) == [10, 10, 20, 30, 40]  # labels kept, repeated per party
    assert list(out["id"]) == ["a", "a", "b", "c", "d"]
    assert list(out["stance_input"]) == ["favor", "favor", "against", "none", "none"]
    assert list(out["target"][:3]) == ["Ukraine", "NATO", "Russia"]
    # No party named (c) and no text (d): one row each, no stance, NaN probabilities.
    assert out["target"].iloc[3:].isna().all() and out["stance"].iloc[3:].isna().all()
    assert out["p_favor"].iloc[3:].isna().all()
    rows = model.score(list(df["text"][:2]), targets=[None, "Russia"])
    assert list(out["p_favor"][:3]) == [r["probabilities"]["favor"] for r in rows]
    # pandas' own missing value, NA, is a missing target too.
    typed = df.iloc[:2].convert_dtypes()
    assert list(model.score_pandas(typed, target="target")["target"]) == ["Ukraine", "NATO", "Russia"]
    with pytest.raises(ValueError, match="no text column 'body'"):
        model.score_pandas(df, text="body")
    with pytest.raises(ValueError, match="no target column 'targte'"):
        model.score_pandas(df, target="targte")
    with pytest.raises(ValueError, match=r"text in row 20 is int"):
        model.score_pandas(pd.DataFrame({"text": ["a", 5]}, index=[10, 20]))
    assert "abstained" in model.score_pandas(df, threshold=0.99).columns


def test_arguments_are_checked_with_clear_errors(model):
    with pytest.raises(TypeError, match="not bytes"):
        model.score(b"Kyiv thanked NATO")
    with pytest.raises(ValueError, match="explain must be a whole number"):
        model.score("Kyiv thanked NATO", explain=-1)
    with pytest.raises(ValueError, match="threshold must be a probability"):
        model.score("Kyiv thanked NATO", threshold=True)
    with pytest.raises(ValueError, match="statement 1 is empty; there is nothing to score"):
        model.score("")
    with pytest.raises(ValueError, match="top must be"):
        model.info(top=-1)
    with pytest.raises(TypeError, match="must be a stance.Model"):
        stance.evaluate("x.model", "test.jsonl")
    with pytest.raises(ValueError, match="at least one labeled file"):
        stance.evaluate(model, [])


def test_models_pickle_as_their_bytes(model):
    import pickle

    copy = pickle.loads(pickle.dumps(model))
    assert copy.score(LAVROV) == model.score(LAVROV)
    assert stance.Model.from_bytes(model.to_bytes()).score(LAVROV) == model.score(LAVROV)


def test_every_train_option_is_documented_and_spark_is_an_attribute():
    doc = stance.train.__doc__
    for name, _, _, _ in stance._stance.train_options():
        if name != "out":
            assert name.replace("-", "_") in doc, name
    assert callable(stance.spark.score)


def test_from_bytes_and_repr(repo):
    data = (repo / "models" / "default.stance").read_bytes()
    m = stance.Model.from_bytes(data, "default.stance")
    assert "default.stance" in repr(m) and "training rows" in repr(m)
    with pytest.raises(OSError, match="not-a-model"):
        stance.Model.from_bytes(b"nonsense", "not-a-model")
    assert stance.Model.__doc__ and stance.Model.score.__doc__


def _with_lexicon_sha(model_bytes: bytes, sha: str) -> bytes:
    """The model file with its recorded lexicon fingerprint replaced: the layout is magic (8),
    format version (4), SHA-256 of the payload (32), payload length (8), then the bincode
    payload, whose first field is the metadata JSON (u64 length, UTF-8)."""
    import hashlib
    import struct

    head, payload = model_bytes[:12], model_bytes[52:]
    (length,) = struct.unpack("<Q", payload[:8])
    metadata = json.loads(payload[8 : 8 + length])
    metadata["lexicon"] = sha
    text = json.dumps(metadata).encode()
    payload = struct.pack("<Q", len(text)) + text + payload[8 + length :]
    return head + hashlib.sha256(payload).digest() + struct.pack("<Q", len(payload)) + payload


def test_a_model_trained_with_other_lexicons_warns_once_and_still_scores(tmp_path, repo):
    data = repo / "labeled" / "train.jsonl"
    model = stance.train(data, out=tmp_path / "m.stance", vectors="none", no_select=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = stance.Model.from_bytes(model.to_bytes())
    other_bytes = _with_lexicon_sha(model.to_bytes(), "0" * 64)
    with pytest.warns(UserWarning, match="other sentiment lexicons") as caught:
        other = stance.Model.from_bytes(other_bytes, "old.stance")
    assert len(caught) == 1
    assert other.score("Kyiv thanked NATO") == same.score("Kyiv thanked NATO")
