"""Demo data for 数据看板: the shipped star standard (达标创星, 13335 工作法), the first daily rollup, and for the
Junmen profile a live year: the community's star self-assessment opened, a 平安三率 survey with answers
collected at the door, and the street's two-way evaluation round (双向评价) with the first evaluations given.
Everything goes through the same services the pages use."""

import datetime as dt

from django.utils import timezone

from gongzhi.core.seeding import SeedContext

from . import evaluation, stars, surveys
from .enums import SurveyStatus
from .rollup import run_rollup
from .stars import install_standard

SAMPLE = 150  # residents drawn for the survey
ANSWERED = 110  # of whom answered at the door
# Answer weights close to seed 000's published rates (安全感 98.88 %, 知晓率 94.63 %, 满意度 98.43 %).
WEIGHTS = {
    "security": {"safe": 70, "fairly_safe": 29, "not_very_safe": 1, "unsafe": 0},
    "awareness": {"know": 60, "know_some": 35, "dont_know": 5},
    "satisfaction": {"satisfied": 75, "basically": 23, "unsatisfied": 2},
}
# Scores (1–5) the community gives by kind of party, and the street gives communities.
SCORES = {"street": (4, 5), "department": (3, 5), "community": (4, 5)}


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _survey(ctx: SeedContext, community, secretary) -> dict:
    today = timezone.localdate()  # answers are taken on the real day, whatever --today the seed was given
    survey = surveys.create_survey(actor=secretary, place=community, title=f"{today.year}年平安三率测评",
                                   opens_on=today - dt.timedelta(days=20), closes_on=today + dt.timedelta(days=10),
                                   template="safety")
    surveys.set_survey_status(actor=secretary, survey=survey, status=SurveyStatus.OPEN, published=True)
    sample = surveys.draw_sample(survey, size=SAMPLE, seed=ctx.rng.randrange(1 << 30))
    answered = 0
    for resident in sample[:ANSWERED]:
        answers = {code: _pick(ctx.rng, weights) for code, weights in WEIGHTS.items()}
        surveys.submit_response(actor=secretary, survey=survey, answers=answers, resident=resident,
                                place=resident.household.building)
        answered += 1
    return {"surveys": 1, "survey_responses": answered}


def _evaluation_round(ctx: SeedContext, community, street_officer, secretary) -> dict:
    street = community.parent
    year = ctx.today.year
    rnd = evaluation.create_round(actor=street_officer, place=street, name=f"{year}年度双向评价",
                                  starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31))
    given = 0
    for actor, unit in ((secretary, community), (street_officer, street)):
        for target in evaluation.targets_for(rnd, unit):
            low, high = SCORES[target.role]
            scores = {c["code"]: ctx.rng.randint(low, high) for c in rnd.criteria}
            evaluation.submit_evaluation(actor=actor, rnd=rnd, evaluator=unit, target_kind=target.kind,
                                         target_id=target.id, scores=scores)
            given += 1
    return {"evaluation_rounds": 1, "evaluations": given}


def seed_demo(ctx: SeedContext) -> dict:
    standard = install_standard()
    rolled = run_rollup(full=True)
    ctx.log(f"insights: star standard {standard.code}, {rolled['rows']} rollup rows")
    out = {"star_indicators": standard.indicators.count(), "rollup_rows": rolled["rows"]}
    secretary, street_officer = ctx.users.get("secretary"), ctx.users.get("street")
    if ctx.profile != "junmen" or secretary is None or street_officer is None or not ctx.communities:
        return out
    community = ctx.communities[0]
    stars.start_assessment(actor=secretary, standard=standard, community=community, year=ctx.today.year)
    out["star_assessments"] = 1
    out.update(_survey(ctx, community, secretary))
    out.update(_evaluation_round(ctx, community, street_officer, secretary))
    ctx.log(f"insights: survey with {out['survey_responses']} answers, {out['evaluations']} evaluations")
    return out
