"""A real browser walks the service counter: find a resident, issue a certificate, open its PDF, verify it."""

from django.urls import reverse

from gongzhi.accounts.enums import Role
from gongzhi.catalog.models import Certificate
from gongzhi.core.models import AuditEvent
from tests.conftest import needs_chromium
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = needs_chromium


def test_counter_issues_certificate_that_verifies_publicly(transactional_db, live_server, browser):
    from playwright.sync_api import expect

    tree = make_tree()
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="卢希炯")
    make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(15000)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "grid01")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(live_server.url + reverse("catalog:counter"))
    page.fill("#q", "lxj")  # pinyin initials; results come through htmx while typing
    expect(page.locator("#results")).to_contain_text("卢希炯")
    expect(page.locator("#results")).to_contain_text(resident.id_number_masked)
    page.click("#results a")
    expect(page.locator("#resident h2")).to_contain_text("卢希炯")

    page.fill("#purpose", "子女入学")
    page.click("#resident button[type=submit]")
    expect(page.locator("#resident li").first).to_contain_text("子女入学")
    certificate = Certificate.objects.get()

    pdf = page.request.get(live_server.url + reverse("catalog:certificate_pdf", args=[certificate.pk]))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    public = browser.new_page(locale="zh-CN")  # a stranger, not logged in, checks the code
    public.goto(live_server.url + reverse("catalog_public:verify_form"))
    public.fill("#code", certificate.verification_code)
    public.click("main form button[type=submit]")
    expect(public.locator("#verification")).to_have_attribute("data-status", "valid")
    expect(public.locator("#verification")).to_contain_text("卢**")
    expect(public.locator("#verification")).not_to_contain_text("卢希炯")
    assert AuditEvent.objects.filter(action="reveal", actor__username="grid01").count() == 1
