"""居民信息导出 — residents in the user's scope as an Excel workbook, masked unless the user may and asks.

The columns are the import ledger's (姓名 … 标签) plus 出生日期, 社区 and 网格, so an unmasked export can be
corrected and imported again. ID numbers and phones are masked (``350102********1234``) unless the user holds
``registry.export_residents_unmasked`` on the place, asks for it and gives a reason. Every export is audited
(place, row count, filter, masked or not, reason), never with personal data.
"""

import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from gongzhi.core import crypto, paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require

from .enums import PlaceKind, ResidentStatus, Tag
from .importing import (
    BIRTH,
    BUILDING,
    ENTRANCE,
    ESTATE,
    GENDER,
    GENDER_CN,
    ID_NUMBER,
    NAME,
    PHONE,
    RELATION,
    RELATION_CN,
    ROOM,
    TAG_CN,
    TAGS,
)
from .models import Place, ResidentTagging
from .selectors import residents_visible_to

COMMUNITY, GRID, STATUS = "社区", "网格", "状态"
HEADER = (NAME, GENDER, BIRTH, ID_NUMBER, PHONE, COMMUNITY, GRID, ESTATE, BUILDING, ENTRANCE, ROOM, RELATION,
          TAGS)
PLACE_COLUMNS = (PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING)
STATUS_CN = {ResidentStatus.ACTIVE: "在住", ResidentStatus.ARCHIVED: "已归档"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    content: bytes
    rows: int
    filename: str
    content_type: str = XLSX_TYPE


def export_filename(place: Place, *, unmasked: bool) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"居民-{place.name}-{stamp}{'' if unmasked else '-脱敏'}.xlsx"


def export_residents(*, actor, place: Place, tag: str = "", unmasked: bool = False, reason: str = "",
                     include_archived: bool = False) -> Export:
    """导出居民 — the residents under ``place`` the actor may see, as an xlsx workbook. Audited.

    Raises Forbidden without the export right on the place (or, unmasked, the unmasked-export right),
    InvalidInput for an unknown tag or an unmasked export without a reason.
    """
    require(actor, "registry.export_residents", place)
    if tag and tag not in Tag.values:
        raise InvalidInput(_("Unknown tag: %(tag)s") % {"tag": tag}, field="tag")
    reason = (reason or "").strip()
    if unmasked:
        require(actor, "registry.export_residents_unmasked", place)
        if len(reason) < 2:
            raise InvalidInput(_("Give the reason for exporting full ID and phone numbers."), field="reason")

    residents = residents_visible_to(actor).filter(paths.subtree_q("path", place.path))
    if not include_archived:
        residents = residents.filter(status=ResidentStatus.ACTIVE)
    if tag:
        residents = residents.filter(taggings__tag=tag)
    tags = Prefetch("taggings", queryset=ResidentTagging.objects.only("tag", "resident"))
    residents = (residents.select_related("household").prefetch_related(tags)
                 .order_by("path", "household__unit_no", "household__room_no", "household_id", "id"))

    places = _place_names(place)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Residents"))
    header = [*HEADER, STATUS] if include_archived else list(HEADER)
    bold = Font(bold=True)
    sheet.append([_styled(sheet, h, bold) for h in header])
    count = 0
    for r in residents.iterator(chunk_size=2000):
        count += 1
        names = places.get(r.path, {})
        if unmasked:
            id_number = crypto.decrypt(r.id_number_cipher) if r.id_number_cipher else ""
            phone = crypto.decrypt(r.phone_cipher) if r.phone_cipher else ""
        else:
            id_number, phone = r.id_number_masked, r.phone_masked
        tag_text = "、".join(TAG_CN.get(t.tag, t.tag) for t in sorted(r.taggings.all(), key=lambda t: t.tag))
        row = [r.name, GENDER_CN.get(r.gender, ""), r.birth_date.isoformat(), id_number, phone,
               *(names.get(kind, "") for kind in PLACE_COLUMNS), r.household.unit_no, r.household.room_no,
               RELATION_CN.get(r.relation, ""), tag_text]
        if include_archived:
            row.append(STATUS_CN.get(r.status, r.status))
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)

    record_audit(actor=actor, action=AuditEvent.Action.EXPORT, target=place,
                 field="id_number,phone" if unmasked else "", reason=reason if unmasked else "",
                 data={"kind": "residents", "rows": count, "unmasked": unmasked, "tag": tag,
                       "include_archived": include_archived})
    return Export(content=out.getvalue(), rows=count, filename=export_filename(place, unmasked=unmasked))


def _styled(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _place_names(place: Place) -> dict[str, dict[str, str]]:
    """For every building path under ``place``: the names of its community, grid, estate and itself."""
    nodes = {p.path: p for p in Place.objects.subtree(place.path).only("path", "kind", "name")}
    for ancestor in Place.objects.filter(path__in=paths.ancestors(place.path)).only("path", "kind", "name"):
        nodes[ancestor.path] = ancestor
    return {
        path: {n.kind: n.name for n in [*(nodes[a] for a in paths.ancestors(path) if a in nodes), node]}
        for path, node in nodes.items() if node.kind == PlaceKind.BUILDING
    }
