"""数据看板 API under /api/v1/insights/: the same figures as the dashboard and the monthly report."""

from ninja import Router

from . import rates, selectors

router = Router(tags=["insights"])


@router.get("/rates")
def get_rates(request, place: str | None = None, period: str | None = None):
    """三率 with the previous period, by category and week, overdue count and the community ranking."""
    unit = selectors.access_unit(request.user, place)
    return rates.summary(unit, selectors.parse_period(period))
