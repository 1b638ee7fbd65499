"""The benchmark metrics, in one function small enough to check by hand.

    accuracy  = correct / n
    F1(c)     = 2 P R / (P + R), with P = tp / (tp + fp), R = tp / (tp + fn), 0 when undefined
    macro_f1  = mean of F1 over favor, against, none          (NewsMTSC's official metric)
    f_avg     = (F1(favor) + F1(against)) / 2                 (SemEval-2016 Task 6's official metric)

All counts are pooled over the rows given (for SemEval: over all targets at once, as the
official scorer does). Example: gold [favor, against, none], pred [favor, none, none] gives
F1(favor)=1, F1(against)=0, F1(none)=2/3, so macro_f1=5/9, f_avg=1/2, accuracy=2/3.
"""

LABELS = ("favor", "against", "none")


def scores(gold, pred):
    """Return {"n", "accuracy", "macro_f1", "f_avg", "f1": {label: F1}} for two label lists."""
    assert len(gold) == len(pred), "gold and predicted labels differ in length"
    f1 = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n = len(gold)
    return {
        "n": n,
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / n if n else 0.0,
        "macro_f1": sum(f1.values()) / len(LABELS),
        "f_avg": (f1["favor"] + f1["against"]) / 2,
        "f1": f1,
    }


if __name__ == "__main__":
    # Self-check with the example from the docstring.
    s = scores(["favor", "against", "none"], ["favor", "none", "none"])
    assert abs(s["macro_f1"] - 5 / 9) < 1e-12 and s["f_avg"] == 0.5 and abs(s["accuracy"] - 2 / 3) < 1e-12
    print("bench_metrics self-check ok:", s)
