"""The Junmen demo's insights: a star self-assessment, a 平安三率 survey answered at the door, and the street's
two-way evaluation round with the first evaluations — written through the services, visible on the pages."""

import random

import pytest
from django.test import Client

from gongzhi.accounts.enums import Role
from gongzhi.core.seeding import SeedContext
from gongzhi.insights.models import Assessment, Evaluation, EvaluationRound, Survey, SurveyResponse
from gongzhi.insights.seeding import seed_demo
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def test_junmen_demo_has_a_survey_a_star_assessment_and_an_evaluation_round():
    tree = make_tree()
    for building in ("A1-1", "A1-2", "A2-1"):
        make_resident(make_household(tree.buildings[building]))
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    street = make_user("street", Role.STREET_OFFICER, place=tree.street)
    ctx = SeedContext(profile="junmen", rng=random.Random(3), communities=[tree.community_a],
                      users={"secretary": secretary, "street": street}, log=lambda line: None)

    out = seed_demo(ctx)

    # the secretary evaluates the street (no department handled a case yet); the street, both communities
    assert (out["star_assessments"], out["surveys"], out["survey_responses"]) == (1, 1, 3)
    assert (out["evaluation_rounds"], out["evaluations"]) == (1, 3)
    assert Assessment.objects.get().community == tree.community_a
    survey = Survey.objects.get()
    assert (survey.status, survey.published, SurveyResponse.objects.filter(survey=survey).count()) == ("open", True, 3)
    rnd = EvaluationRound.objects.get()
    assert sorted(Evaluation.objects.filter(round=rnd).values_list("evaluator__name", flat=True)) == sorted(
        [tree.community_a.name, tree.street.name, tree.street.name])
    client = Client()
    client.force_login(street)
    assert client.get(f"/console/insights/evaluations/{rnd.pk}/results/").status_code == 200
    assert client.get(f"/console/insights/surveys/{survey.pk}/").status_code == 200


def test_other_profiles_get_only_the_standard():
    tree = make_tree()
    ctx = SeedContext(profile="city", rng=random.Random(1), communities=[tree.community_a], log=lambda line: None)

    out = seed_demo(ctx)

    assert set(out) == {"star_indicators", "rollup_rows"}
    assert not Survey.objects.exists()
    assert not EvaluationRound.objects.exists()
