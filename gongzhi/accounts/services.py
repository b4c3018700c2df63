import datetime as dt

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, InvalidInput
from gongzhi.core.masking import contains_identifier
from gongzhi.core.models import AuditEvent

from .models import ApiToken, RoleAssignment, User

TOKEN_LIFETIME = dt.timedelta(days=30)


class LoginFailed(DomainError):
    code = "login_failed"
    status = 401


class LockedOut(DomainError):
    """Too many failed logins for this username and address (django-axes); even the right password is
    refused until the lock expires."""

    code = "locked_out"
    status = 429


def issue_token(*, request, username: str, password: str) -> tuple[str, ApiToken]:
    """Check the password (throttled by django-axes) and issue a bearer token, shown once."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(_("Too many failed attempts; try again later."))
        raise LoginFailed(_("Wrong username or password."))
    token = ApiToken.new_token()
    row = ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), prefix=token[:8],
                                  expires_at=timezone.now() + TOKEN_LIFETIME)
    record_audit(actor=user, action=AuditEvent.Action.TOKEN, target_type="accounts.apitoken",
                 target_id=str(row.pk), target_repr=row.prefix)
    return token, row


def create_user(*, username: str, password: str | None, display_name: str = "", resident=None) -> User:
    if contains_identifier(username):
        # The user table is not encrypted: an ID or phone number as a username would sit there in clear.
        raise InvalidInput(_("A username may not be an ID number or a phone number."), field="username")
    user = User(username=username, display_name=display_name, resident=resident)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def assign_role(*, user: User, role: str, place=None, department=None) -> RoleAssignment:
    from .enums import ROLE_PLACE_KINDS

    if department is not None and place is None:
        place = department.place
    allowed = ROLE_PLACE_KINDS[role]
    if place is not None and allowed and place.kind not in allowed:
        raise DomainError(_("This role cannot be held on a place of this kind."), field="place")
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, place=place,
                                                                department=department)
    if hasattr(user, "_gongzhi_scopes"):
        del user._gongzhi_scopes
    return assignment
