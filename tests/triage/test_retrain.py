"""The scheduled retrain: staff corrections + the seed corpus; the new model replaces the one in use only if it
scores at least as well on the same held-out set."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongzhi.appeals import workflow
from gongzhi.appeals.enums import Action
from gongzhi.triage import services, tasks
from gongzhi.triage.models import TriageModel
from tests.factories.appeals import FUMES, make_world, submit

pytestmark = pytest.mark.django_db


def correct(world, texts: list[str], *, category: str) -> None:
    """Cases filed with these texts, then re-assigned by staff to ``category`` (a community matter)."""
    for text in texts:
        appeal = submit(world, text)
        workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, tier="community", category=category,
                            handler="committee:public_affairs")


def model_trained_on(*, per_category: int):
    """A model put in use, trained on the first ``per_category`` corpus texts of each category."""
    rows = services.corpus_split("train", per_category=per_category)
    return services.train_model(actor=None, name="weak" if per_category < 40 else "strong",
                                texts=[r["text"] for r in rows], labels=[r["category"] for r in rows],
                                source={"source": "test"})


def test_retrain_without_corrections_trains_nothing(builtin):
    result = tasks.retrain_from_corrections()

    assert result == {"status": "skipped", "reason": "no corrections", "model": "builtin:1"}
    assert list(TriageModel.objects.values_list("name", flat=True)) == ["builtin"]


def test_retrain_without_a_model_in_use_trains_nothing(db):
    assert tasks.retrain_from_corrections() == {"status": "skipped", "reason": "no model in use"}
    assert TriageModel.objects.count() == 0


def test_a_better_model_is_promoted_and_the_same_corrections_are_not_trained_on_twice(builtin):
    world = make_world()
    weak = model_trained_on(per_category=3)  # any corpus-trained candidate beats it
    correct(world, [FUMES, "楼下饭店排油烟，味道太大了"], category="城乡建设")

    result = tasks.retrain_from_corrections()
    again = tasks.retrain_from_corrections()

    row = TriageModel.objects.get(name="community")
    assert result["status"] == "promoted"
    assert (result["candidate"], result["current"], result["corrections"]) == ("community:1", weak.key, 2 - result[
        "corrections_held_out"])
    assert result["candidate_macro_f1"] >= result["current_macro_f1"]
    assert row.active is True
    assert row.data_summary["gate"]["promoted"] is True
    assert row.data_summary["gate"]["held_out_rows"] == 13 * 15 + result["corrections_held_out"]
    assert row.data_summary["source"] == "corrections"
    assert again == {"status": "skipped", "reason": "no new corrections", "model": "community:1"}


def test_a_worse_model_is_registered_but_not_promoted(builtin):
    world = make_world()
    strong = model_trained_on(per_category=120)  # in use: three times the corpus the candidate gets
    correct(world, [FUMES, "楼下饭店排油烟，味道太大了"], category="城乡建设")

    out = StringIO()
    call_command("triage", "retrain", stdout=out)

    result = json.loads(out.getvalue().splitlines()[-1])
    assert (result["status"], result["current"]) == ("kept", strong.key)
    assert result["candidate_macro_f1"] < result["current_macro_f1"]
    candidate = TriageModel.objects.get(name="community")
    assert (candidate.active, candidate.data_summary["gate"]["promoted"]) == (False, False)
    assert list(TriageModel.objects.filter(active=True).values_list("name", flat=True)) == ["strong"]
