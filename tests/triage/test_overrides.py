"""Staff overrides recorded by the appeals workflow feed the next training."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongzhi.appeals import workflow
from gongzhi.appeals.enums import Action
from gongzhi.appeals.models import ResponsibilityItem, TriageDecision
from gongzhi.triage import services
from gongzhi.triage.models import TriageModel
from gongzhi.triage.selectors import correction_examples
from tests.factories.appeals import FUMES, PRUNING, make_world, submit

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


def test_a_re_assignment_corrects_the_earlier_choice_and_confirmations_are_not_examples(builtin):
    world = make_world()
    appeal = submit(world, FUMES)  # triaged by the list (生态环境)
    workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, tier="community", category="城乡建设",
                        handler="committee:public_affairs")
    workflow.transition(appeal, Action.TRIAGE, actor=world.worker_a, tier="community", category="民政",
                        handler="committee:public_affairs")  # re-assigned again: the last choice is the label
    confirmed = submit(world, PRUNING)
    workflow.transition(confirmed, Action.TRIAGE, actor=world.secretary_a, tier=confirmed.tier,
                        category=confirmed.category, handler=confirmed.handler_key)

    found = correction_examples()

    assert [(c.appeal_id, c.text, c.label, c.subcategory) for c in found.examples] == [
        (appeal.pk, FUMES, "民政", "")]
    assert found.skipped == 0
    assert found.last_decision_id == TriageDecision.objects.order_by("-id").first().pk


def test_a_correction_naming_a_list_item_also_labels_the_second_level(builtin):
    world = make_world()
    appeal = submit(world, PRUNING)  # triaged by community A's list as a pruning matter
    item = ResponsibilityItem.objects.filter(code="restaurant-fumes", responsibility_list__community=appeal.community,
                                             ).order_by("-id").first()
    workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, item=item)

    found = correction_examples()

    assert [(c.label, c.subcategory) for c in found.examples] == [("环境保护", "environment/fumes")]


def test_corrections_of_other_communities_are_left_out_when_asked(builtin):
    world = make_world()
    appeal = submit(world, FUMES)
    workflow.transition(appeal, Action.TRIAGE, actor=world.secretary_a, tier="community", category="城乡建设",
                        handler="committee:public_affairs")

    assert len(correction_examples(community_id=world.tree.community_a.pk).examples) == 1
    assert correction_examples(community_id=world.tree.community_b.pk).examples == []
