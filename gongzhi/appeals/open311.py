"""Open311 GeoReport v2 at /open311/v2/ — discovery, services, requests, tokens; JSON or XML by extension.

Service codes are the codes of the responsibility-list items; a jurisdiction is a community (its id, path
or name as ``jurisdiction_id``). POST needs ``api_key``: a Gongzhi API token of a user allowed to file
appeals in that community. Request descriptions are always redacted; GET lists closed cases and cases
filed through Open311. Errors come as ``[{"code", "description"}]`` (``<errors><error>…``).
"""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - we only build XML, never parse untrusted XML

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gongzhi.accounts.models import ApiToken
from gongzhi.core import phone as phones
from gongzhi.core.errors import DomainError
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from .enums import OPEN_STATUSES, Channel, ListStatus
from .models import Appeal, ResponsibilityItem
from .redaction import community_names, redact

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_REQUESTS = 1000
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status, self.description = status, description
        super().__init__(description)


# ---- rendering -------------------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, key: str, value) -> None:
    child = ET.SubElement(parent, key)
    if isinstance(value, list):
        for v in value:
            _xml_fill(ET.SubElement(child, _singular(key)), v)
    elif isinstance(value, dict):
        _xml_fill(child, value)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def _singular(key: str) -> str:
    return {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}.get(key, key)


def _xml_fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(element, k, v)
    elif value is not None:
        element.text = str(value)


def render(fmt: str, data, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ET.Element(root)
        if isinstance(data, list):
            for row in data:
                _xml_fill(ET.SubElement(top, item), row)
        else:
            _xml_fill(top, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8", xml_declaration=False)
        return HttpResponse(body, status=status, content_type=CONTENT_TYPES["xml"])
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def endpoint(view):
    def wrapped(request, *args, fmt: str, **kwargs):
        if fmt not in CONTENT_TYPES:
            return error("json", 400, _("Unknown format; use .json or .xml."))
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except DomainError as exc:
            detail = str(exc.message) + (f" ({exc.field})" if exc.field else "")
            return error(fmt, 403 if exc.status == 403 else 400, detail)

    wrapped.__name__ = view.__name__
    return csrf_exempt(wrapped)


# ---- jurisdiction and services ---------------------------------------------------------------------------


def jurisdiction(value: str | None, *, required: bool) -> Place | None:
    value = (value or "").strip()
    if not value:
        published = Place.objects.filter(
            kind=PlaceKind.COMMUNITY, responsibility_lists__status=ListStatus.PUBLISHED
        ).distinct()[:2]
        if len(published) == 1:
            return published[0]
        if required:
            raise Open311Error(400, _("jurisdiction_id is required (the community's id)."))
        return None
    qs = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    place = (qs.filter(pk=int(value)) if value.isdigit() else qs.filter(path=value) | qs.filter(name=value)).first()
    if place is None:
        raise Open311Error(404, _("Unknown jurisdiction_id."))
    return place


def _items(community: Place | None):
    qs = ResponsibilityItem.objects.filter(responsibility_list__status=ListStatus.PUBLISHED).select_related(
        "department"
    )
    if community is not None:
        qs = qs.filter(responsibility_list__community=community)
    seen, out = set(), []
    for item in qs.order_by("sort", "id"):
        if item.code not in seen:
            seen.add(item.code)
            out.append(item)
    return out


def service_out(item: ResponsibilityItem) -> dict:
    return {
        "service_code": item.code,
        "service_name": item.matter,
        "description": item.description or f"{item.get_tier_display()} · {item.handler_label}",
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(item.keywords or []),
        "group": item.category,
    }


@endpoint
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("appeals_open311:discovery", kwargs={"fmt": fmt}))
    root = base.rsplit("/", 1)[0] + "/"
    return render(
        fmt,
        {
            "changeset": "2024-01-01T00:00:00Z",
            "contact": _("Your community office or the 12345 hotline."),
            "key_service": _("Ask your community for an API key (a Gongzhi API token)."),
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": root,
                    "changeset": "2024-01-01T00:00:00Z",
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        root="discovery",
        item="endpoint",
    )


@endpoint
def services(request, fmt):
    community = jurisdiction(request.GET.get("jurisdiction_id"), required=False)
    return render(fmt, [service_out(i) for i in _items(community)], root="services", item="service")


@endpoint
def service_definition(request, code, fmt):
    community = jurisdiction(request.GET.get("jurisdiction_id"), required=False)
    if not any(i.code == code for i in _items(community)):
        raise Open311Error(404, _("Unknown service_code."))
    return render(fmt, {"service_code": code, "attributes": []}, root="service_definition", item="attribute")


# ---- requests --------------------------------------------------------------------------------------------


def request_out(a: Appeal, names: dict | None = None) -> dict:
    names = {} if names is None else names
    closed = a.status not in OPEN_STATUSES
    text = a.public_text
    if not text:
        if a.community_id not in names:
            names[a.community_id] = community_names(a.community_id)
        text = redact(a.text, names=names[a.community_id])
    return {
        "service_request_id": str(a.pk),
        "status": "closed" if closed else "open",
        "status_notes": a.public_reply or None,
        "service_name": a.list_item.matter if a.list_item_id else a.category,
        "service_code": a.list_item.code if a.list_item_id else None,
        "description": text,
        "agency_responsible": a.handler_label or None,
        "service_notice": None,
        "requested_datetime": _w3(a.created_at),
        "updated_datetime": _w3(a.updated_at),
        "expected_datetime": _w3(a.reply_due_at or a.due_at),
        "address": a.address or None,
        "address_id": str(a.place_id) if a.place_id else None,
        "zipcode": None,
        "lat": float(a.lat) if a.lat is not None else None,
        "long": float(a.long) if a.long is not None else None,
        "media_url": None,
    }


def _w3(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _public_requests():
    return (
        (Appeal.objects.filter(channel=Channel.OPEN311) | Appeal.objects.public())
        .exclude(status="withdrawn")
        .select_related("list_item", "department")
    )


@csrf_exempt
def requests_view(request, fmt):
    if request.method == "POST":
        return post_request(request, fmt=fmt)
    return get_requests(request, fmt=fmt)


@endpoint
def get_requests(request, fmt):
    qs = _public_requests()
    names: dict = {}
    params = request.GET
    if params.get("service_request_id"):
        ids = [p for p in params["service_request_id"].split(",") if p.strip().isdigit()]
        return render(
            fmt,
            [request_out(a, names) for a in qs.filter(pk__in=ids).order_by("id")],
            root="service_requests",
            item="request",
        )
    community = jurisdiction(params.get("jurisdiction_id"), required=False)
    if community is not None:
        qs = qs.filter(community=community)
    if params.get("service_code"):
        qs = qs.filter(list_item__code__in=params["service_code"].split(","))
    start = _date_param(params, "start_date")
    end = _date_param(params, "end_date")
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=90)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    status = params.get("status", "")
    if status:
        wanted = set(status.split(","))
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    rows = [request_out(a, names) for a in qs.order_by("-created_at", "-id")[:MAX_REQUESTS]]
    return render(fmt, rows, root="service_requests", item="request")


def _date_param(params, name: str):
    if not params.get(name):
        return None
    value = parse_datetime(params[name].replace(" ", "+"))
    if value is None:
        raise Open311Error(400, _("%(name)s must be a W3C datetime, e.g. 2024-05-01T00:00:00+08:00.") % {"name": name})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@endpoint
def post_request(request, fmt):
    from .services import submit_appeal

    data = request.POST
    key = data.get("api_key", "")
    row = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first() if key else None
    if row is None or row.is_expired or not row.user.is_active:
        raise Open311Error(403, _("Invalid api_key."))
    user = row.user
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    place = None
    if data.get("address_id"):
        place = Place.objects.filter(pk=data["address_id"]).first() if data["address_id"].isdigit() else None
        if place is None or place.community_id is None:
            raise Open311Error(400, _("Unknown address_id."))
    community = place.community if place else jurisdiction(data.get("jurisdiction_id"), required=True)
    lat, long = data.get("lat", ""), data.get("long", "")
    address = data.get("address_string", "").strip()
    if not (place or address or (lat and long)):
        raise Open311Error(400, _("Give a location: lat and long, address_string or address_id."))
    try:
        lat_v = round(float(lat), 6) if lat else None
        long_v = round(float(long), 6) if long else None
    except ValueError:
        raise Open311Error(400, _("lat and long must be numbers.")) from None
    if (lat_v is not None and not -90 <= lat_v <= 90) or (long_v is not None and not -180 <= long_v <= 180):
        raise Open311Error(400, _("lat and long are out of range."))
    item = next((i for i in _items(community) if i.code == code), None)
    if item is None:
        raise Open311Error(404, _("Unknown service_code."))
    if not user.has_perm("appeals.submit_appeal", place or community):
        raise Open311Error(403, _("This api_key may not file requests in this jurisdiction."))
    text = data.get("description", "").strip() or item.matter
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip()
    phone = data.get("phone", "")
    try:
        phone = phones.normalize(phone) if phone else ""
    except phones.InvalidPhone:
        phone = ""  # clients send all kinds of numbers; an unusable one is not kept
    appeal = submit_appeal(
        actor=user,
        community=community,
        place=place,
        text=text[:2000],
        channel=Channel.OPEN311,
        contact_phone=phone,
        contact_name=name[:50],
        address=address,
        lat=lat_v,
        long=long_v,
    )
    if appeal.list_item_id != item.pk:  # the client's service code wins over keyword matching
        from . import workflow

        workflow.transition(
            appeal,
            "triage",
            actor=None,
            item=item,
            source="list",
            note=_("Open311 service code %(code)s") % {"code": code},
        )
    return render(
        fmt,
        [
            {
                "service_request_id": str(appeal.pk),
                "service_notice": None,
                "account_id": None,
                "token": str(appeal.token),
            }
        ],
        root="service_requests",
        item="request",
        status=201,
    )


@endpoint
def request_detail(request, request_id, fmt):
    appeal = _public_requests().filter(pk=request_id).first()
    if appeal is None:
        raise Open311Error(404, _("Unknown service_request_id."))
    return render(fmt, [request_out(appeal)], root="service_requests", item="request")


@endpoint
def token_detail(request, token, fmt):
    appeal = Appeal.objects.filter(token=token, channel=Channel.OPEN311).only("pk", "token").first()
    if appeal is None:
        raise Open311Error(404, _("Unknown token."))
    return render(
        fmt,
        [{"service_request_id": str(appeal.pk), "token": str(appeal.token)}],
        root="service_requests",
        item="request",
    )
