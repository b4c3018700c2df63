"""网格地图 and 年报 console pages: the grid map of a unit and month (a whole page, or the fragment the dashboard
loads), and the yearly report download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.errors import DomainError

from . import selectors
from .gridmap import grid_map
from .monthly import yearly_figures
from .reports import parse_year
from .views import report_download, unit_and_period

# Colour of a tile: its satisfaction rate against these bounds (%), "none" when no case was rated.
SATISFACTION_BANDS = ((90, "good"), (75, "fair"), (0, "poor"))


def satisfaction_band(rate: float | None) -> str:
    if rate is None:
        return "none"
    return next(band for bound, band in SATISFACTION_BANDS if rate >= bound)


@login_required
@require_GET
def gridmap(request):
    """The grid map; ``?fragment=1`` gives only the map, for the dashboard to insert."""
    place, period = unit_and_period(request)
    data = grid_map(place, period)
    for block in data["communities"]:
        for tile in [*block["grids"], *([block["not_in_grid"]] if block["not_in_grid"] else [])]:
            tile["band"] = satisfaction_band(tile["satisfaction_rate"])
    template = "insights/_gridmap.html" if request.GET.get("fragment") else "insights/gridmap.html"
    return render(request, template, {"title": _("Grid map"), "map": data, "place": place, "period": period})


@login_required
@require_GET
def yearly_report(request, fmt: str):
    """年报 of a unit the viewer reads (missing and forbidden: 404), as xlsx or PDF."""
    try:
        place = selectors.access_unit(request.user, request.GET.get("place"))
        year = parse_year(request.GET.get("year") or str(timezone.localdate().year))  # default: this year
    except DomainError as exc:
        raise Http404(str(exc.message)) from None
    return report_download(yearly_figures(place, year), fmt, f"yearly-{place.pk}-{year}")
