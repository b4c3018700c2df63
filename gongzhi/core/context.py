"""The current request's origin (IP, user agent), for the audit log, without threading requests through."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    user_agent: str = ""


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039 - frozen
