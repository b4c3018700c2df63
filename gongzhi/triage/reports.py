"""Printable reports of the triage app: ``gongzhi report top-problems --unit U --year Y [--month M]``."""

import json

from django.core.management.base import CommandError

from gongzhi.core.reports import Report


def _arguments(parser):
    parser.add_argument("--unit", required=True, help="place id, path or name (a community, street or district)")
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("--month", type=int, default=None)
    parser.add_argument("--limit", type=int, default=10, help="how many problems (default 10)")
    parser.add_argument("--user", default="", help="report as this user (their scope); default: every appeal")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")


def _resolve(user, unit: str):
    from django.utils.translation import gettext as _

    from gongzhi.core.errors import NotFound
    from gongzhi.registry.models import Place

    if user is not None:
        from gongzhi.registry.importing import resolve_unit

        return resolve_unit(user, unit)
    text = str(unit).strip()
    qs = (Place.objects.filter(pk=int(text)) if text.isdigit() and not text.startswith("0")
          else Place.objects.filter(path=text) if text.isdigit() else Place.objects.filter(name=text))
    found = list(qs.order_by("path")[:2])
    if not found:
        raise NotFound(_("There is no such place: %(unit)s") % {"unit": text}, field="unit")
    if len(found) > 1:
        raise CommandError(f"several places are called {text}: give the place id or path")
    return found[0]


def _run(options, stdout):
    from gongzhi.accounts.models import User

    from .topics import top_problems

    user = None
    if options.user:
        user = User.objects.filter(username=options.user).first()
        if user is None:
            raise CommandError(f"no user {options.user!r}")
    unit = _resolve(user, options.unit)
    report = top_problems(user, unit=unit, year=options.year, month=options.month, limit=options.limit)
    if options.json:
        stdout.write(json.dumps(report, ensure_ascii=False, default=str))
        return
    when = f"{options.year}年{options.month}月" if options.month else f"{options.year}年"
    stdout.write(f"{unit.name} {when} 诉求{len(report['problems'])}大问题"
                 f"（共 {report['total']} 件；上期 {report['previous_period']} 共 {report['previous_total']} 件）")
    if not report["problems"]:
        stdout.write("本期没有诉求。")
    for p in report["problems"]:
        change = f"{p['change']:+d}" + (f"（{p['change_pct']:+.0%}）" if p["change_pct"] is not None else "（上期无）")
        stdout.write(f"{p['rank']:>2}. {p['label']}  {p['count']} 件  占 {p['share']:.1%}  较上期 {change}")
        for e in p["examples"]:
            stdout.write(f"      例 #{e['id']}：{e['text']}")


REPORTS = {
    "top-problems": Report(
        help="The year's (or month's) most reported problems of a unit, with counts, change and examples.",
        add_arguments=_arguments,
        run=_run,
    ),
}
