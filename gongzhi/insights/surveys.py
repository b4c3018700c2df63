"""问卷调查 — questionnaires, answers and results with the sample size and a 95 % margin of error.

Result of a question in a unit (the survey's place, or one grid/community under it):
  n = answers to the question from respondents whose place lies in the unit,
  p = positive answers ÷ n (the rate, e.g. 安全感 = 安全 + 比较安全),
  margin of error (95 %) = 1.96 · √(p(1−p)/n) · √((N−n)/(N−1)), in percentage points,
  where N is the unit's active residents (finite population correction; left out when N ≤ n or N is
  unknown). None when n = 0. A unit's rates are shown only to users whose scope covers the unit.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.selectors import covers, scope_paths
from gongzhi.core import paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from .enums import INSIGHT_ROLES, SURVEY_ROLES, ResponseChannel, SurveyStatus
from .models import Question, Survey, SurveyResponse

Z95 = 1.96

# 平安三率 (seed 000: 安全感 98.88 %, 知晓率 94.63 %, 满意度 98.43 %).
SAFETY_TEMPLATE = [
    {"code": "security", "text": "您在本社区生活感到安全吗？",
     "choices": [{"value": "safe", "label": "安全", "positive": True},
                 {"value": "fairly_safe", "label": "比较安全", "positive": True},
                 {"value": "not_very_safe", "label": "不太安全", "positive": False},
                 {"value": "unsafe", "label": "不安全", "positive": False}]},
    {"code": "awareness", "text": "您知道本社区的平安建设工作（网格员、报警求助、矛盾调解渠道）吗？",
     "choices": [{"value": "know", "label": "知道", "positive": True},
                 {"value": "know_some", "label": "知道一些", "positive": True},
                 {"value": "dont_know", "label": "不知道", "positive": False}]},
    {"code": "satisfaction", "text": "您对本社区的平安建设工作满意吗？",
     "choices": [{"value": "satisfied", "label": "满意", "positive": True},
                 {"value": "basically", "label": "基本满意", "positive": True},
                 {"value": "unsatisfied", "label": "不满意", "positive": False}]},
]
TEMPLATES = {"safety": SAFETY_TEMPLATE}


class SurveyClosed(DomainError):
    status = 409
    code = "survey_not_open"


class AlreadyAnswered(DomainError):
    status = 409
    code = "already_answered"


def margin_of_error(p: float, n: int, population: int | None = None) -> float | None:
    """95 % margin of error of a proportion ``p`` from ``n`` answers, in percentage points (unrounded)."""
    if n <= 0:
        return None
    moe = Z95 * math.sqrt(p * (1 - p) / n)
    if population and population > n:
        moe *= math.sqrt((population - n) / (population - 1))
    return 100 * moe


# ---- reads ---------------------------------------------------------------------------------------------

def surveys_visible_to(user):
    """Surveys in the user's scope, and wider surveys that reach into it (a street's survey for a community)."""
    found = scope_paths(user, INSIGHT_ROLES | SURVEY_ROLES)
    qs = Survey.objects.all()
    if found is None:
        return qs
    q = Q(pk__in=[])
    for p in found:
        ancestors = [p[:i] for i in range(1, len(p) + 1)]
        q |= paths.subtree_q("path", p) | Q(path__in=ancestors)
    return qs.filter(q)


def access_survey(user, survey_id) -> Survey:
    try:
        return surveys_visible_to(user).get(pk=int(survey_id))
    except (ValueError, TypeError, Survey.DoesNotExist):
        raise NotFound(field="survey") from None


@dataclass
class QuestionResult:
    code: str
    text: str
    n: int
    positive: int
    rate: float | None
    margin: float | None


def _units(survey: Survey) -> list[Place]:
    """The survey's place and the units one level below it that results are broken down by."""
    root = survey.place
    below = PlaceKind.COMMUNITY if root.kind in (PlaceKind.DISTRICT, PlaceKind.STREET) else PlaceKind.GRID
    return [root, *Place.objects.filter(paths.subtree_q("path", root.path), kind=below).order_by("path")]


def results(survey: Survey, user=None) -> dict:
    """Rates with sample size and margin of error, for the survey's place and each grid/community under it
    that ``user`` may read (all of them when ``user`` is None: the public portal asks for published ones)."""
    questions = list(survey.questions.all())
    positive = {q.code: {c["value"] for c in q.choices if c.get("positive")} for q in questions}
    rows = list(survey.responses.values_list("path", "answers"))
    units = []
    for unit in _units(survey):
        if user is not None and not covers(user, INSIGHT_ROLES | SURVEY_ROLES, unit.path):
            continue
        inside = [a for p, a in rows if p.startswith(unit.path)]
        population = Resident.objects.active().filter(paths.subtree_q("path", unit.path)).count()
        qs = []
        for q in questions:
            answered = [a[q.code] for a in inside if a.get(q.code) is not None]
            n, pos = len(answered), sum(1 for v in answered if v in positive[q.code])
            p = pos / n if n else None
            moe = margin_of_error(p, n, population) if n else None
            qs.append(QuestionResult(q.code, q.text, n, pos, None if p is None else round(100 * p, 2),
                                     None if moe is None else round(moe, 2)).__dict__)
        units.append({"place_id": unit.pk, "name": unit.name, "kind": unit.kind, "path": unit.path,
                      "respondents": len(inside), "population": population, "questions": qs})
    return {"survey": {"id": survey.pk, "title": survey.title, "status": survey.status,
                       "opens_on": survey.opens_on.isoformat(), "closes_on": survey.closes_on.isoformat()},
            "units": units}


def draw_sample(survey: Survey, *, size: int, seed: int) -> list[Resident]:
    """抽样 — a simple random sample of the unit's active residents (reproducible from ``seed``)."""
    if size <= 0:
        raise InvalidInput(_("The sample size must be positive."), field="size")
    ids = list(Resident.objects.active().filter(paths.subtree_q("path", survey.path)).order_by("pk")
               .values_list("pk", flat=True))
    chosen = sorted(random.Random(seed).sample(ids, min(size, len(ids))))  # noqa: S311 - sampling, not secrets
    return list(Resident.objects.filter(pk__in=chosen).select_related("household").order_by("path", "pk"))


# ---- writes --------------------------------------------------------------------------------------------

def _validate_questions(questions: list[dict]) -> None:
    if not questions:
        raise InvalidInput(_("A survey needs at least one question."), field="questions")
    codes = set()
    for i, q in enumerate(questions):
        values = [c.get("value") for c in q.get("choices", [])]
        if not q.get("code") or q["code"] in codes or not q.get("text"):
            raise InvalidInput(_("Each question needs a unique code and a text."), field=f"questions.{i}")
        if len(values) < 2 or len(set(values)) != len(values) or not any(c.get("positive") for c in q["choices"]):
            raise InvalidInput(_("Each question needs two or more distinct choices, one of them positive."),
                               field=f"questions.{i}.choices")
        codes.add(q["code"])


@transaction.atomic
def create_survey(*, actor, place: Place, title: str, opens_on: dt.date, closes_on: dt.date,
                  template: str = "", questions: list[dict] | None = None) -> Survey:
    if not covers(actor, INSIGHT_ROLES, place.path):
        raise NotFound(field="place")
    if template and template not in TEMPLATES:
        raise InvalidInput(_("Unknown survey template."), field="template")
    if closes_on < opens_on:
        raise InvalidInput(_("The survey must close on or after the day it opens."), field="closes_on")
    questions = TEMPLATES[template] if template else (questions or [])
    _validate_questions(questions)
    survey = Survey.objects.create(place=place, path=place.path, title=title, template=template,
                                   opens_on=opens_on, closes_on=closes_on, created_by=actor)
    Question.objects.bulk_create([
        Question(survey=survey, code=q["code"], text=q["text"], choices=q["choices"], sort=i)
        for i, q in enumerate(questions)
    ])
    record_audit(actor=actor, action="survey.create", target=survey, scope_path=survey.path)
    return survey


@transaction.atomic
def set_survey_status(*, actor, survey: Survey, status: str, published: bool | None = None) -> Survey:
    if not covers(actor, INSIGHT_ROLES, survey.path):
        raise Forbidden()
    allowed = {(SurveyStatus.DRAFT, SurveyStatus.OPEN), (SurveyStatus.OPEN, SurveyStatus.CLOSED)}
    if status != survey.status and (survey.status, status) not in allowed:
        raise InvalidInput(_("A survey goes from draft to open to closed."), field="status")
    survey.status = status
    if published is not None:
        survey.published = published
    survey.save(update_fields=["status", "published"])
    record_audit(actor=actor, action=f"survey.{status}", target=survey, scope_path=survey.path)
    return survey


@transaction.atomic
def submit_response(*, actor, survey: Survey, answers: dict, place: Place | None = None,
                    resident: Resident | None = None) -> SurveyResponse:
    """A resident answers for themself on the portal; staff enter a paper answer for a place in their scope."""
    today = timezone.localdate()
    if survey.status != SurveyStatus.OPEN or not (survey.opens_on <= today <= survey.closes_on):
        raise SurveyClosed(_("This survey is not open for answers."))
    if actor.resident_id and place is None and resident is None:
        resident = actor.resident
        place = resident.household.building
        channel = ResponseChannel.PORTAL
    else:
        if place is None:
            raise InvalidInput(_("Choose the respondent's grid or building."), field="place")
        if not covers(actor, SURVEY_ROLES, place.path):
            raise NotFound(field="place")
        if resident is not None and not resident.path.startswith(place.path):
            raise InvalidInput(_("The resident does not live in this place."), field="resident")
        channel = ResponseChannel.STAFF
    if not place.path.startswith(survey.path):
        raise InvalidInput(_("This place is outside the survey's area."), field="place")
    clean = {}
    for q in survey.questions.all():
        value = answers.get(q.code)
        if value not in {c["value"] for c in q.choices}:
            raise InvalidInput(_("Choose one of the answers offered."), field=f"answers.{q.code}")
        clean[q.code] = value
    unknown = set(answers) - set(clean)
    if unknown:
        raise InvalidInput(_("No such question."), field=f"answers.{sorted(unknown)[0]}")
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(survey=survey, place=place, path=place.path, resident=resident,
                                                 channel=channel, answers=clean, recorded_by=actor)
    except IntegrityError:
        raise AlreadyAnswered(_("This resident has already answered this survey.")) from None
