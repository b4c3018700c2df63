"""信息公开 — a community's published figures, readable by anyone without logging in.

Aggregates only: counts and rates of appeals, the results of surveys the community chose to publish
(units with fewer than ``MIN_CELL`` respondents are withheld, so no one's answer can be read off a
small grid), and star ratings once the street has reviewed them (scores only; evidence stays inside).
Never a name, an address below the grid, a phone, an ID number or a case's text.
"""

from django.utils import timezone

from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import rates
from .enums import SurveyStatus
from .models import Assessment, Survey
from .stars import evaluate
from .surveys import results

MIN_CELL = 5
RATE_KEYS = ("cases", "response_rate", "resolution_rate", "satisfaction_rate", "score")


def public_communities():
    return Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path")


def public_figures(community: Place, month: str | None = None) -> dict:
    month = month or rates.previous_month(rates.current_month())
    year = int(month[:4])
    start, end = rates.parse_month(month)
    month_rates = rates.rates_for(community.path, month)
    year_rates = rates.rates_in(community.path, rates.parse_year(year)[0], end)
    categories = rates.summary(community, month)["by_category"][:10]
    ancestors = [community.path[:i] for i in range(1, len(community.path) + 1)]
    surveys = []
    for survey in Survey.objects.filter(path__in=ancestors, status=SurveyStatus.CLOSED, published=True)[:10]:
        units = [u for u in results(survey)["units"]
                 if u["path"].startswith(community.path) and u["respondents"] >= MIN_CELL]
        surveys.append({"title": survey.title, "closes_on": survey.closes_on.isoformat(),
                        "units": [{"name": u["name"], "respondents": u["respondents"],
                                   "questions": [{k: q[k] for k in ("code", "text", "n", "rate", "margin")}
                                                 for q in u["questions"]]} for u in units]})
    ratings = []
    for a in Assessment.objects.filter(community=community, published=True).select_related("standard", "community"):
        e = evaluate(a)
        ratings.append({"year": a.year, "standard": a.standard.name, "score": float(a.score), "stars": a.stars,
                        "vetoed": a.vetoed,
                        "indicators": [{"name": i["name"], "score": i["score"]} for i in e["indicators"]
                                       if i["kind"] != "veto"]})
    return {
        "community": {"id": community.pk, "name": community.name},
        "period": month,
        "year_to_date": f"{year}-01…{month}",
        "month": {k: getattr(month_rates, k) for k in RATE_KEYS},
        "year": {k: getattr(year_rates, k) for k in RATE_KEYS},
        "categories": categories,
        "surveys": surveys,
        "ratings": ratings,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
