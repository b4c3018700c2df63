"""双向评价 console pages: the rounds, the form to fill in one's evaluations, and the results."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.selectors import scope_q
from gongzhi.core.errors import DomainError, InvalidInput, NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import evaluation


def _round(user, round_id):
    try:
        return evaluation.access_round(user, round_id)
    except DomainError as exc:
        raise Http404(str(exc.message)) from None


def _streets(user):
    """Streets where the user may open a round."""
    q = scope_q(user, evaluation.READ_ALL_ROLES)
    qs = Place.objects.filter(kind=PlaceKind.STREET).order_by("path")
    return qs if q is None else qs.filter(q)


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), field=field) from None


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Give a whole number."), field=field) from None


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    """评价轮次: the rounds the user takes part in; the street opens a new one here."""
    if not _takes_part(request.user):
        raise Http404(_("Not found."))
    streets = list(_streets(request.user)[:200])
    visible = list(evaluation.rounds_visible_to(request.user)[:200])
    status = 200
    if request.method == "POST":
        try:
            place = next((s for s in streets if str(s.pk) == request.POST.get("place")), None)
            if place is None:
                raise NotFound(field="place")
            rnd = evaluation.create_round(
                actor=request.user, place=place, name=request.POST.get("name", ""),
                starts_on=_date(request.POST.get("starts_on"), "starts_on"),
                ends_on=_date(request.POST.get("ends_on"), "ends_on"),
                scale_min=_int(request.POST.get("scale_min", "1"), "scale_min"),
                scale_max=_int(request.POST.get("scale_max", "5"), "scale_max"))
            messages.success(request, _("The round of evaluation is open."))
            return redirect("insights:evaluation_fill", round_id=rnd.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
    return render(request, "insights/evaluation_rounds.html", {
        "title": _("Two-way evaluation"), "rounds": visible, "streets": streets, "post": request.POST,
    }, status=status)


def _takes_part(user) -> bool:
    from gongzhi.accounts.enums import Role
    from gongzhi.accounts.selectors import roles_of

    return bool(roles_of(user) & {Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.DEPARTMENT_HANDLER})


@login_required
@require_http_methods(["GET", "POST"])
def fill(request, round_id: int):
    """One's evaluations in a round: one form per evaluated party, each saved on its own."""
    rnd = _round(request.user, round_id)
    status, failed = 200, None
    if request.method == "POST":
        try:
            evaluator = next((u for u in evaluation.evaluator_units(request.user, rnd)
                              if str(u.pk) == request.POST.get("evaluator")), None)
            if evaluator is None:
                raise NotFound(field="evaluator")
            scores = {c["code"]: request.POST.get(f"score_{c['code']}", "") for c in rnd.criteria}
            evaluation.submit_evaluation(
                actor=request.user, rnd=rnd, evaluator=evaluator, target_kind=request.POST.get("target_kind", ""),
                target_id=_int(request.POST.get("target"), "target"), scores=scores,
                comment=request.POST.get("comment", ""))
            messages.success(request, _("Evaluation saved."))
            return redirect("insights:evaluation_fill", round_id=rnd.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status, failed = exc.status, request.POST
    forms = evaluation.forms_for(request.user, rnd)
    scale = list(range(rnd.scale_min, rnd.scale_max + 1)) if rnd.scale_max - rnd.scale_min <= 10 else None
    for f in forms:
        for t in f["targets"]:
            given = t["evaluation"].scores if t["evaluation"] else {}
            mine = failed is not None and failed.get("evaluator") == str(f["evaluator"].pk) and \
                failed.get("target_kind") == t["target"].kind and failed.get("target") == str(t["target"].id)
            t["fields"] = [{"code": c["code"], "label": c["label"],
                            "value": str(failed.get(f"score_{c['code']}", "") if mine else given.get(c["code"], ""))}
                           for c in rnd.criteria]
            t["comment"] = failed.get("comment", "") if mine else (t["evaluation"].comment if t["evaluation"] else "")
    return render(request, "insights/evaluation_form.html", {
        "title": rnd.name, "rnd": rnd, "forms": forms, "scale": scale,
        "may_manage": evaluation.may_manage(request.user, rnd),
    }, status=status)


@login_required
@require_POST
def close(request, round_id: int):
    rnd = _round(request.user, round_id)
    try:
        evaluation.close_round(actor=request.user, rnd=rnd)
        messages.success(request, _("The round is closed."))
    except DomainError as exc:
        if exc.status == 403:
            raise Http404(str(exc.message)) from None
        messages.error(request, str(exc.message))
    return redirect("insights:evaluation_results", round_id=rnd.pk)


@login_required
def results(request, round_id: int):
    rnd = _round(request.user, round_id)
    res = evaluation.results(rnd, request.user)
    labels = {c["code"]: c["label"] for c in rnd.criteria}
    for row in res["results"]:
        row["mean_list"] = [(labels[c], (row["means"] or {}).get(c)) for c in labels]
        for e in row["evaluations"] or []:
            e["score_list"] = [e["scores"].get(c) for c in labels]
    for e in res["given"]:
        e["score_list"] = [e["scores"].get(c) for c in labels]
    return render(request, "insights/evaluation_results.html", {
        "title": rnd.name, "rnd": rnd, "res": res, "labels": list(labels.values()),
        "may_manage": evaluation.may_manage(request.user, rnd), "min_anonymous": evaluation.MIN_ANONYMOUS,
    })
