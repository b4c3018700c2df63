"""Triage benchmark (智能分拨): the shipped classifier, learning from history, speed, duplicates.

    .venv/bin/python bench/triage/bench_triage.py [--quick] [--out FILE]

Everything runs in this process on the shipped seed corpus (gongzhi/triage/data/corpus.jsonl.gz); no database.

1. Shipped model — trained exactly as the product trains it (gongzhi.triage.recipe) on the corpus's training
   split, scored on its held-out split, whose phrasings, openers and closers were written separately: accuracy,
   macro-F1, calibration (ECE), coverage and accuracy above the abstain threshold, second-level and tier
   accuracy, training CPU time.
2. Baselines trained on the same training split in the same run: "plain" TF-IDF over jieba words (default
   dictionary) + LinearSVC (scikit-learn defaults) — the target to beat — and, for reference, TF-IDF over
   character 1–3-grams + LinearSVC.
3. Learning curve of train-from-history (``gongzhi triage train``'s recipe: no templates, no second level) against
   the plain baseline, both on the first N training records per category.
4. Speed on one core (one thread, BLAS limited to one thread, CPU time of the thread): batch texts/s of
   ``predict_proba`` over the held-out texts, and single-text latency of ``predict`` (top 3, second level,
   explanation) — p50/p95 by the clock and mean CPU. Also jieba itself at prediction (``segmenter="jieba"``),
   and what intake pays per text for our suggestions against the catalogue keyword rules it uses otherwise.
5. Duplicates: the labelled set of make_corpus.duplicate_reports (events in one community reported one to three
   times in different held-out phrasings, days apart); three sets (dev) chose the weights, time shape and
   threshold in similarity.py, three others (eval) are measured here: precision and recall of "score ≥
   threshold" over all pairs, also without a model, for the previous formula, and for a text-only cosine
   baseline whose threshold is tuned on dev. ``--duplicates-only`` runs just this part.

The human summary goes to stderr; one JSON object with every figure is the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from gongzhi.triage import engine, recipe, similarity  # noqa: E402
from gongzhi.triage.data import make_corpus  # noqa: E402

DEV_SEEDS, EVAL_SEEDS = (1, 2, 3), (4, 5, 6)  # the weights and threshold were chosen on DEV_SEEDS
EVENTS = 150


def log(line: str = "") -> None:
    print(line, file=sys.stderr, flush=True)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def macro(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    accuracy = float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))
    return round(accuracy, 4), round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4)


def first_per_category(rows: list[dict], n: int) -> list[dict]:
    kept: dict[str, int] = {}
    out = []
    for r in rows:
        if kept.get(r["category"], 0) < n:
            kept[r["category"]] = kept.get(r["category"], 0) + 1
            out.append(r)
    return out


# ---- baselines --------------------------------------------------------------------------------------------


def plain_baseline(train: list[dict], test: list[dict]) -> tuple[float, float]:
    """TF-IDF over jieba words (jieba's default dictionary, scikit-learn defaults) + LinearSVC."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    jieba.setLogLevel(logging.WARNING)
    vec = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
    x = vec.fit_transform([r["text"] for r in train])
    svm = LinearSVC().fit(x, [r["category"] for r in train])
    predicted = list(svm.predict(vec.transform([r["text"] for r in test])))
    return macro([r["category"] for r in test], predicted)


def char_baseline(train: list[dict], test: list[dict]) -> tuple[float, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    x = vec.fit_transform([r["text"] for r in train])
    svm = LinearSVC().fit(x, [r["category"] for r in train])
    predicted = list(svm.predict(vec.transform([r["text"] for r in test])))
    return macro([r["category"] for r in test], predicted)


# ---- sections ---------------------------------------------------------------------------------------------


def shipped(train: list[dict], test: list[dict]) -> tuple[engine.TextModel, dict]:
    started = time.thread_time()
    wall = time.perf_counter()
    with threadpool_limits(limits=1):
        model = recipe.train_shipped(train)
    train_cpu, train_wall = time.thread_time() - started, time.perf_counter() - wall
    metrics = engine.evaluate(model, [r["text"] for r in test], [r["category"] for r in test])
    sub_ok, tier_ok, both = 0, 0, 0
    for r in test:
        p = model.predict(r["text"])
        tier_ok += p.best.tier == r["tier"]
        if p.best.label == r["category"]:
            both += 1
            sub_ok += p.best.subcategory == r["subcategory"]
    per_label_f1 = {k: v["f1"] for k, v in metrics["per_label"].items()}
    out = {
        "train_rows": len(train),
        "test_rows": len(test),
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "ece": metrics["ece"],
        "threshold": metrics["threshold"],
        "coverage": metrics["coverage"],
        "accuracy_when_sure": metrics["accuracy_when_sure"],
        "second_level_accuracy_given_first": round(sub_ok / max(both, 1), 4),
        "tier_accuracy": round(tier_ok / len(test), 4),
        "worst_label": min(per_label_f1.items(), key=lambda kv: kv[1]),
        "best_label": max(per_label_f1.items(), key=lambda kv: kv[1]),
        "ambiguous_accuracy": _accuracy_of(model, [r for r in test if r["ambiguous"]]),
        "features": model.info["features"],
        "train_cpu_seconds": round(train_cpu, 2),
        "train_wall_seconds": round(train_wall, 2),
    }
    return model, out


def _accuracy_of(model: engine.TextModel, rows: list[dict]) -> float | None:
    if not rows:
        return None
    predicted = model.predict_labels([r["text"] for r in rows])
    return round(float(np.mean([p == r["category"] for p, r in zip(predicted, rows, strict=True)])), 4)


def learning_curve(train: list[dict], test: list[dict], sizes: list[int]) -> list[dict]:
    points = []
    for n in sizes:
        rows = first_per_category(train, n)
        with threadpool_limits(limits=1):
            model = engine.TextModel.train([r["text"] for r in rows], [r["category"] for r in rows],
                                           threshold=recipe.THRESHOLD)
        ours = macro([r["category"] for r in test], model.predict_labels([r["text"] for r in test]))
        plain = plain_baseline(rows, test)
        points.append({"per_category": n, "rows": len(rows), "ours_accuracy": ours[0], "ours_macro_f1": ours[1],
                       "plain_accuracy": plain[0], "plain_macro_f1": plain[1]})
        log(f"  {n:>4} per category ({len(rows):>5} rows): ours macro-F1 {ours[1]:.3f}  plain {plain[1]:.3f}")
    return points


def speed(model: engine.TextModel, texts: list[str], *, repeat: int, singles: int) -> dict:
    batch = texts * repeat
    with threadpool_limits(limits=1):
        model.predict_proba(batch[:50])  # warm up
        cpu, wall = time.thread_time(), time.perf_counter()
        model.predict_proba(batch)
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        latencies, cpu_single = [], 0.0
        for text in texts[:singles]:
            c, w = time.thread_time(), time.perf_counter()
            model.predict(text)
            latencies.append((time.perf_counter() - w) * 1000)
            cpu_single += time.thread_time() - c
    latencies.sort()
    return {
        "batch_texts": len(batch),
        "batch_texts_per_second_cpu": round(len(batch) / cpu, 1),
        "batch_texts_per_second_wall": round(len(batch) / wall, 1),
        "single_ms_p50": round(statistics.median(latencies), 3),
        "single_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 3),
        "single_ms_cpu_mean": round(cpu_single / len(latencies) * 1000, 3),
        "mean_text_chars": round(float(np.mean([len(t) for t in texts])), 1),
    }


def intake_cost(model: engine.TextModel, texts: list[str]) -> dict:
    """What intake pays per text: our suggestions (with the appeals Suggestion objects) against the appeals
    app's default, the district catalogue's keyword rules (jieba search-mode tokens)."""
    import jieba

    from gongzhi.appeals.classifiers import KeywordClassifier
    from gongzhi.triage.classifier import suggestions_of

    jieba.setLogLevel(logging.WARNING)
    rules = KeywordClassifier()
    rules.suggest(texts[0])  # load jieba's dictionary outside the timing
    out = {}
    for name, fn in (("ours", lambda t: suggestions_of(model.predict(t))), ("keyword_rules", rules.suggest)):
        cpu = time.thread_time()
        for t in texts:
            fn(t)
        out[f"{name}_ms_mean"] = round((time.thread_time() - cpu) / len(texts) * 1000, 3)
    return out


# ---- duplicates -------------------------------------------------------------------------------------------

_LEVEL_CHARS = {"building": 24, "estate": 20, "community": 12}


def _path(r: dict) -> str:
    estate = make_corpus.ESTATES.index(r["estate"]) + 1
    building = int("".join(c for c in r["bld"] if c.isdigit()))
    full = f"000100010001{int(r['grid'][-1]):04d}{estate:04d}{building:04d}"
    return full[: _LEVEL_CHARS[r["level"]]]


def duplicate_pairs(model: engine.TextModel, seeds) -> dict[str, np.ndarray]:
    """Every pair of reports within each set (one set = the pool of recent cases of one community): its signals,
    score and label."""
    parts: dict[str, list] = {"text": [], "local": [], "matter": [], "place": [], "time": [], "same": []}
    for seed in seeds:
        reps = make_corpus.duplicate_reports(split="test", seed=seed, events=EVENTS)
        texts = [r["text"] for r in reps]
        x, dist = similarity.signals(model, texts)
        text = np.asarray((x @ x.T).todense())
        local = similarity.local_similarity(model, texts)
        matter = dist @ dist.T
        paths = [_path(r) for r in reps]
        events = np.array([r["event"] for r in reps])
        days = np.array([r["day"] for r in reps])
        i, j = np.triu_indices(len(reps), 1)
        parts["text"].append(text[i, j])
        parts["local"].append(local[i, j])
        parts["matter"].append(matter[i, j])
        closeness = [similarity.place_closeness(paths[a], paths[b])[0] for a, b in zip(i, j, strict=True)]
        parts["place"].append(np.array(closeness))
        parts["time"].append(np.array([similarity.time_closeness(d) for d in np.abs(days[i] - days[j])]))
        parts["same"].append(events[i] == events[j])
    out = {k: np.concatenate(v) for k, v in parts.items()}
    out["score"] = np.array([similarity.combine(*v) for v in zip(out["text"], out["local"], out["matter"],
                                                                 out["place"], out["time"], strict=True)])
    # without an installed model: the local text similarity alone, with place and time
    out["no_model"] = out["local"] * out["place"] * out["time"]
    # the previous formula (before time and the pool's own TF-IDF): (0.4·text + 0.6·matter) × place, at ≥ 0.5
    out["previous"] = (0.4 * out["text"] + 0.6 * out["matter"]) * out["place"]
    return out


def precision_recall(scores: np.ndarray, same: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold
    tp = int((predicted & same).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(same.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": round(float(threshold), 3), "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4), "pairs": int(len(same)), "duplicate_pairs": int(same.sum()),
            "flagged": int(predicted.sum())}


def tuned(scores: np.ndarray, same: np.ndarray) -> float:
    """The threshold with the best F1 on a dev split."""
    return float(max(np.arange(0.05, 0.95, 0.01), key=lambda t: precision_recall(scores, same, t)["f1"]))


def duplicates(model: engine.TextModel) -> dict:
    dev, ev = duplicate_pairs(model, DEV_SEEDS), duplicate_pairs(model, EVAL_SEEDS)
    shipped_threshold = similarity.THRESHOLD
    return {
        "events_per_set": EVENTS,
        "dev_sets": list(DEV_SEEDS),
        "eval_sets": list(EVAL_SEEDS),
        "best_dev_threshold": round(tuned(dev["score"], dev["same"]), 3),
        "ours_dev": precision_recall(dev["score"], dev["same"], shipped_threshold),
        "ours_eval": precision_recall(ev["score"], ev["same"], shipped_threshold),
        "no_model_eval": precision_recall(ev["no_model"], ev["same"], shipped_threshold),
        "previous_eval": precision_recall(ev["previous"], ev["same"], 0.5),
        "text_only_eval": precision_recall(ev["text"], ev["same"], tuned(dev["text"], dev["same"])),
        "weights": {"text": similarity.TEXT_WEIGHT, "local": similarity.LOCAL_WEIGHT,
                    "matter": similarity.MATTER_WEIGHT, "same_days": similarity.SAME_DAYS,
                    "decay_days": similarity.DECAY_DAYS},
    }


def report_duplicates(model: engine.TextModel) -> dict:
    log("5. duplicates")
    dup = duplicates(model)
    for key, name in [("ours_eval", "ours"), ("no_model_eval", "without a model"),
                      ("previous_eval", "previous formula"), ("text_only_eval", "text cosine only (dev threshold)")]:
        d = dup[key]
        log(f"  {name} (threshold {d['threshold']}): precision {d['precision']:.3f}, recall {d['recall']:.3f}, "
            f"F1 {d['f1']:.3f} ({d['flagged']} flagged; {d['duplicate_pairs']} duplicate pairs of {d['pairs']})")
    log(f"  best threshold on the dev sets: {dup['best_dev_threshold']} (shipped {similarity.THRESHOLD})")
    return dup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller learning curve and speed run")
    parser.add_argument("--out", default="", help="also write the JSON result to this file")
    parser.add_argument("--duplicates-only", action="store_true", help="train the shipped model, then only 5.")
    args = parser.parse_args(argv)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    records = make_corpus.read()
    train = [r for r in records if r["split"] == "train"]
    test = [r for r in records if r["split"] == "test"]
    if args.duplicates_only:
        with threadpool_limits(limits=1):
            result = {"machine": machine(), "duplicates": report_duplicates(recipe.train_shipped(train))}
        line = json.dumps(result, ensure_ascii=False)
        if args.out:
            Path(args.out).write_text(line + "\n", encoding="utf-8")
        print(line)  # noqa: T201
        return
    log(f"triage benchmark — {machine()}")
    log(f"corpus: {len(train)} training, {len(test)} held-out records, 15 first-level categories")

    log("1. shipped model")
    model, ship = shipped(train, test)
    log(f"  held-out accuracy {ship['accuracy']:.3f}, macro-F1 {ship['macro_f1']:.3f}, ECE {ship['ece']:.3f}; "
        f"sure (≥{ship['threshold']}) on {ship['coverage']:.1%} with accuracy {ship['accuracy_when_sure']:.3f}")
    log(f"  second level given the first {ship['second_level_accuracy_given_first']:.3f}, "
        f"tier {ship['tier_accuracy']:.3f}; trained in {ship['train_cpu_seconds']} s CPU")

    log("2. baselines on the same data")
    plain = plain_baseline(train, test)
    chars = char_baseline(train, test)
    log(f"  plain TF-IDF(jieba words)+LinearSVC: accuracy {plain[0]:.3f}, macro-F1 {plain[1]:.3f}")
    log(f"  TF-IDF(char 1-3)+LinearSVC:         accuracy {chars[0]:.3f}, macro-F1 {chars[1]:.3f}")

    log("3. learning curve (train from history)")
    sizes = [24, 120, 360] if args.quick else [12, 24, 60, 120, 240, 360]
    curve = learning_curve(train, test, sizes)

    log("4. speed on one core")
    texts = [r["text"] for r in test]
    fast = speed(model, texts, repeat=2 if args.quick else 5, singles=300 if args.quick else 1000)
    log(f"  batch {fast['batch_texts_per_second_cpu']:.0f} texts/s (CPU; "
        f"{fast['batch_texts_per_second_wall']:.0f} by the clock); single predict p50 {fast['single_ms_p50']} ms, "
        f"p95 {fast['single_ms_p95']} ms, CPU mean {fast['single_ms_cpu_mean']} ms")
    with threadpool_limits(limits=1):
        jieba_model = engine.TextModel.train([r["text"] for r in train], [r["category"] for r in train],
                                             segmenter="jieba", groups=[r["template"] for r in train])
    jieba_scores = macro([r["category"] for r in test], jieba_model.predict_labels(texts))
    jieba_speed = speed(jieba_model, texts, repeat=1, singles=100)
    log(f"  jieba at prediction instead: macro-F1 {jieba_scores[1]:.3f}, "
        f"batch {jieba_speed['batch_texts_per_second_cpu']:.0f} texts/s (CPU)")

    intake = intake_cost(model, texts[:300])
    log(f"  at intake: our suggest {intake['ours_ms_mean']} ms per text against "
        f"{intake['keyword_rules_ms_mean']} ms for the catalogue keyword rules (CPU mean)")

    dup = report_duplicates(model)

    result = {
        "machine": machine(),
        "shipped": ship,
        "baselines": {"plain_jieba_tfidf_linearsvc": {"accuracy": plain[0], "macro_f1": plain[1]},
                      "char_tfidf_linearsvc": {"accuracy": chars[0], "macro_f1": chars[1]}},
        "learning_curve": curve,
        "speed": fast,
        "jieba_segmenter": {"accuracy": jieba_scores[0], "macro_f1": jieba_scores[1],
                            "batch_texts_per_second_cpu": jieba_speed["batch_texts_per_second_cpu"],
                            "single_ms_p50": jieba_speed["single_ms_p50"]},
        "intake": intake,
        "duplicates": dup,
    }
    line = json.dumps(result, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(line + "\n", encoding="utf-8")
    print(line)  # noqa: T201


if __name__ == "__main__":
    main()
