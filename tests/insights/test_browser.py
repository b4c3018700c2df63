"""A real browser: the street officer opens the dashboard, drills into figures and downloads the monthly report."""

from openpyxl import load_workbook

from gongzhi.insights import rates
from tests.conftest import needs_chromium
from tests.factories.accounts import PASSWORD

pytestmark = needs_chromium


def test_dashboard_drill_down_and_report(transactional_db, example, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    t = example.tree
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page.set_default_timeout(60000)  # a shared, loaded machine
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", example.street.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(live_server.url + "/console/insights/?period=2026-03")
    expect(page.locator("h1").first).to_contain_text(t.street.name)
    expect(page.locator("#chart-categories canvas")).to_have_count(1)  # ECharts drew, from local static files
    page.click('[data-figure="overdue"]')
    expect(page.locator("#cases")).to_have_attribute("data-count", "1")
    page.go_back()
    page.click(f'#ranking a[href*="place={t.community_a.pk}&"][href*="figure=cases"]')
    expect(page.locator("#cases")).to_have_attribute("data-count", "5")
    expect(page.locator("h1").first).to_contain_text(t.community_a.name)
    page.go_back()

    with page.expect_download() as info:
        page.click('a[href*="report.xlsx"]')
    out = tmp_path / "report.xlsx"
    info.value.save_as(out)
    rows = {r[0]: r[1] for r in load_workbook(out)["三率"].iter_rows(values_only=True)}
    assert rows["综合得分"] == rates.rates_for(t.street.path, "2026-03").score == 67.6
    assert rows["诉求件数"] == 6
