from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook


def _sheet(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def test_monthly_xlsx_equals_the_api(example, api, tmp_path):
    street = example.tree.street
    body = api(example.street).get("/api/v1/insights/rates", place=street.pk, period="2026-03").json()
    out = tmp_path / "m.xlsx"
    call_command("report", "monthly", "--unit", str(street.pk), "--month", "2026-03", "--out", str(out),
                 stdout=StringIO())
    wb = load_workbook(out)
    rates_rows = {r[0]: r[1:] for r in _sheet(wb, "三率")[1:]}
    assert rates_rows["响应率 (%)"] == [body["rates"]["response_rate"], body["previous"]["response_rate"],
                                      body["change"]["response_rate"]]
    assert rates_rows["综合得分"][0] == body["rates"]["score"]
    assert rates_rows["诉求件数"][0] == body["rates"]["cases"] == 6
    ranking = [(r[0], r[1], r[6]) for r in _sheet(wb, "社区排名")[1:]]
    assert ranking == [(c["rank"], c["name"], c["score"]) for c in body["ranking"]]
    assert ranking == [(1, "斗池社区", 100.0), (2, "军门社区", 55.8)]
    overview = {r[0]: r[1] for r in _sheet(wb, "概况")}
    assert overview["超期未办结"] == body["overdue"] == 1
    categories = [tuple(r) for r in _sheet(wb, "诉求分类")[1:]]
    assert categories == [(c["category"] or "未分类", c["count"]) for c in body["by_category"]]
    assert sum(n for _, n in categories) == 6
    apps = {r[0]: r[1] for r in _sheet(wb, "服务申请")[1:]}
    assert sum(apps.values()) == 0


def test_monthly_pdf_and_bad_input(example, tmp_path):
    out = tmp_path / "m.pdf"
    call_command("report", "monthly", "--unit", "军门社区", "--month", "2026-03", "--out", str(out), stdout=StringIO())
    assert out.read_bytes()[:5] == b"%PDF-"
    with pytest.raises(CommandError, match="unit"):
        call_command("report", "monthly", "--unit", "nowhere", "--month", "2026-03", "--out", str(out))
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "monthly", "--unit", "军门社区", "--month", "2026-3x", "--out", str(out))
