"""Console forms over the survey and star-rating services: open a 平安三率 survey, draw its sample and record
answers collected by phone or at the door (工作人员代录); score a hand-scored star indicator with evidence."""

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.selectors import covers, scope_paths, scope_q
from gongzhi.core import paths
from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.core.masking import mask_name
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from . import selectors, stars, surveys
from .enums import INSIGHT_ROLES, SURVEY_ROLES, IndicatorKind, SurveyStatus
from .models import Indicator


def _fail(request, exc: DomainError) -> int:
    messages.error(request, str(exc.message))
    return exc.status


def _date(value, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), field=field) from None


# ---- surveys -------------------------------------------------------------------------------------------

def _survey_units(user):
    """Districts, streets and communities where the user may run a survey."""
    q = scope_q(user, INSIGHT_ROLES)
    qs = Place.objects.filter(kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY]).order_by("path")
    return qs if q is None else qs.filter(q)


@login_required
@require_http_methods(["GET", "POST"])
def survey_list(request):
    """问卷调查: the surveys the user may read; a new 平安三率 survey for one of their units."""
    found = scope_paths(request.user, INSIGHT_ROLES | SURVEY_ROLES)
    if found is not None and not found:
        raise Http404(_("Not found."))
    units = list(_survey_units(request.user)[:300])
    status = 200
    if request.method == "POST":
        try:
            place = next((u for u in units if str(u.pk) == request.POST.get("place")), None)
            if place is None:
                raise NotFound(field="place")
            title = request.POST.get("title", "").strip()
            if not title or len(title) > 100:
                raise InvalidInput(_("Give the survey a title of at most 100 characters."), field="title")
            survey = surveys.create_survey(
                actor=request.user, place=place, title=title, template="safety",
                opens_on=_date(request.POST.get("opens_on"), "opens_on"),
                closes_on=_date(request.POST.get("closes_on"), "closes_on"))
            messages.success(request, _("Survey created. Open it to record answers."))
            return redirect("insights:survey_entry", survey_id=survey.pk)
        except DomainError as exc:
            status = _fail(request, exc)
    return render(request, "insights/survey_list.html", {
        "title": _("Surveys"), "surveys": surveys.surveys_visible_to(request.user).select_related("place")[:200],
        "units": units, "post": request.POST,
    }, status=status)


def _answer_places(user, survey):
    """Grids and buildings inside the survey's area where the user may record answers."""
    q = scope_q(user, SURVEY_ROLES)
    qs = Place.objects.filter(paths.subtree_q("path", survey.path),
                              kind__in=[PlaceKind.GRID, PlaceKind.BUILDING]).select_related("parent")
    return list((qs if q is None else qs.filter(q)).order_by("path")[:500])


def _survey_page(request, survey, *, status=200, post=None):
    sample, sample_error = None, None
    may_manage = covers(request.user, INSIGHT_ROLES, survey.path)
    may_sample = selectors.covers_unit(request.user, survey.path)  # the survey unit's staff, as in the API
    if request.GET.get("size") and may_sample:
        try:
            try:
                size, seed = int(request.GET["size"]), int(request.GET.get("seed") or 1)
            except ValueError:
                raise InvalidInput(_("Give the sample size as a whole number."), field="size") from None
            if size > 500:
                raise InvalidInput(_("Draw at most 500 residents at a time."), field="size")
            sample = [{"resident": r.pk, "name": mask_name(r.name), "building_id": r.household.building_id,
                       "building": r.household.building.name, "room_no": r.household.room_no}
                      for r in surveys.draw_sample(survey, size=size, seed=seed)]
        except DomainError as exc:
            sample_error = str(exc.message)
            status = exc.status
    post = post or {}
    questions = list(survey.questions.all())
    return render(request, "insights/survey_entry.html", {
        "title": survey.title, "survey": survey, "questions": questions,
        "places": _answer_places(request.user, survey), "sample": sample, "sample_error": sample_error,
        "may_manage": may_manage, "may_sample": may_sample, "is_open": survey.status == SurveyStatus.OPEN, "post": post,
        "prefill_place": post.get("place") or request.GET.get("place", ""),
        "prefill_resident": post.get("resident") or request.GET.get("resident", ""),
        "answers": {q.code: post.get(f"q_{q.code}", "") for q in questions},
        "size": request.GET.get("size", ""), "seed": request.GET.get("seed", "1"),
    }, status=status)


def _survey(user, survey_id):
    try:
        return surveys.access_survey(user, survey_id)
    except DomainError as exc:
        raise Http404(str(exc.message)) from None


@login_required
@require_http_methods(["GET", "POST"])
def survey_entry(request, survey_id: int):
    """Record one answer collected by phone or at the door; draw the sample of residents to visit."""
    survey = _survey(request.user, survey_id)
    if request.method == "GET":
        return _survey_page(request, survey)
    try:
        place = next((p for p in _answer_places(request.user, survey) if str(p.pk) == request.POST.get("place")), None)
        if place is None:
            raise InvalidInput(_("Choose the respondent's grid or building."), field="place")
        resident = None
        if request.POST.get("resident"):
            resident = Resident.objects.filter(pk=request.POST["resident"] if request.POST["resident"].isdigit()
                                               else 0).first()
            if resident is None:
                raise InvalidInput(_("No such resident."), field="resident")
        answers = {q.code: request.POST.get(f"q_{q.code}", "") for q in survey.questions.all()}
        surveys.submit_response(actor=request.user, survey=survey, answers=answers, place=place, resident=resident)
        messages.success(request, _("Answer recorded."))
        return redirect("insights:survey_entry", survey_id=survey.pk)
    except DomainError as exc:
        return _survey_page(request, survey, status=_fail(request, exc), post=request.POST)


@login_required
@require_POST
def survey_status(request, survey_id: int):
    """Open or close the survey (and publish its results on the portal once closed)."""
    survey = _survey(request.user, survey_id)
    try:
        surveys.set_survey_status(actor=request.user, survey=survey, status=request.POST.get("status", ""),
                                  published=request.POST.get("published") == "1" or None)
        messages.success(request, _("Survey updated."))
    except Forbidden:
        raise Http404(_("Not found.")) from None
    except DomainError as exc:
        _fail(request, exc)
    return redirect("insights:survey_entry", survey_id=survey.pk)


# ---- star rating: an assessor's score with evidence -----------------------------------------------------

def _scorable(a) -> list[Indicator]:
    kinds = [IndicatorKind.ASSESSED, IndicatorKind.VETO]
    return list(Indicator.objects.filter(standard_id=a.standard_id, kind__in=kinds).order_by("sort", "id"))


@login_required
@require_http_methods(["GET", "POST"])
def star_score(request, assessment_id: int):
    """评审打分: score an indicator scored by hand (or record a veto finding) with its evidence."""
    try:
        a = stars.access_assessment(request.user, assessment_id)
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    indicators = _scorable(a)
    status, blocked = 200, None
    try:
        stars.check_may_score(request.user, a)
    except Forbidden:
        raise Http404(_("Not found.")) from None
    except DomainError as exc:
        blocked = str(exc.message)
        status = exc.status
    if request.method == "POST" and blocked is None:
        try:
            indicator = next((i for i in indicators if i.code == request.POST.get("indicator")), None)
            if indicator is None:
                raise InvalidInput(_("This indicator is not scored by hand."), field="indicator")
            value = None
            if indicator.kind == IndicatorKind.ASSESSED:
                raw = (request.POST.get("value") or "").strip()
                try:
                    value = float(raw)
                except ValueError:
                    value = None
                if value is None or not math.isfinite(value):
                    raise InvalidInput(_("Give a score from 0 to 100."), field="value")
            upload = request.FILES.get("file")
            with transaction.atomic():
                stars.score_indicator(actor=request.user, assessment=a, indicator=indicator,
                                      evidence=request.POST.get("evidence", "")[:2000], value=value,
                                      triggered=request.POST.get("triggered") == "1")
                if upload is not None:
                    stars.attach_evidence(actor=request.user, assessment=a, indicator=indicator, file=upload)
            messages.success(request, _("Score saved."))
            return redirect("insights:star_detail", assessment_id=a.pk)
        except DomainError as exc:
            status = _fail(request, exc)
    scores = {s.indicator_id: s for s in a.scores.all()}
    chosen = request.POST.get("indicator") or request.GET.get("indicator") or (indicators[0].code if indicators else "")
    rows = [{"code": i.code, "name": i.name, "kind": i.kind, "selected": i.code == chosen,
             "current": scores.get(i.pk)} for i in indicators]
    current = next((r["current"] for r in rows if r["selected"]), None)
    if request.method == "POST":
        value, evidence = request.POST.get("value", ""), request.POST.get("evidence", "")
        triggered = request.POST.get("triggered") == "1"
    else:
        value = "" if current is None or current.value is None else current.value
        evidence, triggered = (current.evidence, current.triggered) if current else ("", False)
    return render(request, "insights/star_score.html", {
        "title": _("Score an indicator"), "a": a, "rows": rows, "blocked": blocked,
        "chosen": next((r for r in rows if r["selected"]), None), "value": value, "evidence": evidence,
        "triggered": triggered,
    }, status=status)
