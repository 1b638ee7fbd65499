#!/usr/bin/env python3
"""Statistics and consistency checks for the project's labeled corpus.

Usage: python3 scripts/corpus/stats.py [FILE.jsonl ...]   (default: labeled/train.jsonl labeled/test.jsonl)

Prints pairs, statements, parties, label balance, the share of statements that name two or more
parties, duplicates and near-duplicates (token Jaccard >= 0.8), and the train/test overlap. It also
checks every row against labeled/parties.toml: the target must be a canonical party name, the party
must be mentioned in the text, and every party the text mentions must have a row. Problems are
listed and make the exit code 1. The same checks run in `cargo test` (tests/corpus.rs), which CI
runs.
"""
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STANCES = ("favor", "against", "none")


def is_acronym(alias):
    """Short all-capitals aliases ("US", "UN", "PA") match only in capitals: "us" is a pronoun."""
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 4


def load_registry():
    data = tomllib.loads((ROOT / "labeled" / "parties.toml").read_text())
    names, patterns = [], []
    for party in data["party"]:
        names.append(party["name"])
        for alias in [party["name"], *party.get("aliases", [])]:
            patterns.append((alias, party["name"]))
    # Longest alias first, so the alternation prefers it, as the Rust matcher does.
    patterns.sort(key=lambda p: -len(p[0]))
    alternation = "|".join(
        re.escape(a) if is_acronym(a) else "(?i:" + re.escape(a) + ")" for a, _ in patterns
    )
    regex = re.compile(r"(?<!\w)(" + alternation + r")(?!\w)")
    by_alias = {a.lower(): n for a, n in patterns}
    return set(names), regex, by_alias


def mentioned(text, regex, by_alias):
    return {by_alias[m.group(1).lower()] for m in regex.finditer(text)}


def tokens(text):
    return set(re.findall(r"\w+", text.lower()))


def main(paths):
    names, regex, by_alias = load_registry()
    problems = []
    rows_by_file = {}
    for path in paths:
        rows = []
        for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{path}:{lineno}: bad JSON: {e}")
                continue
            row["_where"] = f"{path}:{lineno}"
            if row.get("target") not in names:
                problems.append(f"{row['_where']}: target {row.get('target')!r} is not a canonical party")
            if row.get("stance") not in STANCES:
                problems.append(f"{row['_where']}: stance {row.get('stance')!r}")
            rows.append(row)
        rows_by_file[path] = rows

    all_rows = [r for rows in rows_by_file.values() for r in rows]
    by_text = defaultdict(list)
    for r in all_rows:
        by_text[r["text"]].append(r)
    for text, rows in by_text.items():
        found = mentioned(text, regex, by_alias)
        labeled = Counter(r["target"] for r in rows)
        for target, count in labeled.items():
            if count > 1:
                problems.append(f"{rows[0]['_where']}: {target} labeled {count} times for one statement")
            if target not in found:
                problems.append(f"{rows[0]['_where']}: {target} is not mentioned by any alias")
        for target in sorted(found - set(labeled)):
            problems.append(f"{rows[0]['_where']}: mentions {target} but has no row for it")

    n_pairs = len(all_rows)
    n_statements = len(by_text)
    stance_counts = Counter(r["stance"] for r in all_rows)
    per_party = Counter(r["target"] for r in all_rows)
    per_party_stance = defaultdict(Counter)
    for r in all_rows:
        per_party_stance[r["target"]][r["stance"]] += 1
    multi = [rows for rows in by_text.values() if len(rows) >= 2]
    opposite = [rows for rows in multi if {"favor", "against"} <= {r["stance"] for r in rows}]
    lengths = sorted(len(t.split()) for t in by_text)

    print(f"files: {', '.join(f'{p} ({len(r)} pairs)' for p, r in rows_by_file.items())}")
    print(f"pairs: {n_pairs}   statements: {n_statements}   parties: {len(per_party)}")
    print("stance balance: " + "  ".join(
        f"{s} {stance_counts[s]} ({100 * stance_counts[s] / max(n_pairs, 1):.1f}%)" for s in STANCES))
    print(f"statements naming 2+ labeled parties: {len(multi)} ({100 * len(multi) / max(n_statements, 1):.1f}%)"
          f", of which with favor and against in one statement: {len(opposite)}")
    if lengths:
        print(f"statement length in words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    print(f"{'party':<24}{'pairs':>6}{'favor':>7}{'against':>8}{'none':>6}")
    for party, count in per_party.most_common():
        c = per_party_stance[party]
        print(f"{party:<24}{count:>6}{c['favor']:>7}{c['against']:>8}{c['none']:>6}")
    print(f"parties with >= 100 pairs: {sum(1 for c in per_party.values() if c >= 100)}")

    texts = list(by_text)
    toks = [tokens(t) for t in texts]
    near = 0
    examples = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = toks[i], toks[j]
            if a and b and len(a & b) / len(a | b) >= 0.8:
                near += 1
                if len(examples) < 5:
                    examples.append((texts[i], texts[j]))
    print(f"exact duplicate statements: 0 (rows are grouped by text)   near-duplicate statement pairs (Jaccard >= 0.8): {near}")
    for a, b in examples:
        print(f"  near: {a[:70]!r} ~ {b[:70]!r}")
    if len(rows_by_file) == 2:
        (_, r1), (_, r2) = rows_by_file.items()
        overlap = {r["text"] for r in r1} & {r["text"] for r in r2}
        print(f"statements in both files: {len(overlap)}")
        if overlap:
            problems.append(f"{len(overlap)} statements are in both files")

    if problems:
        print(f"\n{len(problems)} problems:")
        for p in problems[:200]:
            print("  " + p)
        return 1
    return 0


if __name__ == "__main__":
    args = sys.argv[1:] or [str(ROOT / "labeled" / "train.jsonl"), str(ROOT / "labeled" / "test.jsonl")]
    sys.exit(main(args))
