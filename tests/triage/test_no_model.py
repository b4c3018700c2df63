"""Requests never train: without an installed model intake falls back to the keyword rules and says so;
``gongzhi triage builtin`` and the seed hook install the shipped model, idempotently."""

import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from gongzhi.core.seeding import SeedContext
from gongzhi.triage import seeding, services
from gongzhi.triage.classifier import NO_MODEL, NO_SUGGESTION, TriageClassifier
from gongzhi.triage.models import TriageModel
from tests.factories.appeals import make_world, submit

pytestmark = pytest.mark.django_db


def test_intake_without_a_model_uses_the_keyword_rules_says_so_and_trains_nothing(monkeypatch):
    world = make_world()
    trained = []
    monkeypatch.setattr(services, "train_builtin", lambda: trained.append(1))

    appeal = submit(world, "小区门口的烧烤店每天晚上油烟直排，熏得窗户都黑了", user=world.resident_b)

    assert appeal.suggestion["source"] == "classifier"
    assert appeal.suggestion["reasons"][0] == NO_MODEL
    assert appeal.suggestion["code"] == "restaurant-fumes"  # the catalogue's keyword rule
    assert (TriageModel.objects.count(), trained) == (0, [])


def test_without_a_model_and_without_a_keyword_there_is_no_suggestion():
    suggestions = TriageClassifier().suggest("请问一下这个事情怎么办")

    assert [(s.category, s.tier, s.handler, s.confidence, s.reasons) for s in suggestions] == [
        ("", "", "", 0.0, [NO_SUGGESTION])]
    assert TriageModel.objects.count() == 0


def test_classify_api_without_a_model_answers_409_and_trains_nothing(api):
    world = make_world()

    response = api(world.grid_a1).post("/api/v1/triage/classify", {"text": "楼下烧烤店油烟直排"})

    assert response.status_code == 409
    assert response.json()["code"] == "no_model"
    assert TriageModel.objects.count() == 0


def test_builtin_command_is_idempotent():
    first, second = StringIO(), StringIO()

    call_command("triage", "builtin", stdout=first)
    call_command("triage", "builtin", stdout=second)

    rows = list(TriageModel.objects.values_list("name", "version", "active"))
    assert rows == [("builtin", 1, True)]
    assert json.loads(first.getvalue().splitlines()[-1])["model"] == "builtin:1"
    assert json.loads(second.getvalue().splitlines()[-1])["model"] == "builtin:1"
    assert services.active_model().row.key == "builtin:1"


def test_seed_hook_installs_the_shipped_model():
    lines = []
    ctx = SeedContext(profile="junmen", rng=random.Random(1), communities=[], log=lines.append)

    result = seeding.seed_demo(ctx)

    assert result == {"triage_model": "builtin:1"}
    assert TriageModel.objects.get().active is True
    assert lines[0].startswith("triage: builtin:1")
