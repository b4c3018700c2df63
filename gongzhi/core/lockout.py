"""What a client sees while django-axes locks it out (settings.AXES_LOCKOUT_CALLABLE).

The API answers JSON like every other refusal (429, code ``locked_out``); pages render the lockout
template. Axes calls this for every request flagged as locked out, whatever the view answered.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext as _

from . import crypto
from .masking import contains_identifier

API_PREFIX = "/api/"
STATUS = 429


def lockout_message() -> str:
    return _("Too many failed attempts; try again later.")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    message = lockout_message()
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": "locked_out", "detail": message}, status=STATUS,
                            json_dumps_params={"ensure_ascii": False})
    context = {"message": message, "failure_limit": get_failure_limit(request, credentials),
               "cooloff_timedelta": get_cool_off(request)}
    try:
        return render(request, "accounts/locked.html", context, status=STATUS)
    except TemplateDoesNotExist:
        return HttpResponse(message, status=STATUS, content_type="text/plain; charset=utf-8")


def axes_username(request, credentials=None) -> str:
    """The username django-axes stores and logs for a login attempt (settings.AXES_USERNAME_CALLABLE).

    People type their ID or phone number into the username field; axes would keep it in clear in its
    table. Such a value is replaced by its keyed hash, which still locks out exactly that value.
    """
    value = (credentials or {}).get("username") if credentials else request.POST.get("username")
    value = (value or "").strip()
    if contains_identifier(value):
        return "hashed:" + crypto.lookup_hash(value.upper())[:32]
    return value
