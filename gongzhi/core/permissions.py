"""require(): the one way a boundary asks "may this user do this to that?"."""

from .errors import Forbidden


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise Forbidden()
