"""The shipped model: suggestions, abstention, explanation, and the appeals intake hook."""

import pytest

from gongzhi.appeals.classifiers import get_classifier
from gongzhi.triage import services
from gongzhi.triage.classifier import UNSURE, TriageClassifier
from gongzhi.triage.engine import normalize
from gongzhi.triage.models import TriageModel
from tests.factories.appeals import make_world, submit

pytestmark = pytest.mark.django_db

FUMES = "楼下烧烤店油烟直排，熏得没法开窗"


def test_ensure_builtin_registers_and_activates_the_shipped_model():
    assert TriageModel.objects.count() == 0

    services.ensure_builtin()
    loaded = services.active_model()

    row = TriageModel.objects.get()
    assert (row.name, row.version, row.active, loaded.row.pk) == ("builtin", 1, True, row.pk)
    assert len(row.labels) == 15
    assert "城乡建设" in row.labels
    assert "纪检监察" in row.labels
    assert row.data_summary["source"] == "corpus"
    assert set(row.metrics) >= {"n", "accuracy", "macro_f1", "per_label", "texts_per_second"}
    assert row.metrics["n"] == row.data_summary["holdout_rows"]


def test_prediction_has_top_three_with_tier_handler_and_the_deciding_words(builtin):
    _row, model = builtin

    p = model.predict(FUMES)

    assert p.abstained is False
    assert p.best.label == "环境保护"
    assert (p.best.subcategory, p.best.tier, p.best.handler, p.best.item) == (
        "environment/fumes", "government", "department:区生态环境局", "restaurant-fumes")
    assert len(p.guesses) == 3
    assert [g.confidence for g in p.guesses] == sorted((g.confidence for g in p.guesses), reverse=True)
    assert any("油烟" in term for term in p.terms)
    assert all(term in normalize(FUMES) and len(term) >= 2 for term in p.terms)


@pytest.mark.parametrize(("threshold", "abstained", "category"), [(0.999, True, ""), (0.0, False, "环境保护")])
def test_below_the_threshold_the_model_abstains(builtin, threshold, abstained, category):
    _row, model = builtin

    result = model.predict(FUMES, threshold=threshold).as_dict()

    assert (result["abstained"], result["category"], result["threshold"]) == (abstained, category, threshold)
    assert result["top"][0]["category"] == "环境保护"


def test_unsure_suggestion_leaves_the_case_to_a_person(builtin, monkeypatch):
    loaded = services.active_model()
    monkeypatch.setattr(loaded.model, "threshold", 1.01)  # nothing is sure enough

    suggestions = TriageClassifier().suggest(FUMES)

    assert len(suggestions) == 1
    s = suggestions[0]
    assert (s.category, s.tier, s.handler) == ("", "", "")
    assert s.reasons[0] == UNSURE
    assert s.reasons[1].startswith("可能：环境保护")


def test_intake_without_a_list_keeps_the_model_suggestion_for_staff(builtin):
    world = make_world()  # community B has no published responsibility list
    assert isinstance(get_classifier(), TriageClassifier)

    appeal = submit(world, "小区门口的烧烤店每天晚上油烟直排，熏得窗户都黑了", user=world.resident_b)

    assert appeal.status == "submitted"  # a suggestion, never an automatic triage
    assert appeal.suggestion["source"] == "classifier"
    assert (appeal.suggestion["category"], appeal.suggestion["tier"]) == ("环境保护", "government")
    assert appeal.suggestion["code"] == "restaurant-fumes"
    assert appeal.suggestion["handler"].startswith("department")
    assert "细类：餐饮油烟" in appeal.suggestion["reasons"]


def test_classify_api_answers_staff_only(api, builtin):
    world = make_world()

    staff = api(world.grid_a1).post("/api/v1/triage/classify", {"text": FUMES})
    resident = api(world.resident_a).post("/api/v1/triage/classify", {"text": FUMES})
    empty = api(world.grid_a1).post("/api/v1/triage/classify", {"text": ""})

    assert staff.status_code == 200
    assert (staff.json()["model"], staff.json()["category"], staff.json()["abstained"]) == ("builtin:1", "环境保护",
                                                                                          False)
    assert resident.status_code == 403
    assert (empty.status_code, empty.json()["errors"][0]["field"]) == (422, "text")


def test_only_an_administrator_lists_and_switches_models(api, builtin):
    world = make_world()
    row, _model = builtin
    other = services._register(name="jm", relative=row.path, labels=row.labels, metrics={}, summary={}, actor=None)

    denied = api(world.secretary_a).post(f"/api/v1/triage/models/{other.pk}/activate")
    listed = api(world.admin).get("/api/v1/triage/models")
    switched = api(world.admin).post(f"/api/v1/triage/models/{other.pk}/activate")

    assert denied.status_code == 403
    assert [(m["name"], m["version"], m["active"]) for m in listed.json()] == [("builtin", 1, True), ("jm", 1, False)]
    assert (switched.status_code, switched.json()["active"]) == (200, True)
    assert list(TriageModel.objects.filter(active=True).values_list("name", flat=True)) == ["jm"]
    assert services.active_model().row.name == "jm"
