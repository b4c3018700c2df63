"""DomainError: every refusal the domain makes, with a stable code, an HTTP status and a translated text."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message if message is not None else _("The request could not be carried out.")
        self.field = field
        if code:
            self.code = code
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body = {"code": self.code, "detail": str(self.message)}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(DomainError):
    """Missing and forbidden look the same to the caller."""

    code = "not_found"
    status = 404

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Not found."), **kwargs)


class Forbidden(DomainError):
    code = "forbidden"
    status = 403

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You do not have permission to do this."), **kwargs)


class InvalidInput(DomainError):
    code = "invalid"
    status = 422
