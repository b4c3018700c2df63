"""分类模型 — the text classifier behind 智能分拨: features, training, calibrated prediction, explanation.

Features (one TF-IDF space, sublinear tf, l2-normalised):
- characters: 1- to 3-grams of each run of Chinese characters, letters and digits (digits folded to ``0``);
- words: ``w:<word>`` for every word of two or more characters. The lexicon is built at training time by jieba
  (its dictionary plus our domain dictionary, data/dictionary.txt: 网格员, 加装电梯, 一户一表, 油烟直排 …) run over
  the training texts; texts are then segmented against that lexicon by forward maximum matching, the same way
  at training and at prediction. ``segmenter="jieba"`` runs jieba itself at prediction instead (slower; the
  benchmark compares both).

Heads:
- the category head: multinomial logistic regression over the labels (the first-level category names for the
  shipped model), calibrated by temperature scaling fitted on a held-out fifth of the training data;
- second-level heads, one per first-level category, trained on texts labelled with a second-level category
  (the seed corpus always provides them when the labels are first-level names); the second level gives the
  tier (三事分流) and the handler through the taxonomy.

Prediction returns the top three with confidences, abstains when the best confidence is below the threshold,
and explains itself with the terms that pushed the text towards the chosen category most.

The saved model is ``meta.json`` (vocabulary, labels, settings) and ``arrays.npz`` (numbers): no pickle, so a
model directory can be read by any version of the code that knows its format.
"""

from __future__ import annotations

import json
import math
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from . import taxonomy as tx

FORMAT = 1
DICTIONARY_PATH = tx.DATA_DIR / "dictionary.txt"
DEFAULT_ABSTAIN = 0.45
TOP_K = 3

_MASKED_PHONE = re.compile(r"1[0-9]{2}\*{4}[0-9]{4}")
_DIGITS = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _MASKED_PHONE.sub(" ", text)
    return _DIGITS.sub("0", text)


def runs(text: str) -> list[str]:
    """The runs of Chinese characters, letters and digits of a normalised text."""
    return [r for r in _SEPARATOR.split(text) if r]


def domain_words() -> list[str]:
    words = []
    for line in DICTIONARY_PATH.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            words.append(parts[0])
    return words


_JIEBA = None


def jieba_tokenizer():
    """A jieba tokenizer of our own with the domain dictionary (the global one is left alone)."""
    global _JIEBA
    if _JIEBA is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.load_userdict(str(DICTIONARY_PATH))
        _JIEBA = tok
    return _JIEBA


def build_lexicon(texts: list[str], *, min_df: int = 2, max_len: int = 6) -> set[str]:
    """Words of 2..max_len characters jieba finds in at least ``min_df`` texts, plus the domain dictionary."""
    tok = jieba_tokenizer()
    cut: dict[str, list[str]] = {}  # templated and repeated clauses are segmented once
    df: Counter[str] = Counter()
    for text in dict.fromkeys(texts):
        words = set()
        for run in runs(normalize(text)):
            found = cut.get(run)
            if found is None:
                found = cut[run] = [w for w in tok.lcut(run, HMM=False) if 2 <= len(w) <= max_len]
            words.update(found)
        df.update(words)
    lexicon = {w for w, n in df.items() if n >= min_df}
    lexicon.update(normalize(w) for w in domain_words())
    return lexicon


@dataclass
class Featurizer:
    """Text → feature tokens (character n-grams and ``w:`` words)."""

    lexicon: frozenset[str]
    segmenter: str = "lexicon"  # or "jieba"
    max_word: int = 6

    def __post_init__(self):
        # first two characters of each word → its longest length: most positions fail at one lookup
        starts: dict[str, int] = {}
        for w in self.lexicon:
            if 2 <= len(w) <= self.max_word:
                starts[w[:2]] = max(starts.get(w[:2], 0), len(w))
        self._starts = starts

    def words(self, run: str, bigrams: list[str] | None = None) -> list[str]:
        """``w:<word>`` for the words of a run: forward maximum matching against the lexicon (or jieba)."""
        if self.segmenter == "jieba":
            return ["w:" + w for w in jieba_tokenizer().lcut(run, HMM=False) if len(w) >= 2]
        if bigrams is None:
            bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
        lex, get, out, i, n = self.lexicon, self._starts.get, [], 0, len(run)
        while i < n - 1:
            longest = get(bigrams[i], 0)
            if longest:
                for size in range(min(longest, n - i), 1, -1):
                    piece = run[i : i + size]
                    if piece in lex:
                        out.append("w:" + piece)
                        i += size - 1
                        break
            i += 1
        return out

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for run in runs(normalize(text)):
            n = len(run)
            out += run  # characters
            if n > 1:
                bigrams = [run[i : i + 2] for i in range(n - 1)]
                out += bigrams
                if n > 2:
                    out += [run[i : i + 3] for i in range(n - 2)]
                out += self.words(run, bigrams)
        return out


@dataclass
class Vectorizer:
    """Feature tokens → sublinear TF-IDF rows, l2-normalised."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, docs: list[list[str]], *, min_df: int = 2) -> Vectorizer:
        df: Counter[str] = Counter()
        for toks in docs:
            df.update(set(toks))
        terms = sorted(t for t, n in df.items() if n >= min_df)
        vocabulary = {t: i for i, t in enumerate(terms)}
        n = len(docs)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
        return cls(vocabulary=vocabulary, idf=idf)

    @property
    def terms(self) -> list[str]:
        out = [""] * len(self.vocabulary)
        for t, i in self.vocabulary.items():
            out[i] = t
        return out

    def terms_cache(self) -> list[str]:
        cached = getattr(self, "_terms", None)
        if cached is None:
            cached = self._terms = self.terms
        return cached

    def row(self, toks: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One text's (feature indices, l2-normalised weights), without building a sparse matrix: the fast path
        for classifying a single text."""
        get = self.vocabulary.get
        counts: dict[int, int] = {}
        for t in toks:
            j = get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        data = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[idx]
        norm = float(np.sqrt((data * data).sum()))
        return idx, (data / norm if norm else data).astype(np.float32)

    def transform(self, docs: list[list[str]]) -> sparse.csr_matrix:
        width = len(self.vocabulary)
        get = self.vocabulary.get
        cols = np.asarray([get(t, -1) for d in docs for t in d], dtype=np.int64)
        rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(d) for d in docs])
        keep = cols >= 0
        keys, counts = np.unique(rows[keep] * width + cols[keep], return_counts=True)
        r, c = keys // width, keys % width
        data = (1.0 + np.log(counts.astype(np.float32))) * self.idf[c]
        sums = np.bincount(r, weights=data * data, minlength=len(docs))
        norms = np.sqrt(sums)
        norms[norms == 0] = 1.0
        data = (data / norms[r]).astype(np.float32)
        indptr = np.searchsorted(r, np.arange(len(docs) + 1))
        return sparse.csr_matrix((data, c.astype(np.int32), indptr), shape=(len(docs), width))


@dataclass
class Head:
    """A linear softmax head over (a subset of) the features: ``cols`` None means all of them."""

    labels: list[str]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    cols: np.ndarray | None = None
    temperature: float = 1.0

    def logits(self, x: sparse.csr_matrix) -> np.ndarray:
        if self.cols is not None:
            x = x[:, self.cols]
        return np.asarray(x @ self.coef.T) + self.intercept

    def proba(self, x: sparse.csr_matrix) -> np.ndarray:
        return softmax(self.logits(x) / self.temperature)

    def row_proba(self, idx: np.ndarray, data: np.ndarray) -> np.ndarray:
        """Probabilities for one row given as (indices, weights)."""
        if self.cols is not None:
            local = getattr(self, "_local", None)
            if local is None:
                local = self._local = {int(c): k for k, c in enumerate(self.cols)}
            pairs = [(local[i], v) for i, v in zip(idx.tolist(), data.tolist(), strict=True) if i in local]
            idx = np.array([k for k, _v in pairs], dtype=np.int64)
            data = np.array([v for _k, v in pairs], dtype=np.float32)
        z = (self.coef[:, idx] @ data + self.intercept) / self.temperature
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_linear(x, y: list[str], *, c: float, kind: str = "lr", seed: int = 0) -> Head:
    """A linear head: ``lr`` (multinomial logistic regression) or ``svm`` (one-vs-rest linear SVM, whose
    margins the softmax turns into probabilities once a temperature is fitted)."""
    labels = sorted(set(y))
    if len(labels) == 1:
        return Head(labels=labels, coef=np.zeros((1, x.shape[1]), dtype=np.float32),
                    intercept=np.zeros(1, dtype=np.float32))
    if kind == "svm":
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=c, random_state=seed)
    else:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=300, tol=1e-3, random_state=seed)
    model.fit(x, y)
    coef, intercept = model.coef_, model.intercept_
    if len(labels) == 2:  # sklearn keeps one row for two classes: make it a softmax over two
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return Head(labels=[str(v) for v in model.classes_], coef=coef.astype(np.float32),
                intercept=intercept.astype(np.float32))


def fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T) (Guo et al. 2017)."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        p = softmax(logits / math.exp(log_t))
        return float(-np.log(p[np.arange(len(truth)), truth] + 1e-12).mean())

    found = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(math.exp(found.x))


def _calibration_split(n: int, groups: list[str] | None, *, seed: int) -> tuple[list[int], list[int]]:
    """(held-out rows, kept rows): a random fifth, or the rows of a random fifth of the groups."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not security
    if groups:
        names = sorted(set(groups))
        rng.shuffle(names)
        out = set(names[: max(1, len(names) // 5)])
        held = [i for i in range(n) if groups[i] in out]
    else:
        order = list(range(n))
        rng.shuffle(order)
        held = sorted(order[: n // 5])
    chosen = set(held)
    return held, [i for i in range(n) if i not in chosen]


@dataclass
class Guess:
    label: str
    confidence: float
    subcategory: str = ""  # second-level code
    subcategory_name: str = ""
    subcategory_confidence: float = 0.0
    tier: str = ""
    handler: str = ""
    item: str = ""  # a district catalogue item code, when the category maps to one

    def as_dict(self) -> dict:
        return {
            "category": self.label,
            "confidence": round(self.confidence, 3),
            "subcategory": self.subcategory,
            "subcategory_name": self.subcategory_name,
            "subcategory_confidence": round(self.subcategory_confidence, 3),
            "tier": self.tier,
            "handler": self.handler,
            "item": self.item,
        }


@dataclass
class Prediction:
    guesses: list[Guess]
    abstained: bool
    threshold: float
    terms: list[str] = field(default_factory=list)

    @property
    def best(self) -> Guess:
        return self.guesses[0]

    def as_dict(self) -> dict:
        return {
            "category": "" if self.abstained else self.best.label,
            "confidence": round(self.best.confidence, 3),
            "abstained": self.abstained,
            "threshold": self.threshold,
            "terms": list(self.terms),
            "top": [g.as_dict() for g in self.guesses],
        }


@dataclass
class TextModel:
    featurizer: Featurizer
    vectorizer: Vectorizer
    head: Head
    sub_heads: dict[str, Head] = field(default_factory=dict)
    threshold: float = DEFAULT_ABSTAIN
    info: dict = field(default_factory=dict)

    # ---- training ----------------------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        texts: list[str],
        labels: list[str],
        *,
        sub_texts: list[str] = (),
        sub_labels: list[str] = (),
        groups: list[str] | None = None,
        segmenter: str = "lexicon",
        kind: str = "svm",
        c: float = 0.5,
        sub_c: float = 10.0,
        min_df: int = 2,
        threshold: float = DEFAULT_ABSTAIN,
        calibrate: bool = True,
        seed: int = 0,
    ) -> TextModel:
        """Train on ``texts`` → ``labels``; ``sub_texts`` → ``sub_labels`` (second-level codes) train the
        second-level heads of the first-level categories they belong to.

        The temperature is fitted on a fifth of the data held out from a first fit. With ``groups`` (e.g. the
        template of each synthetic text) whole groups are held out, so that confidence is calibrated for
        wording the model has not seen, not for wording it has.
        """
        if len(texts) != len(labels) or not texts:
            raise ValueError("texts and labels must be non-empty and of the same length")
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # BLAS threads only spin on problems this small
            return cls._train(texts, labels, sub_texts=sub_texts, sub_labels=sub_labels, groups=groups,
                              segmenter=segmenter, kind=kind, c=c, sub_c=sub_c, min_df=min_df,
                              threshold=threshold, calibrate=calibrate, seed=seed)

    @classmethod
    def _train(cls, texts, labels, *, sub_texts, sub_labels, groups, segmenter, kind, c, sub_c, min_df, threshold,
               calibrate, seed) -> TextModel:
        sub_texts, sub_labels = list(sub_texts), list(sub_labels)
        lexicon = build_lexicon(list(texts) + sub_texts)
        featurizer = Featurizer(lexicon=frozenset(lexicon), segmenter=segmenter)
        memo: dict[str, list[str]] = {}

        def tokens(text: str) -> list[str]:
            found = memo.get(text)
            if found is None:
                found = memo[text] = featurizer.tokens(text)
            return found

        docs = [tokens(t) for t in texts]
        sub_docs = [tokens(t) for t in sub_texts]
        vectorizer = Vectorizer.fit(docs + sub_docs, min_df=min_df)
        x = vectorizer.transform(docs)
        temperature = 1.0
        if calibrate and len(set(labels)) > 1 and len(texts) >= 50:
            held, kept = _calibration_split(len(texts), groups, seed=seed)
            if len({labels[i] for i in kept}) == len(set(labels)):
                probe = _fit_linear(x[kept], [labels[i] for i in kept], c=c, kind=kind, seed=seed)
                index = {lab: k for k, lab in enumerate(probe.labels)}
                truth = np.array([index[labels[i]] for i in held])
                temperature = fit_temperature(probe.logits(x[held]), truth)
        head = _fit_linear(x, list(labels), c=c, kind=kind, seed=seed)
        head.temperature = temperature
        sub_heads: dict[str, Head] = {}
        if sub_texts:
            tax = tx.load()
            xs = vectorizer.transform(sub_docs)
            groups: dict[str, list[int]] = {}
            for i, code in enumerate(sub_labels):
                node = tax.second_by_code(code)
                if node is not None and node.parent in head.labels:
                    groups.setdefault(node.parent, []).append(i)
            for parent, rows in groups.items():
                part = xs[rows]
                cols = np.unique(part.indices).astype(np.int32)
                sub = _fit_linear(part[:, cols], [sub_labels[i] for i in rows], c=sub_c, kind="lr", seed=seed)
                sub.cols = cols
                sub_heads[parent] = sub
        info = {
            "format": FORMAT,
            "segmenter": segmenter,
            "kind": kind,
            "c": c,
            "sub_c": sub_c,
            "min_df": min_df,
            "features": len(vectorizer.vocabulary),
            "lexicon": len(lexicon),
            "temperature": round(temperature, 4),
        }
        return cls(featurizer=featurizer, vectorizer=vectorizer, head=head, sub_heads=sub_heads,
                   threshold=threshold, info=info)

    # ---- prediction --------------------------------------------------------------------------------------

    @property
    def labels(self) -> list[str]:
        return self.head.labels

    def vectors(self, texts: list[str]) -> sparse.csr_matrix:
        return self.vectorizer.transform([self.featurizer.tokens(t) for t in texts])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.head.proba(self.vectors(texts))

    def predict_labels(self, texts: list[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.head.labels[i] for i in proba.argmax(axis=1)]

    def categorize(self, x: sparse.csr_matrix) -> tuple[list[str], list[str]]:
        """Best first-level label and second-level code of each row (the label itself without a second level);
        each second-level head runs once over its rows."""
        proba = self.head.proba(x)
        labels = [self.head.labels[i] for i in proba.argmax(axis=1)]
        codes = list(labels)
        rows_of: dict[str, list[int]] = {}
        for row, label in enumerate(labels):
            rows_of.setdefault(label, []).append(row)
        for label, rows in rows_of.items():
            head = self.sub_heads.get(label)
            if head is not None:
                for row, k in zip(rows, head.proba(x[rows]).argmax(axis=1), strict=True):
                    codes[row] = head.labels[int(k)]
        return labels, codes

    def predict(self, text: str, *, threshold: float | None = None, top: int = TOP_K) -> Prediction:
        idx, data = self.vectorizer.row(self.featurizer.tokens(text))
        proba = self.head.row_proba(idx, data)
        order = np.argsort(-proba)[:top]
        guesses = [self._guess(self.head.labels[i], float(proba[i]), idx, data) for i in order]
        threshold = self.threshold if threshold is None else threshold
        abstained = len(idx) == 0 or guesses[0].confidence < threshold
        return Prediction(guesses=guesses, abstained=abstained, threshold=threshold,
                          terms=self.explain(idx, data, int(order[0])))

    def _guess(self, label: str, confidence: float, idx: np.ndarray, data: np.ndarray) -> Guess:
        tax = tx.load()
        guess = Guess(label=label, confidence=confidence)
        node = None
        sub = self.sub_heads.get(label)
        if sub is not None:
            p = sub.row_proba(idx, data)
            k = int(p.argmax())
            node = tax.second_by_code(sub.labels[k])
            guess.subcategory_confidence = float(p[k])
        else:
            resolved = tax.resolve(label)
            node = resolved if resolved is not None and not resolved.is_first_level else None
            guess.subcategory_confidence = 1.0 if node is not None else 0.0
        if node is not None:
            guess.subcategory, guess.subcategory_name = node.code, node.name
            guess.tier, guess.handler = node.tier, node.handler
            guess.item = node.items[0] if node.items else ""
        return guess

    def explain(self, idx: np.ndarray, val: np.ndarray, k: int, *, limit: int = 5) -> list[str]:
        """The terms of one text (its feature indices and weights) that pushed it towards class ``k`` most,
        against the average class."""
        if not len(idx):
            return []
        w = self.head.coef[:, idx]
        push = val * (w[k] - w.mean(axis=0))
        terms = self.vectorizer.terms_cache()
        lexicon = self.featurizer.lexicon
        chosen: list[str] = []
        fallback: list[str] = []
        for j in np.argsort(-push):
            if push[j] <= 0 or len(chosen) >= limit:
                break
            raw = terms[idx[j]]
            term = raw.removeprefix("w:")
            if len(term) < 2 or term.strip("0") == "":
                continue
            if not raw.startswith("w:") and term not in lexicon:
                fallback.append(term)  # a character n-gram across words: shown only if no word explains
                continue
            if any(term in c for c in chosen):
                continue
            chosen = [c for c in chosen if c not in term]
            chosen.append(term)
        return chosen or fallback[:limit]

    # ---- storage -----------------------------------------------------------------------------------------

    def save(self, directory: Path, *, extra: dict | None = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {
            "idf": self.vectorizer.idf,
            "coef": self.head.coef,
            "intercept": self.head.intercept,
        }
        subs = []
        for n, (parent, head) in enumerate(sorted(self.sub_heads.items())):
            arrays[f"sub{n}_coef"], arrays[f"sub{n}_intercept"] = head.coef, head.intercept
            arrays[f"sub{n}_cols"] = head.cols
            subs.append({"parent": parent, "labels": head.labels})
        meta = {
            "format": FORMAT,
            "info": self.info,
            "threshold": self.threshold,
            "labels": self.head.labels,
            "temperature": self.head.temperature,
            "segmenter": self.featurizer.segmenter,
            "lexicon": sorted(self.featurizer.lexicon),
            "terms": self.vectorizer.terms,
            "sub_heads": subs,
            **(extra or {}),
        }
        np.savez_compressed(directory / "arrays.npz", **arrays)
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> TextModel:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"unknown model format {meta.get('format')!r} in {directory}")
        with np.load(directory / "arrays.npz") as arrays:
            data = {k: arrays[k] for k in arrays.files}
        terms = meta["terms"]
        vectorizer = Vectorizer(vocabulary={t: i for i, t in enumerate(terms)}, idf=data["idf"])
        head = Head(labels=meta["labels"], coef=data["coef"], intercept=data["intercept"],
                    temperature=float(meta["temperature"]))
        sub_heads = {
            s["parent"]: Head(labels=s["labels"], coef=data[f"sub{n}_coef"], intercept=data[f"sub{n}_intercept"],
                              cols=data[f"sub{n}_cols"])
            for n, s in enumerate(meta["sub_heads"])
        }
        featurizer = Featurizer(lexicon=frozenset(meta["lexicon"]), segmenter=meta["segmenter"])
        return cls(featurizer=featurizer, vectorizer=vectorizer, head=head, sub_heads=sub_heads,
                   threshold=float(meta["threshold"]), info=meta.get("info", {}))


def evaluate(model: TextModel, texts: list[str], labels: list[str], *, threshold: float | None = None) -> dict:
    """Scores of ``model`` on labelled texts: ``n``, ``accuracy``, ``macro_f1``, ``per_label``
    ({label: precision, recall, f1, support}), ``texts_per_second`` (batch, on one core: CPU time of the one
    thread doing the work; ``texts_per_second_wall`` by the clock, which other load on the machine lowers), calibration
    (``ece``, expected calibration error over ten bins) and abstention (``coverage`` and ``accuracy_when_sure``
    at the threshold). Labels the model does not know count as errors."""
    import time

    from sklearn.metrics import precision_recall_fscore_support
    from threadpoolctl import threadpool_limits

    if not texts:
        raise ValueError("nothing to evaluate")
    with threadpool_limits(limits=1):
        started, cpu_started = time.perf_counter(), time.thread_time()
        proba = model.predict_proba(texts)
        seconds, cpu_seconds = time.perf_counter() - started, time.thread_time() - cpu_started
    predicted = [model.labels[i] for i in proba.argmax(axis=1)]
    confidence = proba.max(axis=1)
    correct = np.array([p == t for p, t in zip(predicted, labels, strict=True)])
    names = sorted(set(labels) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=names, zero_division=0
    )
    per_label = {
        name: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
               "support": int(s)}
        for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
    }
    macro = float(np.mean(f1))  # over every label seen in the truth or the predictions, as sklearn's "macro"
    ece = 0.0
    edges = np.linspace(0.0, 1.0, 11)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        chosen = (confidence > lo) & (confidence <= hi)
        if chosen.any():
            ece += chosen.mean() * abs(correct[chosen].mean() - confidence[chosen].mean())
    threshold = model.threshold if threshold is None else threshold
    sure = confidence >= threshold
    return {
        "n": len(texts),
        "accuracy": round(float(correct.mean()), 4),
        "macro_f1": round(macro, 4),
        "per_label": per_label,
        "texts_per_second": round(len(texts) / cpu_seconds, 1) if cpu_seconds > 0 else None,
        "texts_per_second_wall": round(len(texts) / seconds, 1) if seconds > 0 else None,
        "ece": round(float(ece), 4),
        "threshold": threshold,
        "coverage": round(float(sure.mean()), 4),
        "accuracy_when_sure": round(float(correct[sure].mean()), 4) if sure.any() else None,
    }


def read_meta(directory: Path) -> dict:
    """A saved model's meta.json (labels, settings, and what the registry stored with it)."""
    return json.loads((directory / "meta.json").read_text(encoding="utf-8"))
