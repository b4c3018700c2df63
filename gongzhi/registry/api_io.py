"""Import and export of residents over the API: POST /residents/import, GET /residents/export."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from gongzhi.core.errors import InvalidInput

from . import selectors
from .exporting import export_residents
from .importing import import_residents

router = Router(tags=["registry import/export"])

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # about 800,000 ledger rows as xlsx


class RowErrorOut(Schema):
    row: int = Field(description="row number as Excel shows it (the header is row 1)")
    column: str = Field(description="column header as written in the file")
    reason: str


class ImportReportOut(Schema):
    mode: str
    total: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    committed: bool = Field(description="false for a dry run, or an all_or_nothing file with rejected rows")
    errors: list[RowErrorOut]


class ExportFilter(Schema):
    place: int = Field(description="export the residents under this place")
    tag: str = Field("", max_length=24, description="only residents with this tag")
    include_archived: bool = False
    unmasked: bool = Field(False, description="full ID and phone numbers (needs the right and a reason)")
    reason: str = Field("", max_length=500)


def read_upload(file) -> bytes:
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        limit = {"mb": MAX_IMPORT_BYTES // 2**20}
        raise InvalidInput(_("The file is too large (at most %(mb)s MB).") % limit, field="file")
    return file.read()


@router.post("/residents/import", response=ImportReportOut, summary="Import a resident ledger (xlsx/csv)")
def import_residents_api(
    request,
    file: File[UploadedFile],
    unit: Form[str],
    mode: Form[str] = "all_or_nothing",
    dry_run: Form[bool] = False,
    create_places: Form[bool] = False,
):
    """Validate every row of the ledger and import it into ``unit`` (a place id: community, grid or estate):
    every row or none (``all_or_nothing``, the default), or the valid rows only (``valid_only``).

    ``dry_run`` validates and reports without writing. Columns: 姓名, 性别, 身份证号, 联系电话, 小区,
    楼栋, 单元, 房号, 与户主关系, 标签 (required: 姓名, 身份证号, 楼栋, 房号). Rejected rows are listed
    with their Excel row number, column and reason.
    """
    report = import_residents(actor=request.user, source=read_upload(file), filename=file.name or "",
                              unit=unit, mode=mode, dry_run=dry_run, create_places=create_places)
    return report.as_dict()


@router.get("/residents/export", summary="Export residents to xlsx",
            openapi_extra={"responses": {200: {"description": "xlsx workbook", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}})
def export_residents_api(request, filters: Query[ExportFilter]):
    """Residents under ``place`` visible to the caller. ID and phone numbers are masked unless ``unmasked`` is
    set, the caller holds the right on the place, and gives a ``reason``. Every export is audited."""
    target = selectors.access_place(request.user, filters.place)
    export = export_residents(actor=request.user, place=target, tag=filters.tag, unmasked=filters.unmasked,
                              reason=filters.reason, include_archived=filters.include_archived)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    response["Cache-Control"] = "no-store"
    response["X-Row-Count"] = str(export.rows)
    return response
