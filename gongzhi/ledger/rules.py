"""Single-object permissions of the ledger. "Which rows may I list" lives in selectors.py."""

import rules

from gongzhi.accounts.selectors import covers

from .enums import AWARD_ROLES, LEDGER_MANAGE_ROLES, LEDGER_READ_ROLES
from .identity import acting_household_ids, acting_residents


def path_of(obj) -> str:
    """Scope path: the object's own ``path`` (household accounts, awards, orders) or its community's."""
    if obj is None:
        return ""
    if obj._meta.label_lower == "registry.place":
        return obj.path
    return getattr(obj, "path", "") or obj.community.path


@rules.predicate
def manager_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, LEDGER_MANAGE_ROLES, path_of(obj))


@rules.predicate
def awarder_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, AWARD_ROLES, path_of(obj))


@rules.predicate
def reader_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, LEDGER_READ_ROLES, path_of(obj))


@rules.predicate
def acts_for_holder(user, obj) -> bool:
    """The user is (or holds a proxy for) the resident or a member of the household the object belongs to."""
    if obj is None:
        return False
    resident_id = getattr(obj, "resident_id", None)
    if resident_id is not None:
        return any(r.pk == resident_id for r in acting_residents(user))
    household_id = getattr(obj, "household_id", None)
    if household_id is None and hasattr(obj, "account"):
        return acts_for_holder.test(user, obj.account)
    return household_id is not None and household_id in acting_household_ids(user)


@rules.predicate
def is_provider_staff(user, provider) -> bool:
    """The user is a login of the provider's resident unit (catalog's 商户/单位联系人, read only)."""
    from gongzhi.catalog.models import MerchantStaff

    return (provider is not None and user.is_authenticated
            and MerchantStaff.objects.filter(user=user, unit_id=provider.unit_id).exists())


def _unit_id(obj):
    if obj is None:
        return None
    if obj._meta.label_lower == "ledger.shoporder":
        return obj.item.unit_id
    return getattr(obj, "unit_id", None)


@rules.predicate
def is_unit_login(user, obj) -> bool:
    """The user is a login of the merchant or resident unit that offers the item, receives the order's points or
    coins, or holds the account (catalog's MerchantStaff, read only)."""
    from gongzhi.catalog.models import MerchantStaff

    unit_id = _unit_id(obj)
    return (unit_id is not None and user.is_authenticated
            and MerchantStaff.objects.filter(user=user, unit_id=unit_id).exists())


rules.add_perm("ledger.view_account", reader_in_scope | acts_for_holder | is_unit_login)  # obj: Account
rules.add_perm("ledger.award_points", awarder_in_scope)  # obj: Household
rules.add_perm("ledger.view_award", reader_in_scope | acts_for_holder)  # obj: PointsAward
rules.add_perm("ledger.contest_award", acts_for_holder)  # obj: PointsAward (a deduction)
rules.add_perm("ledger.decide_award", manager_in_scope)  # obj: PointsAward (decide a contest, reverse)
rules.add_perm("ledger.manage_list", manager_in_scope)  # obj: community Place or BehaviorList
rules.add_perm("ledger.view_ranking", reader_in_scope)  # obj: community Place (households: staff only)
rules.add_perm("ledger.manage_shop", manager_in_scope)  # obj: community Place, ShopItem or ShopOrder
rules.add_perm("ledger.hand_over_order", manager_in_scope | is_unit_login)  # obj: ShopOrder (merchant: own items)
rules.add_perm("ledger.restock_item", manager_in_scope | is_unit_login)  # obj: ShopItem (merchant: own items)
rules.add_perm("ledger.cancel_order", manager_in_scope | acts_for_holder)  # obj: ShopOrder
rules.add_perm("ledger.manage_fund", manager_in_scope)  # obj: community Place or fund Account
rules.add_perm("ledger.reverse_transaction", manager_in_scope)  # obj: community Place of the transaction
rules.add_perm("ledger.record_proxy", awarder_in_scope)  # obj: the principal Resident
rules.add_perm("ledger.manage_vouchers", manager_in_scope)  # obj: community Place or CareProvider
rules.add_perm("ledger.redeem_vouchers", awarder_in_scope | acts_for_holder)  # obj: the resident's voucher Account
rules.add_perm("ledger.view_vouchers", reader_in_scope | acts_for_holder)  # obj: the resident's voucher Account
rules.add_perm("ledger.view_provider", manager_in_scope | is_provider_staff)  # obj: CareProvider (its receipts)
