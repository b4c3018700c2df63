"""`gongzhi report monthly --unit U --month YYYY-MM --out FILE` — 月报 as xlsx, or PDF when FILE ends in .pdf;
`gongzhi report yearly --unit U --year YYYY --out FILE` — 年报, built from the same figures month by month."""

import re
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.reports import Report
from gongzhi.registry.models import Place

from . import rates
from .monthly import monthly_figures, yearly_figures

RATE_ROWS = [
    ("response_rate", "响应率 (%)"),
    ("resolution_rate", "解决率 (%)"),
    ("satisfaction_rate", "满意率 (%)"),
    ("score", "综合得分"),
]
COUNT_ROWS = [
    ("cases", "诉求件数"),
    ("responded", "按时响应件数"),
    ("response_due", "应响应件数"),
    ("resolved", "已解决件数"),
    ("resolution_known", "应解决件数"),
    ("satisfied", "满意件数"),
    ("rated", "已评价件数"),
]
ACTIVITY_ROWS = [
    ("proposals", "议事提案"),
    ("meetings", "议事会议"),
    ("volunteer_activities", "志愿活动"),
    ("service_records", "志愿服务记录"),
]


def find_unit(value: str) -> Place:
    """A place by id, path or (unique) name."""
    qs = Place.objects.all()
    if value.isdigit():
        place = qs.filter(pk=int(value)).first() or qs.filter(path=value).first()
    else:
        matches = list(qs.filter(name=value)[:2])
        place = matches[0] if len(matches) == 1 else None
    if place is None:
        raise NotFound(_("No unit %(unit)s (give its id, path or unique name).") % {"unit": value}, field="unit")
    return place


def sections(fig: dict) -> list[tuple[str, list[list]]]:
    """The report as titled tables (rows of cells): the same in xlsx and PDF."""
    r, p = fig["rates"], fig["previous"]
    return [
        ("概况", [["单位", fig["place"]["name"]], ["月份", fig["period"]], ["对比月份", fig["previous_period"]],
                 ["权重（响应/解决/满意）", "/".join(str(w) for w in fig["weights"])], ["超期未办结", fig["overdue"]]]),
        ("三率", [["指标", "本月", "上月", "变化"]]
         + [[label, r[k], p[k], fig["change"][k]] for k, label in RATE_ROWS]
         + [[label, r[k], p[k], None] for k, label in COUNT_ROWS]),
        ("诉求分类", [["类别", "件数"]] + [[c["category"] or "未分类", c["count"]] for c in fig["by_category"]]),
        ("按周", [["周（周一）", "件数"]] + [[w["week"], w["count"]] for w in fig["by_week"]]),
        ("社区排名", [["排名", "社区", "件数", "响应率", "解决率", "满意率", "综合得分"]]
         + [[c["rank"], c["name"], c["cases"], c["response_rate"], c["resolution_rate"], c["satisfaction_rate"],
             c["score"]] for c in fig["ranking"]]),
        ("服务申请", [["状态", "件数"]] + [[a["label"], a["count"]] for a in fig["applications"]]),
        ("议事与志愿", [["项目", "数量"]] + [[label, fig["activity"][k]] for k, label in ACTIVITY_ROWS]),
    ]


def yearly_sections(fig: dict) -> list[tuple[str, list[list]]]:
    """年报 as titled tables: the monthly report's sections over the year, plus the year month by month."""
    r, p = fig["rates"], fig["previous"]
    month_head = ["月份", "诉求件数", "响应率 (%)", "解决率 (%)", "满意率 (%)", "综合得分", "按时响应", "应响应",
                  "已解决", "应解决", "满意", "已评价"]
    keys = ["cases", "response_rate", "resolution_rate", "satisfaction_rate", "score", "responded", "response_due",
            "resolved", "resolution_known", "satisfied", "rated"]
    return [
        ("概况", [["单位", fig["place"]["name"]], ["年度", fig["year"]], ["对比年度", fig["previous_year"]],
                 ["权重（响应/解决/满意）", "/".join(str(w) for w in fig["weights"])], ["超期未办结", fig["overdue"]]]),
        ("三率", [["指标", "本年", "上年", "变化"]]
         + [[label, r[k], p[k], fig["change"][k]] for k, label in RATE_ROWS]
         + [[label, r[k], p[k], None] for k, label in COUNT_ROWS]),
        ("逐月", [month_head] + [[m["month"], *(m[k] for k in keys)] for m in fig["months"]]
         + [["全年", *(r[k] for k in keys)]]),
        ("年度主要问题", [["排名", "类别", "件数", "占比 (%)"]]
         + [[i, c["category"] or "未分类", c["count"], c["share"]] for i, c in enumerate(fig["by_category"], 1)]),
        ("社区排名", [["排名", "社区", "件数", "响应率", "解决率", "满意率", "综合得分"]]
         + [[c["rank"], c["name"], c["cases"], c["response_rate"], c["resolution_rate"], c["satisfaction_rate"],
             c["score"]] for c in fig["ranking"]]),
        ("服务申请", [["状态", "件数"]] + [[a["label"], a["count"]] for a in fig["applications"]]),
        ("议事与志愿", [["项目", "数量"]] + [[label, fig["activity"][k]] for k, label in ACTIVITY_ROWS]),
    ]


def _document(fig: dict) -> tuple[str, list[tuple[str, list[list]]]]:
    """(title, tables) of a monthly or a yearly report."""
    if "year" in fig:
        return f"{fig['place']['name']} {fig['year']} 年报", yearly_sections(fig)
    return f"{fig['place']['name']} {fig['period']} 月报", sections(fig)


def write_xlsx(fig: dict, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in _document(fig)[1]:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 16
    wb.save(out)


def write_pdf(fig: dict, out: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gongzhi.catalog.pdf import cjk_font

    font = cjk_font()
    doc_title, tables = _document(fig)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8, keepWithNext=1)
    story = [Paragraph(doc_title, title), Spacer(1, 8)]
    for name, rows in tables:
        cells = [["" if v is None else str(v) for v in row] for row in rows]
        table = Table(cells, hAlign="LEFT", repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                   ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
        # a short table stays on one page with its heading; a long one repeats its header row on each page
        story.extend([KeepTogether([Paragraph(name, heading), table])] if len(rows) <= 30
                     else [Paragraph(name, heading), table])
    size = landscape(A4) if "year" in fig else A4  # the month-by-month table has twelve columns
    SimpleDocTemplate(str(out), pagesize=size, title=doc_title).build(story)


def _write(fig: dict, path: str) -> Path:
    """Write a report's figures as PDF or, for any other extension, xlsx."""
    out = Path(path)
    (write_pdf if out.suffix.lower() == ".pdf" else write_xlsx)(fig, out)
    return out


def add_arguments(parser) -> None:
    parser.add_argument("--unit", required=True, help="place id, path or unique name")
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--out", required=True, help="file to write: .xlsx, or .pdf")


def run(options, stdout) -> None:
    place = find_unit(options.unit)
    try:
        rates.parse_month(options.month)
    except ValueError:
        raise InvalidInput(_("Give the period as YYYY-MM, e.g. 2026-03."), field="month") from None
    fig = monthly_figures(place, options.month)
    out = _write(fig, options.out)
    stdout.write(f"{out}: {place.name} {options.month}, {fig['rates']['cases']} appeals")


def parse_year(value) -> int:
    """A report year: four digits, from 2000 to the current year (a past year is reproduced from the records)."""
    text = str(value).strip()
    year = int(text) if re.fullmatch(r"\d{4}", text) else None
    if year is None or year < 2000:
        raise InvalidInput(_("Give the year as four digits, e.g. 2026."), field="year")
    if year > timezone.localtime().year:
        raise InvalidInput(_("The year %(year)s has not begun yet.") % {"year": year}, field="year")
    return year


def add_yearly_arguments(parser) -> None:
    parser.add_argument("--unit", required=True, help="place id, path or unique name")
    parser.add_argument("--year", required=True, help="YYYY")
    parser.add_argument("--out", required=True, help="file to write: .xlsx, or .pdf")


def run_yearly(options, stdout) -> None:
    place = find_unit(options.unit)
    year = parse_year(options.year)
    fig = yearly_figures(place, year)
    out = _write(fig, options.out)
    stdout.write(f"{out}: {place.name} {year}, {fig['rates']['cases']} appeals")


REPORTS = {
    "monthly": Report(help="Monthly report of a unit (月报): appeals, rates, services, activity.",
                      add_arguments=add_arguments, run=run),
    "yearly": Report(help="Yearly report of a unit (年报): the rates month by month, top problems, services, "
                          "activity.", add_arguments=add_yearly_arguments, run=run_yearly),
}
