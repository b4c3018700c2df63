"""Writes. ``posting`` is the only writer of the book; the others build domain steps on top of it."""

from django.core.exceptions import ValidationError

from gongzhi.core.errors import InvalidInput


def checked(obj, **kwargs):
    """``obj.full_clean()``, with the first problem raised as InvalidInput naming its field (a 422, not a 500)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            message = "; ".join(m for e in errors for m in e.messages)
        else:
            field, message = "body", "; ".join(exc.messages)
        raise InvalidInput(message, field=None if field == "__all__" else field) from None
    return obj
