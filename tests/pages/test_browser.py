"""One real browser run: log in, search a resident live, reveal an ID number with a reason.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; skipped when it is not installed. Set
GONGZHI_SCREENSHOT_DIR to keep screenshots of the console and of the resident portal (mobile size).
"""

import os

from django.urls import reverse

from gongzhi.core.models import AuditEvent
from tests.conftest import needs_chromium
from tests.factories.accounts import PASSWORD

pytestmark = needs_chromium


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_log_in_search_and_reveal_with_a_reason(transactional_db, world, live_server, browser):
    from playwright.sync_api import expect

    shots = os.environ.get("GONGZHI_SCREENSHOT_DIR")
    head = world.residents["head"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page.set_default_timeout(15000)

    _log_in(page, live_server.url, "grid01")
    expect(page).to_have_url(live_server.url + reverse("console:home"))
    expect(page.locator("h1")).to_contain_text("您好")
    if shots:
        page.screenshot(path=f"{shots}/console-home.png", full_page=True)

    page.goto(live_server.url + reverse("console:residents"))
    page.fill("#id_q", "zyg")  # pinyin initials of 张一格; results arrive through htmx while typing
    results = page.locator("#results table")
    expect(results).to_contain_text("张一格")
    expect(results).not_to_contain_text("张一妻")
    expect(page).to_have_url(live_server.url + reverse("console:residents") + "?q=zyg&place=&tag=")
    if shots:
        page.screenshot(path=f"{shots}/console-search.png", full_page=True)

    page.click("#results a:text('张一格')")
    expect(page.locator("h1")).to_contain_text("张一格")
    slot = page.locator(f"#pii-{head.pk}-id_number")
    expect(slot).to_contain_text(head.id_number_masked)

    slot.locator("summary").click()
    slot.locator("button[type=submit]").click()  # no reason: the browser refuses (required field)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 0

    slot.locator("textarea").fill("入户核实高龄津贴")
    slot.locator("button[type=submit]").click()
    expect(slot.locator(".revealed .value")).to_have_text(world.id_numbers["head"])
    if shots:
        page.screenshot(path=f"{shots}/console-reveal.png", full_page=True)
    assert list(AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL)
                .values_list("actor__username", "target_id", "field", "reason")) == [
        ("grid01", str(head.pk), "id_number", "入户核实高龄津贴")]

    slot.locator("[data-hide-revealed]").click()  # hiding removes the clear value from the page
    expect(slot).not_to_contain_text(world.id_numbers["head"])
    expect(slot).to_contain_text(head.id_number_masked)

    if shots:
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
        _log_in(phone, live_server.url, "resident1")
        expect(phone).to_have_url(live_server.url + reverse("portal:resident_home"))
        phone.screenshot(path=f"{shots}/portal-home.png", full_page=True)
        phone.goto(live_server.url + reverse("portal:work_list", args=[world.tree.community_a.pk]))
        phone.screenshot(path=f"{shots}/portal-work-list.png", full_page=True)
