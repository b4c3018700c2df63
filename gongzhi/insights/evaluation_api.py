"""双向评价 API under /api/v1/insights/evaluations/: rounds, one's evaluations to fill in, results."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.registry.models import Place

from . import evaluation

router = Router(tags=["insights"])


class CriterionIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    label: str = Field(min_length=1, max_length=40)


class RoundIn(Schema):
    place: int  # the street
    name: str = Field(min_length=1, max_length=100)
    starts_on: dt.date
    ends_on: dt.date
    criteria: list[CriterionIn] | None = None  # default: 响应速度, 办理质量, 服务态度, 沟通协作
    scale_min: int = Field(1, ge=0, le=100)
    scale_max: int = Field(5, ge=0, le=100)


class EvaluationIn(Schema):
    evaluator: int  # the street or community evaluating
    target_kind: str  # "place" (a community or the street) or "department"
    target: int
    scores: dict[str, int]
    comment: str = Field("", max_length=500)


@router.get("/rounds")
def list_rounds(request):
    return [evaluation.round_dict(r) for r in evaluation.rounds_visible_to(request.user)[:200]]


@router.post("/rounds", response={201: dict})
def create_round(request, body: RoundIn):
    place = Place.objects.filter(pk=body.place).first()
    if place is None:
        raise NotFound(field="place")
    rnd = evaluation.create_round(
        actor=request.user, place=place, name=body.name, starts_on=body.starts_on, ends_on=body.ends_on,
        criteria=None if body.criteria is None else [c.dict() for c in body.criteria],
        scale_min=body.scale_min, scale_max=body.scale_max)
    return Status(201, evaluation.round_dict(rnd))


@router.get("/rounds/{round_id}")
def get_round(request, round_id: int):
    """The round and, for each unit the user evaluates for, whom to evaluate and what was given so far."""
    rnd = evaluation.access_round(request.user, round_id)
    return {"round": evaluation.round_dict(rnd), "units": [
        {"evaluator": {"id": f["evaluator"].pk, "name": f["evaluator"].name},
         "targets": [{**t["target"].as_dict(),
                      "evaluation": None if t["evaluation"] is None else
                      {"scores": t["evaluation"].scores, "comment": t["evaluation"].comment}}
                     for t in f["targets"]]}
        for f in evaluation.forms_for(request.user, rnd)]}


@router.post("/rounds/{round_id}/evaluations", response={200: dict, 201: dict})
def submit(request, round_id: int, body: EvaluationIn):
    rnd = evaluation.access_round(request.user, round_id)
    if body.target_kind not in (evaluation.PLACE, evaluation.DEPARTMENT):
        raise InvalidInput(_("The target is a place or a department."), field="target_kind")
    evaluator = Place.objects.filter(pk=body.evaluator).first()
    if evaluator is None:
        raise NotFound(field="evaluator")
    row, created = evaluation.submit_evaluation(
        actor=request.user, rnd=rnd, evaluator=evaluator, target_kind=body.target_kind, target_id=body.target,
        scores=body.scores, comment=body.comment)
    return Status(201 if created else 200, {"id": row.pk, "scores": row.scores, "comment": row.comment})


@router.post("/rounds/{round_id}/close")
def close(request, round_id: int):
    rnd = evaluation.access_round(request.user, round_id)
    return evaluation.round_dict(evaluation.close_round(actor=request.user, rnd=rnd))


@router.get("/rounds/{round_id}/results")
def get_results(request, round_id: int):
    return evaluation.results(evaluation.access_round(request.user, round_id), request.user)
