"""Writes of the triage app: training, storing and switching classifier versions (模型登记).

Models live in ``settings.TRIAGE_MODELS_DIR`` (default ``GONGZHI_DATA_DIR/models/``), one directory per version,
registered in ``TriageModel``. At most one is active; ``active_model()`` loads it (cached per process, checked
again every few seconds so that a switch made elsewhere is picked up). A request never trains: with no active
model ``active_model()`` answers None and intake falls back to the catalogue keyword rules (saying so). The
shipped model (``builtin``: trained on the seed corpus) is installed by ``gongzhi triage builtin`` and by
``gongzhi seed`` (``ensure_builtin``, idempotent); its files are cached on disk, keyed by the digest of the
corpus, taxonomy, dictionary and recipe, so later databases reuse them without training.

The triage app reads appeals and never writes them.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, InvalidInput, NotFound
from gongzhi.core.models import AuditEvent

from . import engine, recipe
from . import taxonomy as tx
from .data import make_corpus
from .models import TriageModel

log = logging.getLogger(__name__)

BUILTIN = "builtin"
BUILTIN_RECIPE = 1  # bump when the way the shipped model is trained changes
DEFAULT_THRESHOLD = recipe.THRESHOLD
HOLDOUT_SHARE = 0.1  # of a history file, kept aside to score the model trained on the rest
MIN_ROWS = 30
CHECK_SECONDS = 5.0
_NAME = re.compile(r"^[\w-]{1,60}$")


def models_dir() -> Path:
    path = Path(getattr(settings, "TRIAGE_MODELS_DIR", "") or (settings.DATA_DIR / "models"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- the seed corpus ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def seed_corpus() -> tuple[dict, ...]:
    return tuple(make_corpus.read())


def corpus_split(split: str, *, per_category: int = 0) -> list[dict]:
    """Records of one split of the seed corpus; ``per_category`` > 0 keeps the first N of each category."""
    rows = [r for r in seed_corpus() if r["split"] == split]
    if per_category <= 0:
        return rows
    kept: dict[str, int] = {}
    out = []
    for r in rows:
        if kept.get(r["category"], 0) < per_category:
            kept[r["category"]] = kept.get(r["category"], 0) + 1
            out.append(r)
    return out


def builtin_limit() -> int:
    """Training records per category for the shipped model (0: all); tests set a small number."""
    return int(getattr(settings, "TRIAGE_BUILTIN_LIMIT", 0) or 0)


def builtin_digest() -> str:
    h = hashlib.sha256()
    for path in (make_corpus.CORPUS_PATH, tx.TAXONOMY_PATH, engine.DICTIONARY_PATH):
        h.update(path.read_bytes())
    h.update(f"recipe={BUILTIN_RECIPE};format={engine.FORMAT};limit={builtin_limit()}".encode())
    return h.hexdigest()


# ---- loading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    row: TriageModel
    model: engine.TextModel


_lock = threading.RLock()
_models: dict[tuple[int, str], engine.TextModel] = {}
_active: dict = {"checked": 0.0, "loaded": None}


def forget_loaded() -> None:
    """Drop the cached active model (after a switch, and in tests)."""
    with _lock:
        _active["checked"], _active["loaded"] = 0.0, None


def load(row: TriageModel) -> engine.TextModel:
    key = (row.pk, row.path)
    with _lock:
        found = _models.get(key)
        if found is None:
            directory = models_dir() / row.path
            if not (directory / "meta.json").exists():
                raise NotFound(_("The files of model %(model)s are missing.") % {"model": row.key}, field="name")
            found = engine.TextModel.load(directory)
            if len(_models) >= 4:
                _models.clear()
            _models[key] = found
        return found


class NoModel(DomainError):
    """No model is installed: the shipped one is installed by a command, never inside a request."""

    code = "no_model"
    status = 409

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("No triage model is installed yet: an administrator runs "
                                      "“gongzhi triage builtin” (or “gongzhi seed”) once."), **kwargs)


def active_model() -> Loaded | None:
    """The model in use, or None when none is active. Never trains and never writes: safe inside a request."""
    with _lock:
        now = time.monotonic()
        cached = _active["loaded"]
        if cached is not None and now - _active["checked"] < CHECK_SECONDS:
            return cached
        row = TriageModel.objects.filter(active=True).first()
        if row is None:
            _active["loaded"] = None
            return None
        if cached is None or (cached.row.pk, cached.row.path) != (row.pk, row.path):
            cached = Loaded(row=row, model=load(row))
        _active["checked"], _active["loaded"] = now, cached
        return cached


def require_model() -> Loaded:
    """The model in use; ``NoModel`` (409) when none is installed."""
    loaded = active_model()
    if loaded is None:
        raise NoModel()
    return loaded


def find_model(spec: str) -> TriageModel:
    """``name`` (its active version, else its latest) or ``name:version``."""
    name, _sep, version = (spec or "").strip().partition(":")
    qs = TriageModel.objects.filter(name=name)
    if version:
        qs = qs.filter(version=int(version)) if version.isdigit() else qs.none()
    row = qs.order_by("-active", "-version").first()
    if row is None:
        raise NotFound(_("There is no model %(model)s.") % {"model": spec}, field="name")
    return row


# ---- training ----------------------------------------------------------------------------------------------


def _save(model: engine.TextModel, relative: str, *, extra: dict) -> None:
    """Write the model's files under a temporary name, then rename: readers never see half a model."""
    target = models_dir() / relative
    if (target / "meta.json").exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{uuid.uuid4().hex}"
    model.save(tmp, extra=extra)
    try:
        tmp.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)


def _register(*, name: str, relative: str, labels: list[str], metrics: dict, summary: dict, actor,
              note: str = "") -> TriageModel:
    for _attempt in range(5):
        last = TriageModel.objects.filter(name=name).order_by("-version").values_list("version", flat=True).first()
        try:
            with transaction.atomic():
                row = TriageModel.objects.create(
                    name=name, version=(last or 0) + 1, path=relative, labels=labels, metrics=metrics,
                    data_summary=summary, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    note=note[:200],
                )
                record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=row,
                             data={"metrics": {k: metrics.get(k) for k in ("n", "accuracy", "macro_f1")}})
                return row
        except IntegrityError:
            continue
    raise InvalidInput(_("Another model of this name is being saved; try again."), field="name")


def ensure_builtin(*, actor=None) -> TriageModel:
    """The shipped model, registered (and activated if nothing is active); trained only if not on disk yet."""
    with _lock:
        digest = builtin_digest()
        relative = f"{BUILTIN}/{digest[:20]}"
        directory = models_dir() / relative
        if not (directory / "meta.json").exists():
            started = time.monotonic()
            model, metrics, summary = train_builtin()
            _save(model, relative, extra={"metrics": metrics, "data_summary": summary})
            log.info("triage: trained the shipped model in %.1f s", time.monotonic() - started)
        row = TriageModel.objects.filter(name=BUILTIN, path=relative).order_by("-version").first()
        if row is None:
            meta = engine.read_meta(directory)
            row = _register(name=BUILTIN, relative=relative, labels=meta["labels"], metrics=meta.get("metrics", {}),
                            summary=meta.get("data_summary", {}), actor=actor,
                            note="种子语料训练（随系统发布）")
        if not TriageModel.objects.filter(active=True).exists():
            row = activate_model(actor=actor, model=row)
        return row


def train_builtin() -> tuple[engine.TextModel, dict, dict]:
    """Train on the corpus's training split; score on its held-out split (different phrasings)."""
    limit = builtin_limit()
    train = corpus_split("train", per_category=limit)
    test = corpus_split("test", per_category=limit // 3 if limit else 0)
    model = recipe.train_shipped(train)
    metrics = engine.evaluate(model, [r["text"] for r in test], [r["category"] for r in test])
    summary = {
        "source": "corpus",
        "rows": len(train),
        "holdout_rows": len(test),
        "holdout": "seed corpus held-out split (phrasings not used in training)",
        "labels": _counts(r["category"] for r in train),
        "corpus_sha256": hashlib.sha256(make_corpus.CORPUS_PATH.read_bytes()).hexdigest(),
    }
    return model, metrics, summary


def _counts(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def train_model(
    *,
    actor,
    name: str,
    texts: list[str],
    labels: list[str],
    source: dict,
    activate: bool = True,
    holdout: float = HOLDOUT_SHARE,
    with_corpus: bool = False,
    note: str = "",
    seed: int = 0,
    sub_examples: list[tuple[str, str]] = (),
    holdout_rows: list[tuple[str, str]] | None = None,
) -> TriageModel:
    """Train a new version of ``name`` from labelled texts (a community's history, staff overrides …).

    A random ``holdout`` share is kept aside and the stored model is scored on it (``holdout_rows``: score on
    these (text, label) pairs instead and train on every input row). Labels that are first-level taxonomy names
    get second-level heads (tier and handler) from the seed corpus plus ``sub_examples`` ((text, second-level
    code) pairs, e.g. staff corrections naming a catalogue item); ``with_corpus`` also adds the corpus's
    training split to the category head.
    """
    name = (name or "").strip()
    if not _NAME.match(name) or name == BUILTIN:
        raise InvalidInput(_("Name the model with letters, digits, - or _ (not “builtin”)."), field="name")
    pairs = [(t.strip(), (lab or "").strip()) for t, lab in zip(texts, labels, strict=True)]
    pairs = [(t, lab) for t, lab in pairs if t and lab]
    corpus = corpus_split("train", per_category=builtin_limit())
    if len(pairs) + (len(corpus) if with_corpus else 0) < MIN_ROWS:
        raise InvalidInput(_("At least %(n)d labelled texts are needed to train a model.") % {"n": MIN_ROWS},
                           field="input")
    if len({lab for _t, lab in pairs} | ({r["category"] for r in corpus} if with_corpus else set())) < 2:
        raise InvalidInput(_("The labels name only one category; a classifier needs at least two."), field="label")
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not security
    order = list(range(len(pairs)))
    rng.shuffle(order)
    cut = int(len(pairs) * holdout) if len(pairs) >= 100 and holdout_rows is None else 0
    held = [pairs[i] for i in sorted(order[:cut])] if holdout_rows is None else list(holdout_rows)
    kept = [pairs[i] for i in sorted(order[cut:])]
    train_texts, train_labels = [t for t, _l in kept], [lab for _t, lab in kept]
    if with_corpus:
        train_texts += [r["text"] for r in corpus]
        train_labels += [r["category"] for r in corpus]
    first = set(tx.load().first_names)
    known = first & set(train_labels)
    sub = [(r["text"], r["subcategory"]) for r in corpus if r["category"] in known]
    sub += list(sub_examples)
    model = engine.TextModel.train(
        train_texts, train_labels,
        sub_texts=[t for t, _c in sub], sub_labels=[c for _t, c in sub],
        threshold=DEFAULT_THRESHOLD, seed=seed,
    )
    holdout_source = "random share of the input" if holdout_rows is None else "given held-out rows"
    if not held and with_corpus:  # too few rows of its own: score on the corpus's held-out phrasings
        limit = builtin_limit()
        held = [(r["text"], r["category"]) for r in corpus_split("test", per_category=limit // 3 if limit else 0)]
        holdout_source = "seed corpus held-out split"
    metrics = engine.evaluate(model, [t for t, _l in held], [lab for _t, lab in held]) if held else {}
    summary = {
        **source,
        "rows": len(pairs),
        "train_rows": len(train_texts),
        "holdout_rows": len(held),
        "holdout": holdout_source if held else "",
        "with_corpus": with_corpus,
        "labels": _counts(lab for _t, lab in pairs),
    }
    relative = f"{name}/{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
    _save(model, relative, extra={"metrics": metrics, "data_summary": summary})
    row = _register(name=name, relative=relative, labels=model.labels, metrics=metrics, summary=summary,
                    actor=actor, note=note)
    if activate:
        row = activate_model(actor=actor, model=row)
    return row


@transaction.atomic
def activate_model(*, actor, model: TriageModel) -> TriageModel:
    """Make ``model`` the one in use (the previous one stays registered and can be switched back)."""
    if not (models_dir() / model.path / "meta.json").exists():
        raise NotFound(_("The files of model %(model)s are missing.") % {"model": model.key}, field="name")
    TriageModel.objects.filter(active=True).exclude(pk=model.pk).update(active=False)
    TriageModel.objects.filter(pk=model.pk).update(active=True, activated_at=timezone.now())
    model.refresh_from_db()
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=model, data={"active": True})
    transaction.on_commit(forget_loaded)
    forget_loaded()
    return model


# ---- staff corrections -------------------------------------------------------------------------------------


def override_examples() -> tuple[list[str], list[str], int]:
    """(texts, first-level labels, skipped) of every staff correction (selectors.correction_examples)."""
    from .selectors import correction_examples

    found = correction_examples()
    return [c.text for c in found.examples], [c.label for c in found.examples], found.skipped


RETRAIN_NAME = "community"


def retrain_from_corrections(*, actor=None, name: str = RETRAIN_NAME, force: bool = False) -> dict:
    """The scheduled retrain: a new version of ``name`` trained on the seed corpus plus staff corrections,
    promoted only if it scores at least as well as the model in use on the same held-out set (the corpus's
    held-out phrasings plus the held-out corrections, which neither model was trained on).

    Skipped (nothing trained) when no model is in use, when there are no corrections, or — unless ``force`` —
    when no staff decision is newer than those the last retrain of ``name`` read. Returns what happened.
    """
    from .selectors import correction_examples

    current = TriageModel.objects.filter(active=True).first()
    if current is None:
        return {"status": "skipped", "reason": "no model in use"}
    found = correction_examples()
    if not found.examples:
        return {"status": "skipped", "reason": "no corrections", "model": current.key}
    previous = TriageModel.objects.filter(name=name).order_by("-version").first()
    seen = (previous.data_summary.get("corrections_last_decision", 0) if previous else 0) or 0
    if not force and found.last_decision_id <= seen:
        return {"status": "skipped", "reason": "no new corrections", "model": current.key}
    limit = builtin_limit()
    corpus_held = [(r["text"], r["category"]) for r in corpus_split("test", per_category=limit // 3 if limit else 0)]
    corrections_held = [(c.text, c.label) for c in found.held_out]
    held = corpus_held + corrections_held
    train = found.train
    candidate = train_model(
        actor=actor, name=name, texts=[c.text for c in train], labels=[c.label for c in train],
        source={"source": "corrections", "corrections": len(found.examples),
                "corrections_held_out": len(corrections_held), "corrections_skipped": found.skipped,
                "corrections_last_decision": found.last_decision_id, "compared_with": current.key},
        activate=False, with_corpus=True, holdout_rows=held,
        sub_examples=[(c.text, c.subcategory) for c in train if c.subcategory],
        note=f"人工改派 {len(train)} 条 + 种子语料（定时重训）",
    )
    incumbent = engine.evaluate(load(current), [t for t, _l in held], [lab for _t, lab in held])
    ours, theirs = candidate.metrics.get("macro_f1", 0.0), incumbent["macro_f1"]
    promoted = ours >= theirs
    candidate.data_summary = {**candidate.data_summary, "gate": {
        "held_out_rows": len(held), "candidate_macro_f1": ours, "current_macro_f1": theirs, "promoted": promoted}}
    candidate.save(update_fields=["data_summary"])
    if promoted:
        candidate = activate_model(actor=actor, model=candidate)
    log.info("triage: retrained %s on %d corrections: macro-F1 %.4f against %s %.4f → %s", candidate.key,
             len(train), ours, current.key, theirs, "promoted" if promoted else "kept the current model")
    return {"status": "promoted" if promoted else "kept", "candidate": candidate.key, "current": current.key,
            "candidate_macro_f1": ours, "current_macro_f1": theirs, "held_out_rows": len(held),
            "corrections": len(train), "corrections_held_out": len(corrections_held)}
