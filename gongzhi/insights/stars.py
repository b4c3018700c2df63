"""达标创星 — star rating of communities against a standard configured as data.

Scoring (one documented place):
- a computed leaf scores min(100, value ÷ target × 100), its value read from platform data for the year
  (``METRICS``); no data (e.g. no rated case) scores 0 — a figure the platform cannot show earns nothing;
- an assessed leaf scores the assessor's 0–100 (with evidence; 0 until scored);
- a group scores the weighted mean of its children (veto items carry no weight);
- the total is the weighted mean of the top-level indicators, rounded to one decimal;
- stars = how many of the standard's ascending thresholds the total reaches — 0 when any veto item
  (一票否决) is triggered, whatever the score.
The community self-assesses (自评) and submits; the street reviews (审核): approves, fixing score and stars
and publishing them, or returns it with a note.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.selectors import covers, scope_q
from gongzhi.core import paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from . import rates
from .enums import INSIGHT_ROLES, REVIEW_ROLES, SELF_ASSESS_ROLES, AssessmentStatus, IndicatorKind
from .models import Assessment, Evidence, Indicator, IndicatorScore, StarStandard, Survey

K = IndicatorKind
S = AssessmentStatus


class WrongState(DomainError):
    status = 409
    code = "wrong_state"


# ---- metrics computed from platform data: (community, year) → value or None ----------------------------

def _rate(attr_n: str, attr_d: str):
    def metric(community: Place, year: int):
        r = rates.rates_in(community.path, *rates.parse_year(year))
        n, d = getattr(r, attr_n), getattr(r, attr_d)
        return 100 * n / d if d else None
    return metric


def _meetings(community: Place, year: int):
    from gongzhi.deliberation.models import Meeting

    start, end = rates.parse_year(year)
    return Meeting.objects.filter(paths.subtree_q("path", community.path), starts_at__gte=start,
                                  starts_at__lt=end).count()


def _volunteer_hours_per_100(community: Place, year: int):
    from gongzhi.volunteering.enums import RecordStatus
    from gongzhi.volunteering.models import ServiceRecord

    residents = Resident.objects.active().filter(paths.subtree_q("path", community.path)).count()
    if not residents:
        return None
    minutes = ServiceRecord.objects.filter(community=community, status=RecordStatus.CONFIRMED,
                                           served_on__year=year).aggregate(m=Sum("minutes"))["m"] or 0
    return minutes / 60 / residents * 100


def _survey_rate(code: str):
    def metric(community: Place, year: int):
        from .surveys import results

        ancestors = [community.path[:i] for i in range(1, len(community.path) + 1)]
        survey = (Survey.objects.filter(path__in=ancestors, status="closed", closes_on__year=year,
                                        questions__code=code).order_by("-closes_on", "-id").first())
        if survey is None:
            return None
        for unit in results(survey)["units"]:
            if unit["place_id"] == community.pk:
                q = next(q for q in unit["questions"] if q["code"] == code)
                return q["rate"]
        return None
    return metric


METRICS = {
    "appeals.response_rate": _rate("responded", "response_due"),
    "appeals.resolution_rate": _rate("resolved", "resolution_known"),
    "appeals.satisfaction_rate": _rate("satisfied", "rated"),
    "deliberation.meetings": _meetings,
    "volunteering.hours_per_100_residents": _volunteer_hours_per_100,
    "survey.security": _survey_rate("security"),
    "survey.awareness": _survey_rate("awareness"),
    "survey.satisfaction": _survey_rate("satisfaction"),
}


# ---- evaluation ----------------------------------------------------------------------------------------

def _weighted(children: list[dict]) -> float:
    weighted = [(c["score"], float(c["weight"])) for c in children if c["kind"] != K.VETO]
    total = sum(w for _, w in weighted)
    return sum(s * w for s, w in weighted) / total if total else 0.0


def evaluate(assessment: Assessment) -> dict:
    """The whole tree with each indicator's value, score and evidence; the total, the stars and why."""
    indicators = list(assessment.standard.indicators.all())
    scores = {s.indicator_id: s for s in assessment.scores.prefetch_related("files")}
    children = defaultdict(list)
    for i in indicators:
        children[i.parent_id].append(i)
    vetoes = []

    def node(i: Indicator) -> dict:
        s = scores.get(i.pk)
        out = {"id": i.pk, "code": i.code, "name": i.name, "kind": i.kind, "weight": float(i.weight),
               "source": i.source, "target": float(i.target), "value": None, "score": 0.0,
               "evidence": s.evidence if s else "", "files": [f.name for f in s.files.all()] if s else [],
               "triggered": bool(s and s.triggered), "children": []}
        if i.kind == K.GROUP:
            out["children"] = [node(c) for c in children[i.pk]]
            out["score"] = _weighted(out["children"])
        elif i.kind == K.COMPUTED:
            value = METRICS[i.source](assessment.community, assessment.year) if i.source in METRICS else None
            out["value"] = None if value is None else round(float(value), 2)
            out["score"] = 0.0 if value is None else min(100.0, float(value) / float(i.target) * 100)
        elif i.kind == K.ASSESSED:
            out["value"] = None if s is None or s.value is None else float(s.value)
            out["score"] = out["value"] or 0.0
        elif out["triggered"]:
            vetoes.append(i.name)
        return out

    tree = [node(i) for i in children[None]]

    def round_scores(nodes):
        for n in nodes:
            n["score"] = round(n["score"], 1)
            round_scores(n["children"])

    total = round(_weighted(tree), 1)
    round_scores(tree)
    thresholds = [float(t) for t in assessment.standard.thresholds]
    stars = 0 if vetoes else sum(1 for t in thresholds if total >= t)
    return {"assessment": {"id": assessment.pk, "community_id": assessment.community_id,
                           "community": assessment.community.name, "year": assessment.year,
                           "status": assessment.status, "review_note": assessment.review_note},
            "standard": {"code": assessment.standard.code, "name": assessment.standard.name,
                         "thresholds": thresholds},
            "score": total, "stars": stars, "vetoed": bool(vetoes), "vetoes": vetoes, "indicators": tree}


# ---- reads ---------------------------------------------------------------------------------------------

def assessments_visible_to(user):
    q = scope_q(user, INSIGHT_ROLES)
    qs = Assessment.objects.select_related("standard", "community")
    return qs if q is None else qs.filter(q)


def access_assessment(user, assessment_id) -> Assessment:
    try:
        return assessments_visible_to(user).get(pk=int(assessment_id))
    except (ValueError, TypeError, Assessment.DoesNotExist):
        raise NotFound(field="assessment") from None


# ---- writes --------------------------------------------------------------------------------------------

def _may_self_assess(actor, a: Assessment) -> bool:
    return covers(actor, SELF_ASSESS_ROLES, a.path)


def _may_review(actor, a: Assessment) -> bool:
    return covers(actor, REVIEW_ROLES, a.path)


def check_may_score(actor, a: Assessment) -> None:
    """The community scores its own draft; the street scores a draft or a submitted one; nobody a final one."""
    if a.status == S.DRAFT and not (_may_self_assess(actor, a) or _may_review(actor, a)):
        raise Forbidden()
    if a.status == S.SUBMITTED and not _may_review(actor, a):
        raise WrongState(_("This rating was submitted; only the street may change it now."))
    if a.status == S.REVIEWED:
        raise WrongState(_("This rating has been reviewed and is final."))


@transaction.atomic
def start_assessment(*, actor, standard: StarStandard, community: Place, year: int) -> Assessment:
    if community.kind != PlaceKind.COMMUNITY:
        raise InvalidInput(_("Only a community is rated."), field="community")
    if not (covers(actor, SELF_ASSESS_ROLES, community.path) or covers(actor, REVIEW_ROLES, community.path)):
        raise NotFound(field="community")
    a, _created = Assessment.objects.get_or_create(standard=standard, community=community, year=year,
                                                   defaults={"path": community.path})
    return a


@transaction.atomic
def score_indicator(*, actor, assessment: Assessment, indicator: Indicator, evidence: str,
                    value: Decimal | float | None = None, triggered: bool = False) -> IndicatorScore:
    """An assessor's score (assessed items) or finding (veto items), always with its evidence."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_may_score(actor, a)
    if indicator.standard_id != a.standard_id or indicator.kind not in (K.ASSESSED, K.VETO):
        raise InvalidInput(_("This indicator is not scored by hand."), field="indicator")
    if not (evidence or "").strip():
        raise InvalidInput(_("Describe the evidence for this score."), field="evidence")
    if indicator.kind == K.ASSESSED:
        if value is None or not (0 <= Decimal(str(value)) <= 100):
            raise InvalidInput(_("Give a score from 0 to 100."), field="value")
        value, triggered = Decimal(str(value)).quantize(Decimal("0.1")), False
    else:
        value = None
    row, _created = IndicatorScore.objects.update_or_create(
        assessment=a, indicator=indicator,
        defaults={"value": value, "triggered": triggered, "evidence": evidence.strip(), "scored_by": actor})
    record_audit(actor=actor, action="star.score", target=a, field=indicator.code,
                 data={"value": None if value is None else str(value), "triggered": triggered})
    return row


@transaction.atomic
def submit_assessment(*, actor, assessment: Assessment) -> Assessment:
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not _may_self_assess(actor, a):
        raise Forbidden()
    if a.status != S.DRAFT:
        raise WrongState(_("Only a rating in self-assessment can be submitted."))
    result = evaluate(a)
    a.status, a.score, a.stars, a.vetoed = S.SUBMITTED, Decimal(str(result["score"])), result["stars"], result["vetoed"]
    a.save(update_fields=["status", "score", "stars", "vetoed"])
    record_audit(actor=actor, action="star.submit", target=a)
    return a


@transaction.atomic
def review_assessment(*, actor, assessment: Assessment, approve: bool, note: str = "") -> Assessment:
    """审核: the street approves (score and stars fixed and published) or returns the rating with a note."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not _may_review(actor, a):
        raise Forbidden()
    if a.status != S.SUBMITTED:
        raise WrongState(_("Only a submitted rating can be reviewed."))
    if not approve and not note.strip():
        raise InvalidInput(_("Say why the rating is returned."), field="note")
    if approve:
        result = evaluate(a)
        a.score, a.stars, a.vetoed = Decimal(str(result["score"])), result["stars"], result["vetoed"]
        a.status, a.published, a.reviewed_by, a.reviewed_at = S.REVIEWED, True, actor, timezone.now()
    else:
        a.status = S.DRAFT
    a.review_note = note.strip()
    a.save()
    record_audit(actor=actor, action="star.review" if approve else "star.return", target=a, reason=a.review_note)
    return a


# ---- the shipped default: 13335 工作法 and the 五在社区 goals (seed 000/003) ---------------------------

DEFAULT_STANDARD = {
    "code": "junmen-13335", "name": "达标创星（13335 工作法·五在社区）", "thresholds": [60, 70, 80, 90, 95],
    "indicators": [
        ("party", "党建引领", K.GROUP, 20, "", 100, [
            ("party-org", "党组织标准化规范化建设", K.ASSESSED, 1, "", 100, []),
            ("party-inservice", "在职党员报到服务", K.ASSESSED, 1, "", 100, []),
        ]),
        ("mechanisms", "三项机制（政府治理·居民自治·社区共治）", K.GROUP, 20, "", 100, [
            ("meetings", "议事协商会议（每年 12 次达标）", K.COMPUTED, 1, "deliberation.meetings", 12, []),
            ("self-governance", "居民自治制度与公约", K.ASSESSED, 1, "", 100, []),
        ]),
        ("platforms", "三个平台（工作·诉求·服务）", K.GROUP, 30, "", 100, [
            ("response", "诉求响应率", K.COMPUTED, 30, "appeals.response_rate", 100, []),
            ("resolution", "诉求解决率", K.COMPUTED, 35, "appeals.resolution_rate", 100, []),
            ("satisfaction", "诉求满意率", K.COMPUTED, 35, "appeals.satisfaction_rate", 100, []),
        ]),
        ("guarantees", "三项保障（队伍·设施·经费）", K.GROUP, 10, "", 100, [
            ("volunteer-hours", "志愿服务时长（每百名居民 200 小时达标）", K.COMPUTED, 1,
             "volunteering.hours_per_100_residents", 200, []),
            ("facilities", "阵地设施与经费保障", K.ASSESSED, 1, "", 100, []),
        ]),
        ("five-in-community", "五在社区（安居·友爱·和谐·欢乐·幸福）", K.GROUP, 20, "", 100, [
            ("safety-security", "平安三率·安全感", K.COMPUTED, 1, "survey.security", 100, []),
            ("safety-awareness", "平安三率·知晓率", K.COMPUTED, 1, "survey.awareness", 100, []),
            ("safety-satisfaction", "平安三率·满意度", K.COMPUTED, 1, "survey.satisfaction", 100, []),
        ]),
        ("veto-safety", "发生重大安全责任事故", K.VETO, 0, "", 100, []),
        ("veto-petition", "发生越级集体访且处置不力", K.VETO, 0, "", 100, []),
        ("veto-discipline", "社区干部严重违纪违法", K.VETO, 0, "", 100, []),
    ],
}


@transaction.atomic
def install_standard(spec: dict = DEFAULT_STANDARD) -> StarStandard:
    """Create (or return, unchanged) a standard from its nested spec; safe to repeat."""
    standard, created = StarStandard.objects.get_or_create(
        code=spec["code"], defaults={"name": spec["name"], "thresholds": spec["thresholds"]})
    if not created:
        return standard

    def add(items, parent):
        for n, (code, name, kind, weight, source, target, kids) in enumerate(items):
            node = Indicator.objects.create(standard=standard, parent=parent, code=code, name=name, kind=kind,
                                            weight=weight, source=source, target=target, sort=n)
            add(kids, node)

    add(spec["indicators"], None)
    return standard


EVIDENCE_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".xls", ".docx", ".doc", ".csv"})
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attach_evidence(*, actor, assessment: Assessment, indicator: Indicator, file) -> Evidence:
    """佐证材料 — a file (PDF, image, spreadsheet, document; at most 10 MB) for an indicator already scored."""
    from pathlib import PurePath

    check_may_score(actor, assessment)
    row = assessment.scores.filter(indicator=indicator).first()
    if row is None:
        raise InvalidInput(_("Score this indicator before attaching evidence."), field="indicator")
    if PurePath(file.name or "").suffix.lower() not in EVIDENCE_SUFFIXES:
        raise InvalidInput(_("Attach a PDF, an image, a spreadsheet or a document."), field="file")
    if file.size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."), field="file")
    ev = Evidence.objects.create(score=row, file=file, name=PurePath(file.name).name[:200], uploaded_by=actor)
    record_audit(actor=actor, action="star.evidence", target=assessment, field=indicator.code,
                 data={"file": ev.name})
    return ev
