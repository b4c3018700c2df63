"""数据看板 console pages: the dashboard of one unit and month, and its monthly report download."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.errors import DomainError

from . import rates, selectors
from .monthly import monthly_figures
from .reports import write_pdf, write_xlsx


def unit_and_period(request):
    """The unit (``place``) and month (``period``) a page asks for; out of scope or malformed: 404."""
    try:
        place = selectors.access_unit(request.user, request.GET.get("place"))
        period = selectors.parse_period(request.GET.get("period"))
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    return place, period


@login_required
@require_GET
def dashboard(request):
    place, period = unit_and_period(request)
    summary = rates.summary(place, period)
    charts = {
        "categories": [{"name": c["category"] or _("uncategorised"), "value": c["count"]}
                       for c in summary["by_category"]],
        "weeks": summary["by_week"],
        "weeksLabel": _("Appeals per week"),
    }
    return render(request, "insights/dashboard.html", {
        "title": _("Dashboard"),
        "s": summary,
        "place": place,
        "period": period,
        "previous_period": rates.previous_month(period),
        "charts": charts,
        "rate_rows": [
            ("response_rate", _("Response rate")),
            ("resolution_rate", _("Resolution rate")),
            ("satisfaction_rate", _("Satisfaction rate")),
            ("score", _("Combined score")),
        ],
    })


@login_required
@require_GET
def monthly_report(request, fmt: str):
    place, period = unit_and_period(request)
    return report_download(monthly_figures(place, period), fmt, f"monthly-{place.pk}-{period}")


def report_download(fig: dict, fmt: str, name: str) -> HttpResponse:
    """A report's figures written as xlsx or PDF, answered as the download ``<name>.<fmt>``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report.{fmt}"
        (write_pdf if fmt == "pdf" else write_xlsx)(fig, out)
        data = out.read_bytes()
    content_type = "application/pdf" if fmt == "pdf" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


FIGURE_LABELS = {
    "cases": _("Appeals this month"),
    "responded": _("Replied in time"),
    "response_due": _("Due for a reply"),
    "not_responded": _("Not replied in time"),
    "resolved": _("Resolved"),
    "resolution_known": _("With a resolution recorded"),
    "unresolved": _("Not resolved"),
    "satisfied": _("Satisfied"),
    "rated": _("Rated"),
    "unsatisfied": _("Not satisfied"),
    "overdue": _("Overdue now"),
}


@login_required
@require_GET
def drill_down(request):
    """The cases behind one figure of the dashboard, inside the unit and the viewer's own scope only."""
    place, period = unit_and_period(request)
    figure = request.GET.get("figure") or "cases"
    if figure not in FIGURE_LABELS:
        raise Http404(_("Unknown figure."))
    try:
        qs = selectors.cases_behind(request.user, place, period, figure=figure,
                                    category=request.GET.get("category"), week=request.GET.get("week"))
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "insights/cases.html", {
        "title": f"{place.name} · {period} · {FIGURE_LABELS[figure]}",
        "place": place,
        "period": period,
        "figure": figure,
        "figure_label": FIGURE_LABELS[figure],
        "category": request.GET.get("category"),
        "week": request.GET.get("week"),
        "count": page.paginator.count,
        "page": page,
    })


@login_required
@require_GET
def star_list(request):
    """达标创星: the ratings of the communities in the viewer's scope."""
    from . import stars

    if not selectors.covers_any(request.user):
        raise Http404(_("Not found."))
    return render(request, "insights/stars.html", {
        "title": _("Star rating"),
        "assessments": stars.assessments_visible_to(request.user).order_by("-year", "path")[:500],
    })


@login_required
@require_GET
def star_detail(request, assessment_id: int):
    """One rating: the indicator tree with each value, score and evidence — where the community stands and why."""
    from . import stars

    try:
        result = stars.evaluate(stars.access_assessment(request.user, assessment_id))
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    rows = []

    def walk(nodes, depth):
        for n in nodes:
            rows.append({**n, "depth": depth})
            walk(n["children"], depth + 1)

    walk(result["indicators"], 0)
    return render(request, "insights/star_detail.html", {"title": _("Star rating"), "r": result, "rows": rows})


@login_required
@require_GET
def survey_detail(request, survey_id: int):
    """问卷结果: rates with sample size and margin of error for each unit the viewer may read."""
    from . import surveys

    try:
        survey = surveys.access_survey(request.user, survey_id)
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    return render(request, "insights/survey.html", {"title": survey.title,
                                                    "res": surveys.results(survey, user=request.user)})
