"""年度/月度十大问题 — the problems most reported in a unit, for the secretary's report (seed 001).

The appeals of the period (every channel; withdrawn ones left out, merged duplicates counted — each is one more
report of the problem) are put by the active model into second-level categories; within a category, similar
texts are grouped by average-linkage clustering on TF-IDF cosine distance, so that 路灯不亮 and 井盖缺失 under
市政道路设施 stay two problems (a lone text joins the most similar group of its category). Each group is
labelled by its category and its key terms (the heaviest words of its centroid), counted, compared with the
previous period (the previous period's appeals are assigned to the nearest group of their category) and
illustrated with recent example cases, redacted as for the public board. The largest ten are "the year's top 10".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from gongzhi.appeals.redaction import redact_for_community
from gongzhi.appeals.selectors import appeals_handled_by
from gongzhi.core import paths
from gongzhi.core.errors import InvalidInput

from . import services
from . import taxonomy as tx
from .engine import TextModel

DISTANCE_THRESHOLD = 0.92  # average cosine distance below which texts of a category are one problem
MAX_CLUSTERED = 2000  # larger categories are split by their first 2000 texts' groups (nearest centroid)
ASSIGN_SIMILARITY = 0.1  # a text joins the nearest group of its category only if at least this similar
EXAMPLES = 3
# Words too common in appeals to name a problem.
STOP_TERMS = frozenset(
    ["我们", "你们", "他们", "一个", "一直", "一下", "怎么", "什么", "没有", "不是", "可以", "希望", "反映", "问题",
     "情况", "现在", "已经", "还是", "这个", "那个", "时候", "晚上", "白天", "今天", "每天", "好几", "几天", "联系",
     "电话", "请问", "你好", "您好", "谢谢", "麻烦", "处理", "解决", "相关", "部门", "社区", "小区", "居民", "来电",
     "市民", "诉求", "投诉", "咨询"]
)
EXCERPT = 120


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    def previous(self) -> Period:
        if self.month:
            year, month = (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)
            return period(year, month)
        return period(self.year - 1, None)


def period(year: int, month: int | None = None) -> Period:
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput(_("Give a year between 2000 and 2100."), field="year")
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidInput(_("Give a month between 1 and 12."), field="month")
    tz = timezone.get_current_timezone()
    if month:
        start = dt.datetime(year, month, 1, tzinfo=tz)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    else:
        start, end = dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
    return Period(year=int(year), month=int(month) if month else None, start=start, end=end)


def appeals_in(user, unit, p: Period):
    """Appeals of a period under a unit that ``user`` handles as staff (None: every appeal, for the CLI)."""
    qs = Appeal.objects.all() if user is None else appeals_handled_by(user)
    return (
        qs.filter(paths.subtree_q("path", unit.path), created_at__gte=p.start, created_at__lt=p.end)
        .exclude(status=AppealStatus.WITHDRAWN)
        .only("id", "text", "public_text", "community_id", "status", "created_at")
        .order_by("-created_at", "-id")
    )


def _categorize(model: TextModel, texts: list[str]):
    x = model.vectors(texts)
    labels, codes = model.categorize(x)
    return x, labels, codes


def _cluster(x) -> np.ndarray:
    """Group ids of the rows of ``x`` (l2-normalised): average linkage on cosine distance."""
    n = x.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    distance = np.clip(1.0 - np.asarray((x @ x.T).todense()), 0.0, 2.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=DISTANCE_THRESHOLD)
    return model.fit_predict(distance)


def _key_terms(model: TextModel, centroid: np.ndarray, limit: int = 3) -> list[str]:
    terms = model.vectorizer.terms_cache()
    lexicon = model.featurizer.lexicon
    out: list[str] = []
    for j in np.argsort(-centroid)[:200]:
        if centroid[j] <= 0 or len(out) >= limit:
            break
        raw = terms[j]
        term = raw.removeprefix("w:")
        if len(term) < 2 or "0" in term or term in STOP_TERMS or (not raw.startswith("w:") and term not in lexicon):
            continue
        if any(term in t or t in term for t in out):
            continue
        out.append(term)
    return out


def top_problems(user, *, unit, year: int, month: int | None = None, limit: int = 10) -> dict:
    """The ``limit`` largest problems of a unit in a year (or month), with counts, change and examples."""
    p = period(year, month)
    prev = p.previous()
    current = list(appeals_in(user, unit, p))
    previous = list(appeals_in(user, unit, prev))
    result = {
        "unit": {"id": unit.pk, "name": unit.name, "path": unit.path},
        "period": p.label,
        "previous_period": prev.label,
        "total": len(current),
        "previous_total": len(previous),
        "problems": [],
    }
    loaded = services.active_model() if current else None
    if loaded is None:
        return result
    model = loaded.model
    tax = tx.load()
    x, labels, codes = _categorize(model, [a.text for a in current])
    groups: list[dict] = []
    by_code: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        by_code.setdefault(code, []).append(i)
    for code, rows in by_code.items():
        clustered = rows[:MAX_CLUSTERED]
        ids = _cluster(x[clustered])
        members: dict[int, list[int]] = {}
        for row, gid in zip(clustered, ids, strict=True):
            members.setdefault(int(gid), []).append(row)
        centroids = {gid: np.asarray(x[m].mean(axis=0)).ravel() for gid, m in members.items()}
        groups_of_many = [gid for gid, m in members.items() if len(m) > 1]
        for gid in [g for g, m in members.items() if len(m) == 1 and groups_of_many]:
            # a lone text joins the most similar group of its category rather than stand as a problem
            v = x[members[gid][0]].toarray().ravel()
            target = max(groups_of_many, key=lambda g: float(centroids[g] @ v))
            members[target] += members.pop(gid)
            centroids.pop(gid)
        centroids = {gid: np.asarray(x[m].mean(axis=0)).ravel() for gid, m in members.items()}
        for row in rows[MAX_CLUSTERED:]:
            v = x[row].toarray().ravel()
            gid = max(centroids, key=lambda g: float(centroids[g] @ v))
            members[gid].append(row)
        for gid, m in members.items():
            groups.append({"code": code, "label": labels[m[0]], "rows": m, "centroid": centroids[gid]})
    # the previous period: each appeal joins the nearest group of its category
    previous_counts = [0] * len(groups)
    if previous:
        px, _plabels, pcodes = _categorize(model, [a.text for a in previous])
        index: dict[str, list[int]] = {}
        for g, group in enumerate(groups):
            index.setdefault(group["code"], []).append(g)
        for row, code in enumerate(pcodes):
            candidates = index.get(code, [])
            if not candidates:
                continue
            v = px[row].toarray().ravel()
            sims = [float(groups[g]["centroid"] @ v) / max(np.linalg.norm(groups[g]["centroid"]), 1e-12)
                    for g in candidates]
            best = int(np.argmax(sims))
            if sims[best] >= ASSIGN_SIMILARITY:
                previous_counts[candidates[best]] += 1
    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g]["rows"]), groups[g]["code"]))
    for rank, g in enumerate(order[:limit], start=1):
        group = groups[g]
        node = tax.second_by_code(group["code"])
        name = f"{node.parent}·{node.name}" if node is not None else group["code"]
        terms = _key_terms(model, group["centroid"])
        count, before = len(group["rows"]), previous_counts[g]
        examples = [current[i] for i in sorted(group["rows"], key=lambda i: -current[i].created_at.timestamp())]
        result["problems"].append({
            "rank": rank,
            "label": f"{name}：{'、'.join(terms)}" if terms else name,
            "category": group["label"],
            "subcategory": group["code"],
            "terms": terms,
            "count": count,
            "share": round(count / len(current), 4),
            "previous": before,
            "change": count - before,
            "change_pct": round((count - before) / before, 4) if before else None,
            "examples": [_example(a) for a in _distinct(examples)[:EXAMPLES]],
        })
    return result


def _distinct(appeals: list[Appeal]) -> list[Appeal]:
    """Newest first, a repeated text only once (unless nothing else is left)."""
    seen: set[str] = set()
    first, repeats = [], []
    for a in appeals:
        (repeats if a.text in seen else first).append(a)
        seen.add(a.text)
    return first + repeats


def _example(appeal: Appeal) -> dict:
    text = appeal.public_text or redact_for_community(appeal.text, community_id=appeal.community_id)
    return {"id": appeal.pk, "text": text[:EXCERPT], "status": appeal.status, "created_at": appeal.created_at}
