"""Console pages for importing resident ledgers and exporting residents (/console/io/).

Import is two steps: upload → a dry run shows the row report (nothing written) → confirm writes exactly what
was previewed. Between the steps the file waits in storage, encrypted with the data key, under a random name
held in the user's session; it is deleted on confirm, on the next upload, or after an hour.
"""

import base64
import datetime as dt
import secrets

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.enums import REGISTRY_ROLES, REGISTRY_WRITE_ROLES
from gongzhi.core import crypto
from gongzhi.core.errors import DomainError

from .enums import Tag
from .exporting import export_residents
from .forms import place_filter_choices
from .importing import COLUMNS, IMPORT_UNIT_KINDS, REQUIRED, import_residents
from .models import Place
from .selectors import places_visible_to
from .views import _partial, console_page

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PENDING_DIR = "imports"
PENDING_TTL = dt.timedelta(hours=1)
SESSION_KEY = "registry_io_pending"
REPORT_ROWS_SHOWN = 1000
MODE_CHOICES = [("all_or_nothing", gettext_lazy("All or nothing: any rejected row stops the whole file")),
                ("valid_only", gettext_lazy("Valid rows only: import good rows, list the rejected ones"))]


def import_unit_choices(user) -> list[tuple[str, str]]:
    """Communities, grids and estates the user may import into."""
    units = places_visible_to(user).filter(kind__in=IMPORT_UNIT_KINDS).order_by("path").only(
        "id", "name", "path", "kind")
    rows = [p for p in units[:500] if user.has_perm("registry.import_residents", p)]
    if not rows:
        return []
    top = min(len(p.path) for p in rows)
    return [(str(p.pk), "\u3000" * ((len(p.path) - top) // 4) + p.name) for p in rows]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Ledger file (.xlsx or .csv)"))
    unit = forms.TypedChoiceField(label=gettext_lazy("Import into"), coerce=int)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=MODE_CHOICES, initial="all_or_nothing",
                             widget=forms.RadioSelect)
    create_places = forms.BooleanField(
        label=gettext_lazy("Create estates and buildings that do not exist yet (grids only)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = import_unit_choices(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most %(mb)s MB).")
                                        % {"mb": MAX_UPLOAD_BYTES // 2**20})
        return upload


class ExportForm(forms.Form):
    place = forms.TypedChoiceField(label=gettext_lazy("Place"), coerce=int)
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False,
                            choices=[("", gettext_lazy("All residents")), *Tag.choices])
    include_archived = forms.BooleanField(label=gettext_lazy("Include archived residents"), required=False)
    unmasked = forms.BooleanField(label=gettext_lazy("Full ID and phone numbers"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason for full numbers"), required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_filter_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("unmasked") and len((data.get("reason") or "").strip()) < 2:
            self.add_error("reason", _("Give the reason for exporting full ID and phone numbers."))
        return data


def _context(request, **extra) -> dict:
    user = request.user
    return {"import_form": ImportForm(user=user), "export_form": ExportForm(user=user), "columns": COLUMNS,
            "required": REQUIRED, "can_import": bool(import_unit_choices(user)),
            "report_rows_shown": REPORT_ROWS_SHOWN, **extra}


@console_page(REGISTRY_ROLES)
def index(request):
    """导入导出 — upload a ledger, preview the row report, confirm; export residents to Excel."""
    return render(request, "registry_io/index.html", _context(request))


@console_page(REGISTRY_WRITE_ROLES)
@require_POST
def import_preview(request):
    """Dry run of an uploaded ledger: the row report; the file waits (encrypted) for the confirmation."""
    form = ImportForm(request.POST, request.FILES, user=request.user)
    template = _partial(request, "registry_io/index.html", "report")
    if not form.is_valid():
        return render(request, template, _context(request, import_form=form), status=422)
    upload = form.cleaned_data["file"]
    data = upload.read()
    options = {"unit": form.cleaned_data["unit"], "mode": form.cleaned_data["mode"],
               "create_places": form.cleaned_data["create_places"], "filename": upload.name}
    try:
        report = import_residents(actor=request.user, source=data, dry_run=True, **options)
    except DomainError as exc:
        form.add_error("file" if exc.field == "file" else None, str(exc))
        return render(request, template, _context(request, import_form=form), status=422)
    can_commit = report.created + report.updated > 0 and not (options["mode"] == "all_or_nothing"
                                                              and report.rejected)
    if can_commit:
        _discard_pending(request)
        _store_pending(request, data, options)
    context = _context(request, import_form=form, report=report, can_commit=can_commit,
                       unit_name=Place.objects.get(pk=options["unit"]).name, options=options,
                       errors_shown=report.errors[:REPORT_ROWS_SHOWN])
    return render(request, template, context)


@console_page(REGISTRY_WRITE_ROLES)
@require_POST
def import_confirm(request):
    """Write the previewed ledger, exactly as previewed (file, unit, mode)."""
    template = _partial(request, "registry_io/index.html", "report")
    pending = request.session.get(SESSION_KEY)
    data = _load_pending(pending) if pending and pending["token"] == request.POST.get("token") else None
    if data is None:
        context = _context(request, expired=True)
        return render(request, template, context, status=422)
    options = {k: pending[k] for k in ("unit", "mode", "create_places", "filename")}
    try:
        report = import_residents(actor=request.user, source=data, **options)
    except DomainError as exc:
        return render(request, template, _context(request, failure=str(exc)), status=422)
    finally:
        _discard_pending(request)
    context = _context(request, report=report, done=True, options=options,
                       unit_name=Place.objects.get(pk=options["unit"]).name,
                       errors_shown=report.errors[:REPORT_ROWS_SHOWN])
    return render(request, template, context)


@console_page(REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def export(request):
    """Download residents as xlsx: masked, or with full numbers for those who may, with a reason."""
    if request.method == "GET" and "place" not in request.GET:
        return redirect("registry_io:index")
    form = ExportForm(request.POST if request.method == "POST" else request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "registry_io/index.html", _context(request, export_form=form), status=422)
    data = form.cleaned_data
    place = places_visible_to(request.user).get(pk=data["place"])
    try:
        result = export_residents(actor=request.user, place=place, tag=data["tag"], unmasked=data["unmasked"],
                                  reason=data["reason"], include_archived=data["include_archived"])
    except DomainError as exc:
        if exc.status == 403:
            form.add_error("unmasked" if data["unmasked"] else None, str(exc))
        else:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return render(request, "registry_io/index.html", _context(request, export_form=form), status=exc.status)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition_header(True, result.filename)
    return response


# ------------------------------------------------------------------ the file between preview and confirm


def _store_pending(request, data: bytes, options: dict) -> None:
    token = secrets.token_urlsafe(24)
    sealed = crypto.encrypt(base64.b64encode(data).decode()).encode()
    default_storage.save(f"{PENDING_DIR}/{token}.bin", ContentFile(sealed))
    request.session[SESSION_KEY] = {"token": token, "at": timezone.now().isoformat(), **options}
    _sweep_stale()


def _load_pending(pending: dict) -> bytes | None:
    at = dt.datetime.fromisoformat(pending["at"])
    name = f"{PENDING_DIR}/{pending['token']}.bin"
    if timezone.now() - at > PENDING_TTL or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return base64.b64decode(crypto.decrypt(fh.read().decode()))


def _discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(f"{PENDING_DIR}/{pending['token']}.bin")


def _sweep_stale() -> None:
    """Delete uploads abandoned between preview and confirm."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
        for name in files:
            path = f"{PENDING_DIR}/{name}"
            if timezone.now() - default_storage.get_modified_time(path) > PENDING_TTL:
                default_storage.delete(path)
    except (OSError, NotImplementedError):  # a storage that cannot list: entries expire by the session check
        pass

