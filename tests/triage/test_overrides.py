"""Staff overrides recorded by the appeals workflow feed the next training."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongzhi.appeals import workflow
from gongzhi.appeals.enums import Action
from gongzhi.triage import services
from gongzhi.triage.models import TriageModel
from tests.factories.appeals import FUMES, make_world, submit

pytestmark = pytest.mark.django_db


def test_an_override_becomes_a_training_example_with_a_first_level_label(builtin):
    world = make_world()
    appeal = submit(world, FUMES)  # triaged by the list: 生态环境 → the environment department
    workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, tier="community", category="城乡建设",
                        handler="committee:public_affairs")
    other = submit(world, "小区里的树木太高了，挡住阳光，希望修剪一下树枝")  # list triage, then confirmed as is
    workflow.transition(other, Action.TRIAGE, actor=world.secretary_a, tier=other.tier, category=other.category,
                        handler=other.handler_key)

    texts, labels, skipped = services.override_examples()

    assert (texts, labels, skipped) == ([FUMES], ["城乡建设"], 0)


def test_train_with_overrides_adds_them_to_the_seed_corpus(builtin):
    world = make_world()
    appeal = submit(world, FUMES)
    workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, tier="community", category="生态环境",
                        handler="committee:environment")
    out = StringIO()

    call_command("triage", "train", "--include-overrides", stdout=out)

    row = TriageModel.objects.get(name="community")
    assert row.active is True
    assert (row.data_summary["source"], row.data_summary["overrides"], row.data_summary["with_corpus"]) == (
        "overrides", 1, True)
    assert row.data_summary["labels"]["环境保护"] == 1  # 生态环境 (the catalogue's name) → 环境保护
    assert (row.data_summary["rows"], row.data_summary["train_rows"]) == (1, 1 + 600)  # its override + the corpus
    assert row.metrics["n"] == row.data_summary["holdout_rows"] == 13 * 15  # scored on held-out phrasings
    assert json.loads(out.getvalue().strip().splitlines()[-1])["model"] == "community:1"
