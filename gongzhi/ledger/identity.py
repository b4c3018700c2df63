"""Who a resident user acts as: themselves, and the elders they hold an active proxy for (代理)."""

from gongzhi.registry.models import Resident

from .models import ProxyAuthorization


def acting_residents(user) -> list[Resident]:
    """The resident the user is, then the residents they act for; cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_ledger_acting", None)
    if cached is None:
        cached = []
        if user.resident_id:
            me = Resident.objects.select_related("household", "community").get(pk=user.resident_id)
            principals = (Resident.objects.filter(pk__in=ProxyAuthorization.objects.active()
                                                  .filter(agent=me).values("principal_id"))
                          .select_related("household", "community").order_by("pk"))
            cached = [me, *principals]
        user._ledger_acting = cached
    return cached


def forget_acting(user) -> None:
    if hasattr(user, "_ledger_acting"):
        del user._ledger_acting


def acts_for(user, resident) -> bool:
    return resident is not None and any(r.pk == resident.pk for r in acting_residents(user))


def acting_household_ids(user) -> set[int]:
    return {r.household_id for r in acting_residents(user)}
