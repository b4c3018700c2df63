"""信息公开: anyone reads a community's publicities and projects; no resident is named, and an objection
shows only once it is answered."""

import json

import pytest
from django.test import Client

from gongzhi.deliberation.services import publicity as publicity_services
from tests.deliberation.world import build_world

pytestmark = pytest.mark.django_db


def test_public_publicities_name_nobody_and_show_answered_objections_only():
    w = build_world()
    anonymous = Client()
    url = "/api/v1/deliberation/public/publicities"

    before = anonymous.get(url, {"community": w.tree.community_a.pk})
    publicity_services.answer_objection(actor=w.users["secretary_a"], objection=w.objects["objection"],
                                        uphold=False, answer="按树种适度修剪")
    after = anonymous.get(url, {"community": w.tree.community_a.pk})

    assert before.status_code == 200
    assert [p["objections"] for p in before.json()["items"]] == [[]]
    shown = [(o["text"], o["answer"]) for o in after.json()["items"][0]["objections"]]
    assert shown == [("修剪过度", "按树种适度修剪")]
    assert "赵记名" not in json.dumps(after.json(), ensure_ascii=False)  # the objector
    assert anonymous.get(url, {"community": w.tree.community_b.pk}).json()["count"] == 0
    assert anonymous.get(url, {"community": w.tree.street.pk}).status_code == 404
    assert anonymous.get("/api/v1/deliberation/public/projects", {"community": w.tree.community_a.pk}).json() == {
        "items": [], "count": 0}
