"""A real browser walks the resident's online application: search the catalogue (htmx while typing), read the
materials, apply for a parent, land on the tracking page, then see the hall's request for missing materials."""

import datetime as dt

from django.urls import reverse

from gongzhi.accounts.enums import Role
from gongzhi.catalog import workflow
from gongzhi.catalog.models import Application, ServiceCategory, ServiceItem
from tests.conftest import needs_chromium
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = needs_chromium


def test_resident_applies_online_and_tracks_it(transactional_db, live_server, browser):
    from playwright.sync_api import expect

    tree = make_tree()
    home = make_household(tree.buildings["A1-1"])
    me = make_resident(home, name="陈美玲", male=False)
    mother = make_resident(home, name="林秀英", birth=dt.date(1940, 3, 2), male=False, relation="parent")
    make_user("resident01", Role.RESIDENT, place=tree.community_a, resident=me)
    worker = make_user("worker", Role.COMMUNITY_WORKER, place=tree.community_a)
    category = ServiceCategory.objects.create(code="C09", name="民政", sort=9)
    ServiceItem.objects.create(category=category, code="C09-03", name="高龄津贴申领", channel="both",
                               time_limit_days=5, materials=["户口簿", "银行卡"])

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
    page.set_default_timeout(15000)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "resident01")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(live_server.url + reverse("catalog_portal:items"))
    page.fill("#id_q", "高龄")  # results arrive through htmx while typing
    expect(page.locator("#results")).to_contain_text("高龄津贴申领")
    page.click("#results a")
    expect(page.locator("main")).to_contain_text("户口簿")
    page.select_option("#id_resident", str(mother.pk))
    page.fill("#id_note", "母亲86岁")
    page.click("main form button[type=submit]")

    application = Application.objects.get()
    expect(page.locator("main")).to_contain_text(application.number)
    assert page.url == live_server.url + reverse("catalog_portal:application", args=[application.pk])
    assert (application.resident_id, application.channel, application.note) == (mother.pk, "online", "母亲86岁")

    workflow.transition(application, "request_materials", actor=worker, missing=["银行卡复印件"])
    page.reload()
    expect(page.locator("main")).to_contain_text("银行卡复印件")
    page.fill("#id_note", "已补交")
    page.click("form:has(input[value=resubmit]) button[type=submit]")
    expect(page.locator("main")).not_to_contain_text("银行卡复印件")
    application.refresh_from_db()
    assert (application.status, application.missing_materials) == ("submitted", [])
