"""JSON API of the triage app (/api/v1/triage/…): suggestions, duplicates, top problems, models."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from gongzhi.appeals.selectors import access_appeal
from gongzhi.core.api import ObjectId
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry.selectors import access_place

from . import duplicates, services, topics
from .models import TriageModel
from .schemas import ClassifyIn, ClassifyOut, DuplicatesIn, DuplicatesOut, ModelOut, TopProblemsOut

router = Router(tags=["triage"])


def _duplicates_out(found) -> dict:
    return {"items": [d.as_dict() for d in found], "threshold": duplicates.THRESHOLD,
            "window_days": duplicates.WINDOW_DAYS}


@router.post("/classify", response=ClassifyOut, summary="Suggest category, tier and handler for a text")
def classify(request: HttpRequest, payload: ClassifyIn):
    require(request.user, "triage.classify")
    loaded = services.require_model()
    return {"model": loaded.row.key, **loaded.model.predict(payload.text).as_dict()}


@router.get("/appeals/{appeal_id}/duplicates", response=DuplicatesOut,
            summary="Likely duplicates of an appeal among recent open cases you handle")
def appeal_duplicates(request: HttpRequest, appeal_id: int):
    appeal = access_appeal(request.user, appeal_id)
    require(request.user, "triage.view_duplicates")
    return _duplicates_out(duplicates.duplicates_of(request.user, appeal))


@router.post("/duplicates", response=DuplicatesOut, summary="Likely duplicates of a text before it is filed")
def text_duplicates(request: HttpRequest, payload: DuplicatesIn):
    require(request.user, "triage.view_duplicates")
    if payload.place_id is not None:
        place = access_place(request.user, payload.place_id)
        if place.community_id is None:
            raise InvalidInput(_("Choose a place inside a community."), field="place_id")
        community_id, path = place.community_id, place.path
    elif payload.community_id is not None:
        community = access_place(request.user, payload.community_id)
        if community.kind != "community":
            raise InvalidInput(_("Choose the community."), field="community_id")
        community_id, path = community.pk, community.path
    else:
        raise InvalidInput(_("Choose the place or community of the matter."), field="place_id")
    return _duplicates_out(duplicates.find_duplicates(request.user, text=payload.text, community_id=community_id,
                                                      path=path))


class TopProblemsQuery(Schema):
    unit: ObjectId
    year: int = Field(ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    limit: int = Field(10, ge=1, le=50)


@router.get("/top-problems", response=TopProblemsOut, summary="The most reported problems of a unit")
def top_problems(request: HttpRequest, query: Query[TopProblemsQuery]):
    unit = access_place(request.user, query.unit)
    require(request.user, "triage.view_top_problems", unit)
    return topics.top_problems(request.user, unit=unit, year=query.year, month=query.month, limit=query.limit)


@router.get("/models", response=list[ModelOut], summary="Registered classifier models (administrators)")
def list_models(request: HttpRequest):
    require(request.user, "triage.change_triagemodel")
    return list(TriageModel.objects.order_by("name", "-version"))


@router.post("/models/{model_id}/activate", response=ModelOut, summary="Switch to a model (administrators)")
def activate(request: HttpRequest, model_id: int):
    require(request.user, "triage.change_triagemodel")
    row = TriageModel.objects.filter(pk=model_id).first()
    if row is None:
        raise NotFound()
    return services.activate_model(actor=request.user, model=row)


