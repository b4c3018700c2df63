"""居民台账导入 — importing residents from the Excel/CSV ledgers communities keep.

One import goes into one unit (a community, grid or estate) the actor may import into. Every row is validated
in memory first; the registry is read in a handful of queries (the unit's estates, buildings and households,
and the residents whose ID numbers the file names, by keyed hash); then, if the mode allows, everything is
written in one transaction with bulk inserts. Either every row is written or, in ``valid_only`` mode, every
valid row is — the report lists each rejected row with its Excel row number, column and reason. Nothing is
ever skipped silently.

Idempotent on the ID number: a row whose person is already registered updates them (a changed household is
a ResidentMove transfer; phone, relation and tags are replaced when the row gives them) or counts as
unchanged. Blank cells never erase stored data; ``无`` in 标签 clears the tags.

Places: a 小区/楼栋 that does not exist under the unit is a row error, unless ``create_places`` is set —
then missing buildings are created under their estate, and missing estates under the unit when it is a grid
(an estate belongs to a grid, so importing into a whole community cannot place a new estate).
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core import crypto, idcard, masking, paths
from gongzhi.core import phone as phones
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require
from gongzhi.core.tabular import MODES, ImportReport, RowError, open_table

from .enums import Gender, MoveKind, PlaceKind, Relation, ResidentStatus, Tag
from .models import Household, Place, Resident, ResidentMove, ResidentTagging
from .selectors import places_visible_to
from .services import build_resident, create_place

BATCH = 1000
IMPORT_UNIT_KINDS = (PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE)

# Column names as the importer uses them; the report names columns as written in the file.
NAME, GENDER, ID_NUMBER, PHONE, ESTATE, BUILDING, ENTRANCE, ROOM, RELATION, TAGS, BIRTH = (
    "姓名", "性别", "身份证号", "联系电话", "小区", "楼栋", "单元", "房号", "与户主关系", "标签", "出生日期")
COLUMNS = (NAME, GENDER, ID_NUMBER, PHONE, ESTATE, BUILDING, ENTRANCE, ROOM, RELATION, TAGS)
REQUIRED = (NAME, ID_NUMBER, BUILDING, ROOM)
ALIASES = {
    "名字": NAME, "居民姓名": NAME,
    "身份证号码": ID_NUMBER, "身份证": ID_NUMBER, "公民身份号码": ID_NUMBER, "证件号码": ID_NUMBER,
    "手机号": PHONE, "手机号码": PHONE, "手机": PHONE, "电话": PHONE, "电话号码": PHONE, "联系方式": PHONE,
    "小区名称": ESTATE, "小区名": ESTATE,
    "楼号": BUILDING, "楼栋号": BUILDING, "栋": BUILDING, "幢": BUILDING, "楼幢": BUILDING,
    "单元号": ENTRANCE,
    "房间号": ROOM, "房号/室": ROOM, "室号": ROOM, "门牌号": ROOM, "户号": ROOM,
    "户主关系": RELATION, "与户主的关系": RELATION, "关系": RELATION,
    "人员标签": TAGS, "居民标签": TAGS, "人员类别": TAGS, "特殊人群": TAGS,
    "出生年月日": BIRTH, "出生年月": BIRTH,
}

GENDER_LABELS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE,
                 "male": Gender.MALE, "female": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}
RELATION_LABELS = {
    "户主": Relation.HEAD, "本人": Relation.HEAD,
    "配偶": Relation.SPOUSE, "妻": Relation.SPOUSE, "妻子": Relation.SPOUSE, "夫": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子女": Relation.CHILD, "子": Relation.CHILD, "女": Relation.CHILD, "儿子": Relation.CHILD,
    "女儿": Relation.CHILD, "长子": Relation.CHILD, "长女": Relation.CHILD, "次子": Relation.CHILD,
    "次女": Relation.CHILD, "独生子": Relation.CHILD, "独生女": Relation.CHILD,
    "父母": Relation.PARENT, "父亲": Relation.PARENT, "母亲": Relation.PARENT, "父": Relation.PARENT,
    "母": Relation.PARENT, "公婆": Relation.PARENT, "岳父母": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD, "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD,
    "外孙子女": Relation.GRANDCHILD, "外孙": Relation.GRANDCHILD, "外孙女": Relation.GRANDCHILD,
    "祖父母": Relation.GRANDPARENT, "祖父": Relation.GRANDPARENT, "祖母": Relation.GRANDPARENT,
    "外祖父母": Relation.GRANDPARENT, "外祖父": Relation.GRANDPARENT, "外祖母": Relation.GRANDPARENT,
    "兄弟姐妹": Relation.SIBLING, "兄弟": Relation.SIBLING, "姐妹": Relation.SIBLING, "兄": Relation.SIBLING,
    "弟": Relation.SIBLING, "姐": Relation.SIBLING, "妹": Relation.SIBLING,
    "儿媳": Relation.CHILD_IN_LAW, "女婿": Relation.CHILD_IN_LAW, "媳妇": Relation.CHILD_IN_LAW,
    "租户": Relation.TENANT, "租客": Relation.TENANT, "承租人": Relation.TENANT,
    "其他": Relation.OTHER, "其它": Relation.OTHER,
    **{value: value for value in Relation.values},
}
TAG_LABELS = {
    "独居": Tag.LIVING_ALONE, "独居老人": Tag.LIVING_ALONE,
    "残疾": Tag.DISABLED, "残疾人": Tag.DISABLED, "残障": Tag.DISABLED,
    "低保": Tag.LOW_INCOME, "低保户": Tag.LOW_INCOME, "低保对象": Tag.LOW_INCOME,
    "困境儿童": Tag.SPECIAL_NEEDS_CHILD, "特殊儿童": Tag.SPECIAL_NEEDS_CHILD,
    "流动人口": Tag.MIGRANT, "外来人口": Tag.MIGRANT,
    "党员": Tag.PARTY_MEMBER, "中共党员": Tag.PARTY_MEMBER,
    "退役军人": Tag.VETERAN, "复员军人": Tag.VETERAN, "转业军人": Tag.VETERAN,
    "空巢": Tag.EMPTY_NESTER, "空巢老人": Tag.EMPTY_NESTER,
    **{value: value for value in Tag.values},
}
# Age tags are computed from the birth date; ledgers write them, and the importer accepts and ignores them.
DERIVED_TAGS = frozenset({"高龄", "高龄老人", "老年人", "老人", "60岁以上", "65岁以上", "80岁以上"})
NO_TAGS = frozenset({"无", "-", "—"})
_TAG_SPLIT = re.compile(r"[、,，;；/\s]+")

# Chinese labels written into exports (the same vocabulary the importer reads).
GENDER_CN = {Gender.MALE: "男", Gender.FEMALE: "女"}
RELATION_CN = {Relation.HEAD: "户主", Relation.SPOUSE: "配偶", Relation.CHILD: "子女",
               Relation.PARENT: "父母", Relation.GRANDCHILD: "孙子女", Relation.GRANDPARENT: "祖父母",
               Relation.SIBLING: "兄弟姐妹",
               Relation.CHILD_IN_LAW: "儿媳/女婿", Relation.TENANT: "租户", Relation.OTHER: "其他"}
TAG_CN = {Tag.LIVING_ALONE: "独居", Tag.DISABLED: "残疾", Tag.LOW_INCOME: "低保",
          Tag.SPECIAL_NEEDS_CHILD: "困境儿童", Tag.MIGRANT: "流动人口", Tag.PARTY_MEMBER: "党员",
          Tag.VETERAN: "退役军人", Tag.EMPTY_NESTER: "空巢"}
RELATION_LABELS["儿媳/女婿"] = Relation.CHILD_IN_LAW


class Msg:
    """Row-level reasons (msgids in English; the zh-Hans catalogue holds the Chinese the user reads)."""

    REQUIRED = gettext_lazy("This column is required.")
    TOO_LONG = gettext_lazy("At most %(n)s characters.")
    ID_ERRORS = {
        "length": gettext_lazy("ID number must have 18 characters."),
        "characters": gettext_lazy("ID number may contain only digits and a final X."),
        "birth_date": gettext_lazy("ID number contains an impossible birth date."),
        "checksum": gettext_lazy("ID number check digit is wrong."),
    }
    ID_AS_NUMBER = gettext_lazy("The ID number was stored as a number and lost its last digits: format the "
                                "column as text in Excel and type the number again.")
    ID_REPEATED = gettext_lazy("The same ID number is already in row %(row)s.")
    ID_OTHER_NAME = gettext_lazy("This ID number is registered to a resident with a different name.")
    ID_OUT_OF_SCOPE = gettext_lazy("This person is registered in a household outside your area; staff "
                                   "responsible there must move them out first.")
    ID_DECEASED = gettext_lazy("This person is recorded as deceased.")
    GENDER_UNKNOWN = gettext_lazy("Write 男 or 女.")
    GENDER_CONTRADICTS = gettext_lazy("Gender contradicts the ID number, which says %(gender)s.")
    BIRTH_UNREADABLE = gettext_lazy("Not a date: write it as 1980-05-17.")
    BIRTH_CONTRADICTS = gettext_lazy("Birth date contradicts the ID number, which says %(date)s.")
    PHONE_INVALID = gettext_lazy("Phone number is not a valid mobile or landline number.")
    RELATION_UNKNOWN = gettext_lazy("Unknown relation to the head of household: %(value)s")
    TAG_UNKNOWN = gettext_lazy("Unknown tag: %(tag)s")
    ESTATE_UNKNOWN = gettext_lazy("There is no estate of this name in %(unit)s.")
    ESTATE_AMBIGUOUS = gettext_lazy("Several estates in %(unit)s have this name.")
    ESTATE_NEEDS_GRID = gettext_lazy("A new estate can be created only when importing into a grid.")
    BUILDING_UNKNOWN = gettext_lazy("There is no building of this name in %(place)s.")
    BUILDING_AMBIGUOUS = gettext_lazy("Several buildings in %(unit)s have this name: "
                                      "fill in the estate (小区).")
    BUILDING_NEEDS_ESTATE = gettext_lazy("Fill in the estate (小区) to create this building.")


# ---------------------------------------------------------------------------------------------------------
# Normalising what people type


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> str:
    """'十二' → '12', '三' → '3'; anything else unchanged."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return text
    if "十" not in text:
        return "".join(str(_CN_DIGITS[c]) for c in text)
    tens, _sep, ones = text.partition("十")
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return str(value) if len(tens) <= 1 and len(ones) <= 1 else text


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def building_key(name: str) -> str:
    """'3号楼', '3栋', '3幢', '三号楼', '3#' → '3'."""
    return _cn_number(_strip_suffix(_fold(name), ("号楼", "号", "栋", "幢", "座", "楼", "#")))


def estate_key(name: str) -> str:
    return _strip_suffix(_fold(name), ("小区",))


def entrance_no(text: str) -> str:
    """'1单元', '一单元', '1' → '1'."""
    return _cn_number(_strip_suffix(_fold(text), ("单元",)))


def room_no(text: str) -> str:
    """'301室', '301号', '301' → '301'."""
    return _strip_suffix(_fold(text), ("室", "号"))


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?(?:\s.*)?$")


def _parse_birth(text: str) -> tuple[int, int, int | None] | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


# ---------------------------------------------------------------------------------------------------------
# The plan: what each valid row does


@dataclass
class _Row:
    number: int
    name: str
    id_number: str
    id_hash: str
    phone: str | None  # None: not given (leave as is)
    relation: str | None  # None: not given
    tags: frozenset[str] | None  # None: not given; empty: clear
    building: int | tuple  # a Place id, or the key of a building to create
    entrance: str
    room: str


@dataclass
class _Places:
    """The estates and buildings under the import unit, keyed by their normalised names."""

    unit: Place
    estates: dict[str, list[Place]] = field(default_factory=dict)
    buildings_by_estate: dict[int, dict[str, list[Place]]] = field(default_factory=dict)
    buildings: dict[str, list[Place]] = field(default_factory=dict)
    new_estates: dict[str, str] = field(default_factory=dict)  # key → name as first written
    new_buildings: dict[tuple, str] = field(default_factory=dict)  # (estate ref, key) → name

    @classmethod
    def load(cls, unit: Place) -> "_Places":
        found = cls(unit=unit)
        rows = Place.objects.subtree(unit.path).filter(kind__in=(PlaceKind.ESTATE, PlaceKind.BUILDING))
        for place in rows.only("id", "kind", "name", "parent_id", "path", "community_id"):
            if place.kind == PlaceKind.ESTATE:
                found.estates.setdefault(estate_key(place.name), []).append(place)
            else:
                key = building_key(place.name)
                found.buildings_by_estate.setdefault(place.parent_id, {}).setdefault(key, []).append(place)
                found.buildings.setdefault(key, []).append(place)
        return found


class _RowErrors:
    def __init__(self, number: int, columns: dict[str, str]):
        self.number, self.columns, self.items = number, columns, []

    def add(self, column: str, reason) -> None:
        self.items.append(RowError(self.number, self.columns.get(column, column), str(reason)))


# ---------------------------------------------------------------------------------------------------------
# Entry points


def resolve_unit(actor, unit) -> Place:
    """The place imported into, from a Place, an id, a path or a name; missing and invisible look the same."""
    if isinstance(unit, Place):
        return unit
    text = str(unit or "").strip()
    if not text:
        raise InvalidInput(_("Choose the community or grid to import into."), field="unit")
    visible = places_visible_to(actor)
    if text.isdigit() and not text.startswith("0"):
        found = list(visible.filter(pk=int(text))[:1])
    elif text.isdigit():
        found = list(visible.filter(path=text)[:1])
    else:
        found = list(visible.filter(name=text, kind__in=IMPORT_UNIT_KINDS)[:2])
        if len(found) > 1:
            raise InvalidInput(_("Several places have this name: give the place id."), field="unit")
    if not found:
        raise NotFound(_("There is no such place: %(unit)s") % {"unit": text}, field="unit")
    return found[0]


def import_residents(*, actor, source, unit, mode: str = "all_or_nothing", filename: str = "",
                     dry_run: bool = False, create_places: bool = False) -> ImportReport:
    """导入居民台账 — validate every row, then write all (or, in ``valid_only`` mode, the valid) rows.

    ``unit``: a Place (or id/path/name) the actor may import into — a community, grid or estate.
    Raises InvalidInput for a file that cannot be read or lacks columns, Forbidden/NotFound for the unit.
    """
    if mode not in MODES:
        raise InvalidInput(_("Unknown import mode: choose all_or_nothing or valid_only."), field="mode")
    place = resolve_unit(actor, unit)
    if place.kind not in IMPORT_UNIT_KINDS:
        raise InvalidInput(_("Residents are imported into a community, a grid or an estate."), field="unit")
    require(actor, "registry.import_residents", place)

    table = open_table(source, filename=filename, required=REQUIRED, aliases=ALIASES)
    report = ImportReport(mode=mode)
    places = _Places.load(place)
    today = timezone.localdate()
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        report.total += 1
        errors = _RowErrors(number, table.columns)
        row = _parse_row(number, cells, errors, places, today=today, create_places=create_places)
        if row is not None:
            first = seen.setdefault(row.id_hash, number)
            if first != number:
                errors.add(ID_NUMBER, Msg.ID_REPEATED % {"row": first})
        if errors.items:
            report.rejected += 1
            report.errors.extend(errors.items)
        else:
            rows.append(row)

    plan = _Plan.make(rows, places, actor=actor, columns=table.columns, report=report)
    report.created, report.updated, report.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
    report.errors.sort(key=lambda e: e.row)

    if dry_run:
        return report
    if mode == "all_or_nothing" and report.rejected:
        _audit(actor, place, report, places_created=0)
        return report
    try:
        with transaction.atomic():
            created_places = plan.write(actor=actor, today=today)
            report.committed = True
            _audit(actor, place, report, places_created=created_places)
    except IntegrityError:
        raise InvalidInput(_("The registry changed while the file was being imported; import it again."),
                           field="file") from None
    return report


def _audit(actor, place: Place, report: ImportReport, *, places_created: int) -> None:
    counts = {k: v for k, v in report.as_dict().items() if k != "errors"}
    record_audit(actor=actor, action=AuditEvent.Action.IMPORT, target=place,
                 data={"kind": "residents", **counts, "places_created": places_created})


# ---------------------------------------------------------------------------------------------------------
# Validating one row (no queries)


def _parse_row(number: int, cells: dict, errors: _RowErrors, places: _Places, *, today: dt.date,
               create_places: bool) -> _Row | None:
    name = cells.get(NAME, "")
    if not name:
        errors.add(NAME, Msg.REQUIRED)
    elif len(name) > 50:
        errors.add(NAME, Msg.TOO_LONG % {"n": 50})

    info = None
    raw_id = cells.get(ID_NUMBER, "")
    if not raw_id:
        errors.add(ID_NUMBER, Msg.REQUIRED)
    elif "E+" in raw_id.upper() or "." in raw_id:
        errors.add(ID_NUMBER, Msg.ID_AS_NUMBER)
    else:
        try:
            info = idcard.parse(raw_id, today=today)
        except idcard.InvalidIdNumber as exc:
            errors.add(ID_NUMBER, Msg.ID_ERRORS[str(exc)])

    gender = cells.get(GENDER, "")
    if gender:
        value = GENDER_LABELS.get(gender.lower())
        if value is None:
            errors.add(GENDER, Msg.GENDER_UNKNOWN)
        elif info is not None and value != info.gender:
            errors.add(GENDER, Msg.GENDER_CONTRADICTS % {"gender": GENDER_CN[info.gender]})

    birth = cells.get(BIRTH, "")
    if birth:
        parsed = _parse_birth(birth)
        if parsed is None:
            errors.add(BIRTH, Msg.BIRTH_UNREADABLE)
        elif info is not None:
            b = info.birth_date
            if parsed[:2] != (b.year, b.month) or parsed[2] not in (None, b.day):
                errors.add(BIRTH, Msg.BIRTH_CONTRADICTS % {"date": b.isoformat()})

    phone = None
    if cells.get(PHONE, ""):
        try:
            phone = phones.normalize(cells[PHONE])
        except phones.InvalidPhone:
            errors.add(PHONE, Msg.PHONE_INVALID)

    relation = None
    if cells.get(RELATION, ""):
        relation = RELATION_LABELS.get(_fold(cells[RELATION]).lower())
        if relation is None:
            errors.add(RELATION, Msg.RELATION_UNKNOWN % {"value": cells[RELATION]})

    tags = _parse_tags(cells.get(TAGS, ""), errors) if TAGS in cells else None

    entrance = entrance_no(cells.get(ENTRANCE, ""))
    if len(entrance) > 10:
        errors.add(ENTRANCE, Msg.TOO_LONG % {"n": 10})
    room = room_no(cells.get(ROOM, ""))
    if not room:
        errors.add(ROOM, Msg.REQUIRED)
    elif len(room) > 10:
        errors.add(ROOM, Msg.TOO_LONG % {"n": 10})

    building = _find_building(cells.get(ESTATE, ""), cells.get(BUILDING, ""), errors, places,
                              create_places=create_places)
    if errors.items:
        return None
    return _Row(number=number, name=name, id_number=info.number, id_hash=crypto.lookup_hash(info.number),
                phone=phone, relation=relation, tags=tags, building=building, entrance=entrance, room=room)


def _parse_tags(text: str, errors: _RowErrors) -> frozenset[str] | None:
    text = _fold(text) if text else ""
    if not text:
        return None  # blank: leave stored tags as they are
    if text in NO_TAGS:
        return frozenset()
    found = set()
    for label in filter(None, _TAG_SPLIT.split(unicodedata.normalize("NFKC", text))):
        if label in DERIVED_TAGS:
            continue
        tag = TAG_LABELS.get(label) or TAG_LABELS.get(label.lower())
        if tag is None:
            errors.add(TAGS, Msg.TAG_UNKNOWN % {"tag": label})
        else:
            found.add(tag)
    return frozenset(found)


def _find_building(estate_name: str, building_name: str, errors: _RowErrors, places: _Places, *,
                   create_places: bool):
    """A building Place id, or ("new", estate ref, key) for one to create; None (with an error) otherwise."""
    if not building_name:
        errors.add(BUILDING, Msg.REQUIRED)
        return None
    unit = places.unit
    bkey = building_key(building_name)
    estate_ref = None  # an estate id, or ("new", key)
    if estate_name:
        ekey = estate_key(estate_name)
        if unit.kind == PlaceKind.ESTATE:
            if ekey != estate_key(unit.name):
                errors.add(ESTATE, Msg.ESTATE_UNKNOWN % {"unit": unit.name})
                return None
            estate_ref = unit.pk
        else:
            matches = places.estates.get(ekey, [])
            if len(matches) > 1:
                errors.add(ESTATE, Msg.ESTATE_AMBIGUOUS % {"unit": unit.name})
                return None
            if matches:
                estate_ref = matches[0].pk
            elif create_places and unit.kind == PlaceKind.GRID:
                places.new_estates.setdefault(ekey, _fold(estate_name))
                estate_ref = ("new", ekey)
            else:
                errors.add(ESTATE, Msg.ESTATE_NEEDS_GRID if create_places else
                           Msg.ESTATE_UNKNOWN % {"unit": unit.name})
                return None
    elif unit.kind == PlaceKind.ESTATE:
        estate_ref = unit.pk

    if estate_ref is None:
        matches = places.buildings.get(bkey, [])
        if len(matches) == 1:
            return matches[0].pk
        if matches:
            errors.add(BUILDING, Msg.BUILDING_AMBIGUOUS % {"unit": unit.name})
        else:
            errors.add(BUILDING, Msg.BUILDING_NEEDS_ESTATE if create_places else
                       Msg.BUILDING_UNKNOWN % {"place": unit.name})
        return None
    if isinstance(estate_ref, int):
        matches = places.buildings_by_estate.get(estate_ref, {}).get(bkey, [])
        if len(matches) == 1:
            return matches[0].pk
        if matches:
            errors.add(BUILDING, Msg.BUILDING_AMBIGUOUS % {"unit": unit.name})
            return None
    if not create_places:
        errors.add(BUILDING, Msg.BUILDING_UNKNOWN % {"place": estate_name or unit.name})
        return None
    ref = ("new", estate_ref, bkey)
    places.new_buildings.setdefault(ref, _fold(building_name))
    return ref


# ---------------------------------------------------------------------------------------------------------
# Comparing with the registry and writing


def _existing_residents(hashes: list[str]) -> dict[str, Resident]:
    found: dict[str, Resident] = {}
    fields = ("id", "name", "household_id", "community_id", "path", "phone_hash", "relation", "status",
              "id_number_hash")
    for start in range(0, len(hashes), BATCH):
        for r in Resident.objects.filter(id_number_hash__in=hashes[start:start + BATCH]).only(*fields):
            found[r.id_number_hash] = r
    return found


def _tags_of(resident_ids: list[int]) -> dict[int, set[str]]:
    tags: dict[int, set[str]] = {}
    for start in range(0, len(resident_ids), BATCH):
        rows = ResidentTagging.objects.filter(resident_id__in=resident_ids[start:start + BATCH])
        for resident_id, tag in rows.values_list("resident_id", "tag"):
            tags.setdefault(resident_id, set()).add(tag)
    return tags


def _households_under(unit: Place) -> dict[tuple, int]:
    rows = Household.objects.filter(paths.subtree_q("path", unit.path))
    return {(b, u, r): pk for pk, b, u, r in rows.values_list("id", "building_id", "unit_no", "room_no")}


@dataclass
class _Plan:
    places: _Places
    households: dict[tuple, int]
    creates: list[_Row] = field(default_factory=list)
    updates: list[tuple[_Row, Resident, set[str]]] = field(default_factory=list)  # row, resident, changes
    unchanged: int = 0
    existing_tags: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def make(cls, rows: list[_Row], places: _Places, *, actor, columns: dict,
             report: ImportReport) -> "_Plan":
        plan = cls(places=places, households=_households_under(places.unit))
        existing = _existing_residents([r.id_hash for r in rows])
        plan.existing_tags = _tags_of([r.pk for r in existing.values()])
        archived = [r.pk for r in existing.values() if r.status == ResidentStatus.ARCHIVED]
        deceased = set(ResidentMove.objects.filter(resident_id__in=archived, kind=MoveKind.DECEASED)
                       .values_list("resident_id", flat=True)) if archived else set()
        unit_path = places.unit.path
        for row in rows:
            resident = existing.get(row.id_hash)
            if resident is None:
                plan.creates.append(row)
                continue
            errors = _RowErrors(row.number, columns)
            # Scope first, so nothing more is told about a person outside the actor's area.
            if not resident.path.startswith(unit_path) and not actor.has_perm("registry.change_resident",
                                                                              resident):
                errors.add(ID_NUMBER, Msg.ID_OUT_OF_SCOPE)
            elif resident.name != row.name:
                errors.add(ID_NUMBER, Msg.ID_OTHER_NAME)
            elif resident.pk in deceased:
                errors.add(ID_NUMBER, Msg.ID_DECEASED)
            if errors.items:
                report.rejected += 1
                report.errors.extend(errors.items)
                continue
            changes = plan._changes(row, resident)
            if changes:
                plan.updates.append((row, resident, changes))
            else:
                plan.unchanged += 1
        return plan

    def household_of(self, row: _Row) -> int | None:
        if isinstance(row.building, tuple):
            return None
        return self.households.get((row.building, row.entrance, row.room))

    def _changes(self, row: _Row, resident: Resident) -> set[str]:
        changes = set()
        if resident.status == ResidentStatus.ARCHIVED:
            changes.add("status")
        if self.household_of(row) != resident.household_id:
            changes.add("household")
        if row.phone is not None and crypto.lookup_hash(row.phone) != resident.phone_hash:
            changes.add("phone")
        if row.relation is not None and row.relation != resident.relation:
            changes.add("relation")
        if row.tags is not None and set(row.tags) != self.existing_tags.get(resident.pk, set()):
            changes.add("tags")
        return changes

    # -- writing (inside the caller's transaction) --------------------------------------------------------

    def write(self, *, actor, today: dt.date) -> int:
        """Write the plan; returns how many places were created."""
        buildings, places_created = self._create_places()
        household_objs = self._create_households(buildings)
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        moves: list[tuple] = []  # MOVE_FIELDS
        taggings: list[tuple] = []  # (resident, tag)
        on = connection.ops.adapt_datefield_value(today)
        created_at = connection.ops.adapt_datetimefield_value(timezone.now())

        def move(resident, kind, note) -> tuple:
            return (resident.pk, kind, on, resident.household_id, note, actor_id, created_at)

        note_new, note_again, note_moved = (_("registered by ledger import"),
                                            _("registered again by ledger import"),
                                            _("household changed by ledger import"))
        for start in range(0, len(self.creates), BATCH):
            chunk = self.creates[start:start + BATCH]
            residents = []
            for row in chunk:
                household = household_objs[self._door(row, buildings)]
                residents.append(build_resident(
                    household=household, name=row.name, id_number=row.id_number, phone=row.phone or "",
                    relation=row.relation or Relation.OTHER))
            Resident.objects.bulk_create(residents)
            for row, resident in zip(chunk, residents, strict=True):
                moves.append(move(resident, MoveKind.MOVE_IN, note_new))
                taggings.extend((resident.pk, t) for t in sorted(row.tags or ()))
            moves, taggings = _flush(moves, taggings)

        now = timezone.now()
        retag: list[int] = []
        changed: list[Resident] = []
        fields: set[str] = set()
        for row, resident, changes in self.updates:
            if "household" in changes:
                household = household_objs[self._door(row, buildings)]
                resident.household_id = household.pk
                resident.community_id, resident.path = household.community_id, household.path
            if "status" in changes:
                resident.status, resident.archived_at = ResidentStatus.ACTIVE, None
                resident.archive_reason = ""
                moves.append(move(resident, MoveKind.MOVE_IN, note_again))
            elif "household" in changes:
                moves.append(move(resident, MoveKind.TRANSFER, note_moved))
            if "phone" in changes:
                _set_phone(resident, row.phone)
            if "relation" in changes:
                resident.relation = row.relation
            if "tags" in changes:
                retag.append(resident.pk)
                taggings.extend((resident.pk, t) for t in sorted(row.tags))
            if changes - {"tags"}:
                resident.updated_at = now
                changed.append(resident)
                fields.update(f for change in changes for f in UPDATE_FIELDS.get(change, ()))
        for start in range(0, len(retag), BATCH):
            ResidentTagging.objects.filter(resident_id__in=retag[start:start + BATCH]).delete()
        _update(Resident, sorted(fields | {"updated_at"}), changed)
        _flush(moves, taggings)
        return places_created

    def _door(self, row: _Row, buildings: dict) -> tuple[int, str, str]:
        return (buildings[row.building].pk, row.entrance, row.room)

    def _create_places(self) -> tuple[dict, int]:
        """Create the estates and buildings valid rows need; map every building reference to its Place."""
        places = self.places
        used = {row.building for row in self.creates} | {row.building for row, _r, _c in self.updates}
        new_buildings = {ref: name for ref, name in places.new_buildings.items() if ref in used}
        used_estates = {ref[1] for ref in new_buildings}
        estates: dict = {}
        for key, name in places.new_estates.items():
            if ("new", key) in used_estates:
                estates[("new", key)] = create_place(kind=PlaceKind.ESTATE, name=name, parent=places.unit)
        buildings: dict = {b.pk: b for group in places.buildings.values() for b in group}
        known = {e.pk: e for group in places.estates.values() for e in group} | {places.unit.pk: places.unit}
        for ref, name in new_buildings.items():
            _new, estate_ref, _key = ref
            estate = estates[estate_ref] if isinstance(estate_ref, tuple) else known[estate_ref]
            buildings[ref] = create_place(kind=PlaceKind.BUILDING, name=name, parent=estate)
        return buildings, len(estates) + len(new_buildings)

    def _create_households(self, buildings: dict) -> dict[tuple, Household]:
        objs: dict[tuple, Household] = {}
        needed = self.creates + [row for row, _r, changes in self.updates if "household" in changes]
        missing: dict[tuple, Household] = {}
        for row in needed:
            building = buildings[row.building]
            door = (building.pk, row.entrance, row.room)
            if door in objs or door in missing:
                continue
            pk = self.households.get(door)
            if pk is not None:
                objs[door] = Household(pk=pk, building_id=building.pk, community_id=building.community_id,
                                       path=building.path, unit_no=row.entrance, room_no=row.room)
            else:
                missing[door] = Household(building_id=building.pk, community_id=building.community_id,
                                          path=building.path, unit_no=row.entrance, room_no=row.room)
        Household.objects.bulk_create(list(missing.values()), batch_size=BATCH)
        objs.update(missing)
        return objs


# Moves, taggings and updates are written with plain executemany: Django's bulk_create/bulk_update spend far
# more time building model instances and CASE expressions than the database spends writing the rows.
MOVE_FIELDS = ["resident", "kind", "on", "household", "note", "actor", "created_at"]


def _flush(moves: list[tuple], taggings: list[tuple]) -> tuple[list, list]:
    _insert(ResidentMove, MOVE_FIELDS, moves)
    _insert(ResidentTagging, ["resident", "tag"], taggings)
    return [], []


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 10):
            cursor.executemany(sql, rows[start:start + BATCH * 10])


def _update(model, fields: list[str], objects: list) -> None:
    if not objects:
        return
    qn = connection.ops.quote_name
    meta_fields = [model._meta.get_field(f) for f in fields]
    sets = ", ".join(f"{qn(f.column)} = %s" for f in meta_fields)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn(model._meta.pk.column)} = %s"  # noqa: S608
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in meta_fields] + [obj.pk]
              for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


UPDATE_FIELDS = {  # the columns each kind of change writes
    "household": ("household", "community", "path"),
    "status": ("status", "archived_at", "archive_reason"),
    "phone": ("phone_cipher", "phone_hash", "phone_masked"),
    "relation": ("relation",),
}


def _set_phone(resident: Resident, phone: str) -> None:
    resident.phone_cipher = crypto.encrypt(phone)
    resident.phone_hash = crypto.lookup_hash(phone)
    resident.phone_masked = masking.mask_phone(phone)
