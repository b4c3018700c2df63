import rules

from .selectors import is_admin


@rules.predicate
def is_administrator(user) -> bool:
    return is_admin(user)


rules.add_perm("accounts.manage_users", is_administrator)
