"""信息公开 pages at /public/: no login, aggregates only (see public.py)."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.errors import DomainError

from . import selectors
from .public import MIN_CELL, public_communities, public_figures


def _figures(request, community_id: int) -> dict:
    community = public_communities().filter(pk=community_id).first()
    if community is None:
        raise Http404(_("Not found."))
    period = request.GET.get("period") or None
    if period:
        try:
            period = selectors.parse_period(period)
        except DomainError as exc:
            raise Http404(str(exc.message)) from None
    return public_figures(community, period)


@require_GET
def index(request):
    return render(request, "insights/public_index.html", {"communities": public_communities()})


@require_GET
def community(request, community_id: int):
    return render(request, "insights/public_community.html",
                  {"f": _figures(request, community_id), "min_cell": MIN_CELL})


@require_GET
def community_json(request, community_id: int):
    return JsonResponse(_figures(request, community_id), json_dumps_params={"ensure_ascii": False})
