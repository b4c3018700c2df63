"""Refusals of deliberation, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.errors import DomainError


class AlreadyDone(DomainError):
    """A second support, vote, sign-in or rating where one is allowed."""

    code = "already_done"
    status = 409


class IllegalTransition(DomainError):
    code = "illegal_transition"
    status = 409

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("This step is not possible in the current state."), **kwargs)


class NotEligible(DomainError):
    code = "not_eligible"
    status = 403
