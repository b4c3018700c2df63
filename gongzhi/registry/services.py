"""Writes to the registry. Every write names its actor; every reveal of personal data is audited."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from gongzhi.core import crypto, idcard, masking, paths
from gongzhi.core import phone as phones
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require

from .enums import PARENT_KIND, MoveKind, PlaceKind, Relation, ResidentStatus, Tag
from .models import Household, Place, Resident, ResidentMove, ResidentTagging

ID_ERRORS = {
    "length": "ID number must have 18 characters.",
    "characters": "ID number may contain only digits and a final X.",
    "birth_date": "ID number contains an impossible birth date.",
    "checksum": "ID number check digit is wrong.",
}


def _next_path(parent_path: str, siblings_qs) -> str:
    last = siblings_qs.aggregate(m=Max("path"))["m"]
    n = int(last[-paths.STEP:]) + 1 if last else 1
    return parent_path + paths.segment(n)


@transaction.atomic
def create_place(*, kind: str, name: str, parent: Place | None = None, code: str = "", sort: int = 0,
                 floors: int | None = None, has_lift: bool = False) -> Place:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name is required."), field="name")
    expected_parent = PARENT_KIND.get(kind)
    if (parent is None) != (expected_parent is None) or (parent is not None and parent.kind != expected_parent):
        raise InvalidInput(_("A place of this kind cannot stand there in the tree."), field="parent")
    if parent is not None and Place.objects.filter(parent=parent, name=name).exists():
        raise InvalidInput(_("A place with this name already exists here."), field="name")
    siblings = Place.objects.filter(parent=parent) if parent else Place.objects.filter(parent__isnull=True)
    place = Place(kind=kind, name=name, parent=parent, code=code, sort=sort, floors=floors, has_lift=has_lift,
                  path=_next_path(parent.path if parent else "", siblings))
    if kind == PlaceKind.COMMUNITY:
        place.save()
        place.community = place
    elif parent is not None:
        place.community_id = parent.community_id
    place.save()
    return place


def create_household(*, building: Place, room_no: str, unit_no: str = "",
                     floor_area: Decimal | None = None, is_owner_occupied: bool = True) -> Household:
    if building.kind != PlaceKind.BUILDING:
        raise InvalidInput(_("A household must be in a building."), field="building")
    if not (room_no or "").strip():
        raise InvalidInput(_("Room number is required."), field="room_no")
    household = Household(building=building, community_id=building.community_id, path=building.path,
                          unit_no=unit_no.strip(), room_no=room_no.strip(), floor_area=floor_area,
                          is_owner_occupied=is_owner_occupied)
    household.full_clean()
    household.save()
    return household


def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name: 张三 → ("zhangsan", "zs")."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower(), "".join(initials).lower()


def parse_id_number(raw: str) -> idcard.IdInfo:
    try:
        return idcard.parse(raw, today=timezone.localdate())
    except idcard.InvalidIdNumber as exc:
        raise InvalidInput(_(ID_ERRORS[str(exc)]), field="id_number") from None


def parse_phone(raw: str) -> str:
    try:
        return phones.normalize(raw)
    except phones.InvalidPhone:
        raise InvalidInput(_("Phone number is not a valid mobile or landline number."), field="phone") from None


def _set_id_number(resident: Resident, info: idcard.IdInfo) -> None:
    resident.id_number_cipher = crypto.encrypt(info.number)
    resident.id_number_hash = crypto.lookup_hash(info.number)
    resident.id_number_masked = masking.mask_id_number(info.number)
    resident.id_last4 = info.number[-4:]
    resident.birth_date = info.birth_date
    resident.gender = info.gender


def _set_phone(resident: Resident, phone: str) -> None:
    resident.phone_cipher = crypto.encrypt(phone) if phone else ""
    resident.phone_hash = crypto.lookup_hash(phone) if phone else ""
    resident.phone_masked = masking.mask_phone(phone)


def find_by_id_number(number: str) -> Resident | None:
    return Resident.objects.filter(id_number_hash=crypto.lookup_hash(idcard.normalize(number))).first()


def build_resident(*, household: Household, name: str, id_number: str, phone: str = "",
                   relation: str = Relation.OTHER, moved_in_on: dt.date | None = None) -> Resident:
    """Validate and prepare a resident (unsaved): used by register_resident and the bulk paths."""
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput(_("Name is required (at most 50 characters)."), field="name")
    if relation not in Relation.values:
        raise InvalidInput(_("Unknown relation to the head of household."), field="relation")
    info = parse_id_number(id_number)
    phone = parse_phone(phone) if (phone or "").strip() else ""
    pinyin, initials = name_keys(name)
    resident = Resident(household=household, community_id=household.community_id, path=household.path,
                        name=name, name_pinyin=pinyin, name_initials=initials, relation=relation,
                        moved_in_on=moved_in_on)
    _set_id_number(resident, info)
    _set_phone(resident, phone)
    return resident


@transaction.atomic
def register_resident(*, actor, household: Household, name: str, id_number: str, phone: str = "",
                      relation: str = Relation.OTHER, tags: list[str] | None = None,
                      moved_in_on: dt.date | None = None, check_permission: bool = True) -> Resident:
    """登记居民 — add a person to a household, with a move-in record."""
    if check_permission:
        require(actor, "registry.change_resident", household)
    resident = build_resident(household=household, name=name, id_number=id_number, phone=phone,
                              relation=relation, moved_in_on=moved_in_on)
    if Resident.objects.filter(id_number_hash=resident.id_number_hash).exists():
        raise InvalidInput(_("A resident with this ID number is already registered."), field="id_number")
    resident.save()
    set_tags(resident=resident, tags=tags or [])
    ResidentMove.objects.create(resident=resident, kind=MoveKind.MOVE_IN, on=moved_in_on or timezone.localdate(),
                                household=household, actor=actor if getattr(actor, "pk", None) else None)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=resident)
    return resident


def set_tags(*, resident: Resident, tags: list[str]) -> None:
    unknown = [t for t in tags if t not in Tag.values]
    if unknown:
        raise InvalidInput(_("Unknown tag: %(tag)s") % {"tag": unknown[0]}, field="tags")
    ResidentTagging.objects.filter(resident=resident).exclude(tag__in=tags).delete()
    existing = set(ResidentTagging.objects.filter(resident=resident).values_list("tag", flat=True))
    ResidentTagging.objects.bulk_create([ResidentTagging(resident=resident, tag=t) for t in set(tags) - existing])


@transaction.atomic
def archive_resident(*, actor, resident: Resident, reason: str, kind: str = MoveKind.MOVE_OUT,
                     on: dt.date | None = None) -> Resident:
    """迁出/去世 — residents are archived, never deleted."""
    require(actor, "registry.change_resident", resident)
    if resident.status == ResidentStatus.ARCHIVED:
        raise InvalidInput(_("This resident is already archived."))
    if kind not in (MoveKind.MOVE_OUT, MoveKind.DECEASED):
        raise InvalidInput(_("Archive as moved out or deceased."), field="kind")
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason."), field="reason")
    resident.status = ResidentStatus.ARCHIVED
    resident.archived_at = timezone.now()
    resident.archive_reason = reason.strip()[:200]
    resident.save(update_fields=["status", "archived_at", "archive_reason", "updated_at"])
    ResidentMove.objects.create(resident=resident, kind=kind, on=on or timezone.localdate(),
                                household=resident.household, note=reason.strip()[:200], actor=actor)
    record_audit(actor=actor, action=AuditEvent.Action.ARCHIVE, target=resident, reason=reason.strip())
    return resident


REVEALABLE = {"id_number": "id_number_cipher", "phone": "phone_cipher"}


@transaction.atomic
def reveal_resident_field(*, actor, resident: Resident, field: str, reason: str) -> str:
    """查看完整信息 — the only way to read a clear ID number or phone. Needs the right and a reason; audited."""
    if field not in REVEALABLE:
        raise InvalidInput(_("This field cannot be revealed."), field="field")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("Give the reason for viewing this personal data."), field="reason")
    require(actor, "registry.reveal_resident", resident)
    cipher = getattr(resident, REVEALABLE[field])
    value = crypto.decrypt(cipher) if cipher else ""
    record_audit(actor=actor, action=AuditEvent.Action.REVEAL, target=resident, field=field, reason=reason[:500])
    return value
