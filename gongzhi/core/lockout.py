"""What a client sees while django-axes locks it out (settings.AXES_LOCKOUT_CALLABLE).

The API answers JSON like every other refusal (429, code ``locked_out``); pages render the lockout
template. Axes calls this for every request flagged as locked out, whatever the view answered.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext as _

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
