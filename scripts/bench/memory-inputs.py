#!/usr/bin/env python3
"""Write the inputs of scripts/bench/memory into DIR (deterministic; existing files are reused):

  score-2m.csv, score-2m.tsv   the rows of target/bench/score-2m.jsonl (id, text, target) as CSV
                               and as TSV (tabs and newlines in a text become spaces)
  line-30mb.jsonl              one statement of 30 MB (news sentences repeated), no target
  line-30mb-train.jsonl        that statement labeled, with the mini corpus rows beside it
  words-1m-train.jsonl         1,000 labeled rows of 1,000 words each, 1,000,000 distinct words

Usage: scripts/bench/memory-inputs.py --jsonl target/bench/score-2m.jsonl --mini tests/fixtures/mini.jsonl --dir DIR
"""
import argparse
import csv
import json
import os


def write(path, produce):
    if os.path.exists(path):
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        produce(f)
    os.replace(tmp, path)
    print(f"wrote {path}")


def delimited(jsonl, delimiter):
    def produce(f):
        writer = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE,
                            escapechar=None if delimiter == "," else "\\")
        writer.writerow(["id", "text", "target"])
        with open(jsonl, encoding="utf-8") as rows:
            for line in rows:
                r = json.loads(line)
                text = r["text"]
                if delimiter == "\t":
                    text = " ".join(text.replace("\\", "/").split())
                writer.writerow([r["id"], text, r["target"]])
    return produce


def long_line(f):
    sentence = "Moscow condemned the strike, and Kyiv thanked NATO for the air defence systems. "
    text = sentence * (30_000_000 // len(sentence))
    f.write(json.dumps({"id": "long", "text": text}) + "\n")


def long_line_train(mini):
    def produce(f):
        sentence = "Moscow condemned the strike, and Kyiv thanked NATO for the air defence systems. "
        text = sentence * (30_000_000 // len(sentence))
        f.write(json.dumps({"id": "long", "text": text, "target": "NATO", "stance": "favor"}) + "\n")
        with open(mini, encoding="utf-8") as rows:
            f.writelines(rows)
    return produce


def many_words(f):
    stances = ["favor", "against", "none"]
    for row in range(1000):
        words = " ".join(f"w{row}x{k}" for k in range(1000))
        f.write(json.dumps({"text": f"NATO {words}", "target": "NATO", "stance": stances[row % 3]}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jsonl", required=True)
    parser.add_argument("--mini", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    write(os.path.join(args.dir, "score-2m.csv"), delimited(args.jsonl, ","))
    write(os.path.join(args.dir, "score-2m.tsv"), delimited(args.jsonl, "\t"))
    write(os.path.join(args.dir, "line-30mb.jsonl"), long_line)
    write(os.path.join(args.dir, "line-30mb-train.jsonl"), long_line_train(args.mini))
    write(os.path.join(args.dir, "words-1m-train.jsonl"), many_words)


if __name__ == "__main__":
    main()
