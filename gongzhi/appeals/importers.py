"""gongzhi import hotline FILE — 12345 hotline work orders (工单) into appeals.

Columns (Chinese headers, xlsx or csv): 工单编号 and 诉求内容 are required; 来电时间, 地址, 联系电话, 联系人,
诉求类型 and 社区 (the community's name, when ``--unit`` does not name it) are optional. Idempotent on the
work-order number: a row whose number is already imported (or repeated in the file) is left unchanged.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import phone as phones
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.importers import Importer
from gongzhi.core.models import AuditEvent
from gongzhi.core.tabular import MODES, ImportReport, RowError, read_table
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from .enums import Channel
from .models import Appeal

REQUIRED = ("工单编号", "诉求内容")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y%m%d%H%M%S",
)


class _Rollback(Exception):
    pass


def parse_time(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in TIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(value, fmt))  # noqa: DTZ007 - local time, made aware
        except ValueError:
            continue
    raise ValueError(value)


def _unit_community(unit: str | None) -> Place | None:
    if not unit:
        return None
    qs = Place.objects.filter(pk=int(unit)) if str(unit).isdigit() else Place.objects.filter(path=unit)
    place = qs.first()
    if place is None or place.community_id is None:
        raise InvalidInput(_("--unit must name a community (id or path)."), field="unit")
    return place.community


def import_hotline(
    *, actor, source, mode: str = "all_or_nothing", unit: str | None = None, filename: str = ""
) -> ImportReport:
    from .services import submit_appeal

    if mode not in MODES:
        raise InvalidInput(_("Unknown import mode."), field="mode")
    default_community = _unit_community(unit)
    report = ImportReport(mode=mode)
    rows = list(read_table(source, filename=filename, required=REQUIRED))
    known = set(
        Appeal.objects.filter(
            channel=Channel.HOTLINE, external_id__in=[r.get("工单编号", "") for _n, r in rows]
        ).values_list("external_id", flat=True)
    )
    communities = {p.name: p for p in Place.objects.filter(kind=PlaceKind.COMMUNITY)}
    try:
        with transaction.atomic():
            for number, row in rows:
                report.total += 1
                errors, values = _validate(number, row, default_community, communities, actor)
                if errors:
                    report.rejected += 1
                    report.errors.extend(errors)
                    continue
                if values["external_id"] in known:
                    report.unchanged += 1
                    continue
                with transaction.atomic():
                    submit_appeal(actor=actor, channel=Channel.HOTLINE, **values)
                known.add(values["external_id"])
                report.created += 1
            if report.rejected and mode == "all_or_nothing":
                raise _Rollback
    except _Rollback:
        report.created = 0
        report.committed = False
        return report
    report.committed = True
    record_audit(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target_type="appeals.appeal",
        target_repr=f"hotline {report.created}/{report.total}",
        data={k: v for k, v in report.as_dict().items() if k != "errors"},
    )
    return report


def _validate(number: int, row: dict, default_community, communities, actor) -> tuple[list[RowError], dict]:
    errors = []
    external_id = row.get("工单编号", "").strip()
    text = row.get("诉求内容", "").strip()
    if not external_id:
        errors.append(RowError(number, "工单编号", _("Work-order number is required.")))
    elif len(external_id) > 64:
        errors.append(RowError(number, "工单编号", _("Work-order number is too long.")))
    if not text:
        errors.append(RowError(number, "诉求内容", _("The appeal text is required.")))
    try:
        created_at = parse_time(row.get("来电时间", ""))
    except ValueError:
        errors.append(RowError(number, "来电时间", _("Unreadable time; write e.g. 2024-05-01 10:20.")))
        created_at = None
    if created_at is not None and created_at > timezone.now() + dt.timedelta(minutes=5):
        errors.append(RowError(number, "来电时间", _("The call time is in the future.")))
    phone = row.get("联系电话", "").strip()
    if phone:
        try:
            phone = phones.normalize(phone)
        except phones.InvalidPhone:
            errors.append(RowError(number, "联系电话", _("Not a valid phone number.")))
    community = default_community
    name = row.get("社区", "") or row.get("所属社区", "")
    if name:
        community = communities.get(name.strip())
        if community is None:
            errors.append(RowError(number, "社区", _("No community of this name.")))
    elif community is None:
        errors.append(RowError(number, "社区", _("Name the community in a 社区 column or with --unit.")))
    if community is not None and not actor.has_perm("appeals.submit_appeal", community):
        errors.append(RowError(number, "社区", _("You may not record appeals in this community.")))
    if errors:
        return errors, {}
    kind = row.get("诉求类型", "").strip()
    return [], {
        "community": community,
        "text": text if not kind else f"【{kind}】{text}",
        "external_id": external_id,
        "address": row.get("地址", "").strip(),
        "contact_phone": phone,
        "contact_name": row.get("联系人", "").strip(),
        "created_at": created_at,
    }


IMPORTERS = {"hotline": Importer(label="12345 hotline work orders (12345 热线工单)", run=import_hotline)}
