from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    """区划层级: 区 → 街道 → 社区 → 网格 → 小区 → 楼栋."""

    DISTRICT = "district", _("district")  # 区
    STREET = "street", _("street")  # 街道
    COMMUNITY = "community", _("community")  # 社区
    GRID = "grid", _("grid")  # 网格
    ESTATE = "estate", _("estate")  # 小区
    BUILDING = "building", _("building")  # 楼栋


PLACE_LEVELS = [PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE,
                PlaceKind.BUILDING]
PARENT_KIND = {child: parent for parent, child in zip(PLACE_LEVELS, PLACE_LEVELS[1:], strict=False)}


class Gender(models.TextChoices):
    MALE = "male", _("male")  # 男
    FEMALE = "female", _("female")  # 女


class Relation(models.TextChoices):
    """与户主关系."""

    HEAD = "head", _("head of household")  # 户主
    SPOUSE = "spouse", _("spouse")  # 配偶
    CHILD = "child", _("child")  # 子女
    PARENT = "parent", _("parent")  # 父母
    GRANDCHILD = "grandchild", _("grandchild")  # 孙子女
    GRANDPARENT = "grandparent", _("grandparent")  # 祖父母
    SIBLING = "sibling", _("sibling")  # 兄弟姐妹
    CHILD_IN_LAW = "child_in_law", _("son- or daughter-in-law")  # 儿媳/女婿
    TENANT = "tenant", _("tenant")  # 租户
    OTHER = "other", _("other")  # 其他


class Tag(models.TextChoices):
    """居民标签 — stored tags. Age tags (60+/65+/80+) are derived from the birth date, never stored."""

    LIVING_ALONE = "living_alone", _("living alone")  # 独居
    DISABLED = "disabled", _("disabled")  # 残疾
    LOW_INCOME = "low_income", _("minimum living allowance")  # 低保
    SPECIAL_NEEDS_CHILD = "special_needs_child", _("special-needs child")  # 困境儿童
    MIGRANT = "migrant", _("migrant")  # 流动人口
    PARTY_MEMBER = "party_member", _("party member")  # 党员
    VETERAN = "veteran", _("veteran")  # 退役军人
    EMPTY_NESTER = "empty_nester", _("empty nester")  # 空巢老人


_TAG_ORDER = {value: i for i, value in enumerate(Tag.values)}


def in_tag_order(tags) -> list[str]:
    """Stored tags in the order ``Tag`` lists them (unknown values last), so every view shows them alike."""
    return sorted(tags, key=lambda t: (_TAG_ORDER.get(t, len(_TAG_ORDER)), t))


AGE_TAGS = {80: _("aged 80+"), 65: _("aged 65+"), 60: _("aged 60+")}  # 高龄 / 老年


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("living here")  # 在住
    ARCHIVED = "archived", _("archived")  # 已归档（迁出/去世）


class MoveKind(models.TextChoices):
    MOVE_IN = "move_in", _("moved in")  # 迁入
    MOVE_OUT = "move_out", _("moved out")  # 迁出
    TRANSFER = "transfer", _("changed household")  # 户内变更
    DECEASED = "deceased", _("deceased")  # 去世


class ResidentUnitKind(models.TextChoices):
    UNIT = "unit", _("resident unit")  # 驻区单位
    MERCHANT = "merchant", _("merchant")  # 商户
    SOCIAL_ORGANIZATION = "social_organization", _("social organization")  # 社会组织
