"""Console pages of 智能分拨: the year's (or month's) top problems, an appeal's likely duplicates (a fragment the
case page can load), and the classifier models (administrators)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.selectors import scopes_of
from gongzhi.appeals.selectors import access_appeal
from gongzhi.core.errors import DomainError, Forbidden, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry.selectors import places_visible_to

from . import duplicates, services, topics
from .models import TriageModel

UNIT_KINDS = ("district", "street", "community", "grid")


def pages(view):
    """Refusals of the domain as the pages show them: missing → 404 page, forbidden → 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None

    return login_required(wrapped)


def _units(user):
    """Places the user may report on, widest first (at most 300)."""
    qs = places_visible_to(user).filter(kind__in=UNIT_KINDS).order_by("path")[:300]
    return [p for p in qs if user.has_perm("triage.view_top_problems", p)]


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@pages
def top_problems(request):
    units = _units(request.user)
    if not units:
        raise NotFound()
    chosen = _int(request.GET.get("unit"))
    home = {s.place_id for s in scopes_of(request.user)}
    unit = next((u for u in units if u.pk == chosen), None) or next((u for u in units if u.pk in home), units[0])
    year = _int(request.GET.get("year"), timezone.localdate().year)
    month = _int(request.GET.get("month"))
    report, error = None, ""
    try:
        report = topics.top_problems(request.user, unit=unit, year=year, month=month)
    except DomainError as exc:
        error = str(exc.message)
    chart = None
    if report and report["problems"]:
        chart = {
            "labels": [p["label"] for p in report["problems"]][::-1],
            "current": [p["count"] for p in report["problems"]][::-1],
            "previous": [p["previous"] for p in report["problems"]][::-1],
            "currentLabel": report["period"],
            "previousLabel": report["previous_period"],
        }
    context = {
        "units": units, "unit": unit, "year": year, "month": month, "report": report, "error": error,
        "chart": chart, "months": range(1, 13),
    }
    return render(request, "triage/top_problems.html", context)


@pages
def appeal_duplicates(request, appeal_id: int):
    """The likely duplicates of a case, as a fragment (``hx-get`` from the case page) or a page."""
    appeal = access_appeal(request.user, appeal_id)
    require(request.user, "triage.view_duplicates")
    found = [d.as_dict() for d in duplicates.duplicates_of(request.user, appeal)]
    template = "triage/duplicates.html#list" if request.htmx else "triage/duplicates.html"
    return render(request, template, {"appeal": appeal, "found": found, "window": duplicates.WINDOW_DAYS})


@pages
def models(request):
    require(request.user, "triage.change_triagemodel")
    rows = list(TriageModel.objects.order_by("name", "-version"))
    return render(request, "triage/models.html", {"rows": rows})


@pages
@require_POST
def activate(request, model_id: int):
    require(request.user, "triage.change_triagemodel")
    row = TriageModel.objects.filter(pk=model_id).first()
    if row is None:
        raise NotFound()
    try:
        services.activate_model(actor=request.user, model=row)
        messages.success(request, _("Model %(model)s is now in use.") % {"model": row.key})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("triage:models")
