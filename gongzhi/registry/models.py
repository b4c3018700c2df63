import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core import paths

from .enums import AGE_TAGS, Gender, MoveKind, PlaceKind, Relation, ResidentStatus, ResidentUnitKind, Tag


class PlaceQuerySet(models.QuerySet):
    def subtree(self, path: str, *, include_self: bool = True):
        return self.filter(paths.subtree_q("path", path, include_self=include_self))

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class Place(models.Model):
    """区划 — one node of the place tree 区 → 街道 → 社区 → 网格 → 小区 → 楼栋 (materialised path)."""

    kind = models.CharField(_("kind"), max_length=12, choices=PlaceKind)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, blank=True)  # 区划代码, for districts the GB/T 2260 code
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=64, unique=True, editable=False)
    # Community this place belongs to (itself for a community; null above community level).
    community = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    sort = models.PositiveIntegerField(default=0)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)  # buildings only
    has_lift = models.BooleanField(_("has lift"), default=False)  # buildings only

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="place_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return paths.depth(self.path)

    def ancestor_paths(self) -> list[str]:
        return paths.ancestors(self.path)


class Household(models.Model):
    """户 — a dwelling and the people registered in it, with its floor area for owners' votes."""

    building = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="households")
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the building's path
    unit_no = models.CharField(_("entrance"), max_length=10, blank=True)  # 单元
    room_no = models.CharField(_("room"), max_length=10)  # 房号
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    is_owner_occupied = models.BooleanField(_("owner-occupied"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "unit_no", "room_no"]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit_no", "room_no"], name="household_unique_door"),
            models.CheckConstraint(condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0),
                                   name="household_floor_area_positive"),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def door(self) -> str:
        unit = f"{self.unit_no}单元" if self.unit_no else ""
        return f"{unit}{self.room_no}室"

    @property
    def address(self) -> str:
        building = self.building
        parent = building.parent if building.parent_id else None
        return self.address_of(parent.kind if parent else "", parent.name if parent else "", building.name,
                               self.unit_no, self.room_no)

    @staticmethod
    def address_of(parent_kind: str, parent_name: str, building: str, unit_no: str, room_no: str) -> str:
        """"南营巷小区1号楼1单元101室": the estate (when the building's parent is one), building and door;
        also for rows read with ``values()``."""
        estate = parent_name if parent_kind == PlaceKind.ESTATE else ""
        unit = f"{unit_no}单元" if unit_no else ""
        return f"{estate}{building}{unit}{room_no}室"


class ResidentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ResidentStatus.ACTIVE)

    def in_subtree(self, path: str):
        return self.filter(paths.subtree_q("path", path))

    def aged(self, years: int, *, today: dt.date | None = None):
        today = today or timezone.localdate()
        try:
            cutoff = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            cutoff = today.replace(year=today.year - years, day=28)
        return self.filter(birth_date__lte=cutoff)

    def tagged(self, tag: str):
        return self.filter(taggings__tag=tag)


# Operator classes of a (community, prefix key, status, path, household, id) search index on PostgreSQL.
PREFIX_OPCLASSES = ["int8_ops", "varchar_pattern_ops", "varchar_ops", "varchar_ops", "int8_ops", "int8_ops"]


class Resident(models.Model):
    """居民 — a person registered in a household. Archived, never deleted.

    ID number and phone are stored encrypted (``*_cipher``), with a keyed hash for exact lookup
    (``*_hash``) and the masked form for display (``*_masked``). Read the clear value only through
    ``registry.services.reveal_resident_field``, which checks the right and writes the audit log.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="residents")
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the building's path
    name = models.CharField(_("name"), max_length=50, db_index=True)
    name_pinyin = models.CharField(max_length=200, db_index=True, editable=False)  # "zhangsan"
    name_initials = models.CharField(max_length=50, db_index=True, editable=False)  # "zs"
    gender = models.CharField(_("gender"), max_length=6, choices=Gender)
    birth_date = models.DateField(_("birth date"), db_index=True)
    id_number_cipher = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    id_last4 = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    relation = models.CharField(_("relation to head"), max_length=16, choices=Relation, default=Relation.OTHER)
    status = models.CharField(_("status"), max_length=10, choices=ResidentStatus, default=ResidentStatus.ACTIVE)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["path", "household_id", "id"]
        # Resident search (registry.selectors.search_residents) filters on community first, then one search key,
        # status and the path; these indexes carry everything the count and the page's ordering need, so both
        # are answered from the index alone (see docs/benchmarks.md). On PostgreSQL the prefix-searched key uses
        # varchar_pattern_ops, so LIKE 'x%' is an index range under any collation (SQLite ignores opclasses).
        indexes = [
            models.Index(fields=["community", "name", "status", "path", "household", "id"],
                         opclasses=PREFIX_OPCLASSES, name="resident_search_name_p"),
            models.Index(fields=["community", "name_initials", "status", "path", "household", "id"],
                         opclasses=PREFIX_OPCLASSES, name="resident_search_initials_p"),
            models.Index(fields=["community", "name_pinyin", "status", "path", "household", "id"],
                         opclasses=PREFIX_OPCLASSES, name="resident_search_pinyin_p"),
            models.Index(fields=["community", "id_last4", "status", "path", "household", "id"],
                         name="resident_search_last4"),
            models.Index(fields=["community", "status", "path", "household", "id"], name="resident_search_scope"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResidentStatus.ACTIVE, archived_at__isnull=True)
                | Q(status=ResidentStatus.ARCHIVED, archived_at__isnull=False),
                name="resident_archived_iff_archived_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def age(self, today: dt.date | None = None) -> int:
        return self.age_on(self.birth_date, today or timezone.localdate())

    def age_tags(self, today: dt.date | None = None) -> list[str]:
        return self.age_tags_for(self.age(today))

    @staticmethod
    def age_on(birth_date: dt.date, today: dt.date) -> int:
        return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))

    @staticmethod
    def age_tags_for(age: int) -> list[str]:
        """The highest age band reached (60+ / 65+ / 80+), or none."""
        return [str(label) for years, label in AGE_TAGS.items() if age >= years][:1]


class ResidentTagging(models.Model):
    """居民标签 — one stored tag on one resident."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="taggings")
    tag = models.CharField(max_length=24, choices=Tag)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="resident_tag_unique")]
        indexes = [models.Index(fields=["tag", "resident"])]

    def __str__(self) -> str:
        return f"{self.resident_id}:{self.tag}"


class ResidentMove(models.Model):
    """迁入迁出记录 — the move-in / move-out history of a resident."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(max_length=10, choices=MoveKind)
    on = models.DateField()
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.kind} {self.on}"


class ResidentUnit(models.Model):
    """驻区单位 / 商户 / 社会组织 — an organisation based in the community."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="resident_units")
    kind = models.CharField(_("kind"), max_length=24, choices=ResidentUnitKind)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    business_phone = models.CharField(_("business phone"), max_length=30, blank=True)  # public, not personal
    services = models.CharField(_("services"), max_length=200, blank=True)
    in_big_party_committee = models.BooleanField(_("member of the big party committee"), default=False)

    class Meta:
        ordering = ["community", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="resident_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class WorkListEntry(models.Model):
    """一线工作清单 — a staff member's duties, covered buildings and linked merchants; public."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="work_list")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="work_list_entries")
    staff_name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50)  # 职务
    duties = models.TextField(_("duties"))  # 本职工作
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)  # public office line
    buildings = models.ManyToManyField(Place, blank=True, related_name="covered_by")  # 包片楼栋
    merchants = models.ManyToManyField(ResidentUnit, blank=True, related_name="linked_staff")  # 挂钩商户
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["community", "sort", "id"]
        verbose_name = _("frontline work list entry")

    def __str__(self) -> str:
        return f"{self.staff_name}（{self.position}）"
