"""数据看板 API under /api/v1/insights/: the dashboard's figures, surveys (问卷) and the star rating (达标创星)."""

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.masking import mask_name
from gongzhi.registry.models import Place, Resident

from . import rates, selectors, stars, surveys
from .enums import SurveyStatus
from .models import Evidence, Indicator, StarStandard, Survey
from .schemas import AssessmentIn, ResponseIn, ReviewIn, ScoreIn, SurveyIn, SurveyOut, SurveyStatusIn

router = Router(tags=["insights"])
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@router.get("/rates")
def get_rates(request, place: str | None = None, period: str | None = None):
    """三率 with the previous period, by category and week, overdue count and the community ranking."""
    unit = selectors.access_unit(request.user, place)
    return rates.summary(unit, selectors.parse_period(period))


@router.get("/gridmap")
def get_gridmap(request, place: str | None = None, period: str | None = None):
    """网格地图: the unit's communities and their grids, each with its cases, rates and overdue now."""
    from .gridmap import grid_map

    unit = selectors.access_unit(request.user, place)
    return grid_map(unit, selectors.parse_period(period))


# ---- surveys -------------------------------------------------------------------------------------------

def _place(place_id) -> Place:
    try:
        return Place.objects.get(pk=place_id)
    except Place.DoesNotExist:
        raise NotFound(field="place") from None


@router.get("/surveys", response=list[SurveyOut])
def list_surveys(request):
    return list(surveys.surveys_visible_to(request.user)[:200])


@router.post("/surveys", response={201: SurveyOut})
def create_survey(request, body: SurveyIn):
    survey = surveys.create_survey(
        actor=request.user, place=_place(body.place), title=body.title, opens_on=body.opens_on,
        closes_on=body.closes_on, template=body.template, questions=[q.dict() for q in body.questions])
    return Status(201, survey)


@router.post("/surveys/{survey_id}/status", response=SurveyOut)
def set_status(request, survey_id: int, body: SurveyStatusIn):
    survey = surveys.access_survey(request.user, survey_id)
    if body.status not in SurveyStatus.values:
        raise InvalidInput(_("Unknown status."), field="status")
    return surveys.set_survey_status(actor=request.user, survey=survey, status=body.status,
                                     published=body.published)


def _answerable(user, survey_id) -> Survey:
    """Staff in scope, or a resident living inside an open survey's area."""
    if user.resident_id:
        survey = Survey.objects.filter(pk=survey_id, status=SurveyStatus.OPEN).first()
        if survey is not None and user.resident.path.startswith(survey.path):
            return survey
    return surveys.access_survey(user, survey_id)


@router.post("/surveys/{survey_id}/responses", response={201: dict})
def answer(request, survey_id: int, body: ResponseIn):
    survey = _answerable(request.user, survey_id)
    place = _place(body.place) if body.place is not None else None
    resident = None
    if body.resident is not None:
        resident = Resident.objects.filter(pk=body.resident).first()
        if resident is None:
            raise NotFound(field="resident")
    row = surveys.submit_response(actor=request.user, survey=survey, answers=body.answers, place=place,
                                  resident=resident)
    return Status(201, {"id": row.pk, "channel": row.channel})


@router.get("/surveys/{survey_id}/results")
def survey_results(request, survey_id: int):
    return surveys.results(surveys.access_survey(request.user, survey_id), user=request.user)


@router.get("/surveys/{survey_id}/sample")
def survey_sample(request, survey_id: int, size: int, seed: int = 1):
    """抽样: whom to visit — masked names and addresses only."""
    survey = surveys.access_survey(request.user, survey_id)
    if not selectors.covers_unit(request.user, survey.path):
        raise NotFound(field="survey")
    return [{"resident": r.pk, "name": mask_name(r.name), "building_id": r.household.building_id,
             "room_no": r.household.room_no} for r in surveys.draw_sample(survey, size=size, seed=seed)]


# ---- star rating ---------------------------------------------------------------------------------------

@router.get("/stars/assessments")
def list_assessments(request, year: int | None = None):
    qs = stars.assessments_visible_to(request.user)
    if year is not None:
        qs = qs.filter(year=year)
    return [{"id": a.pk, "community_id": a.community_id, "community": a.community.name, "year": a.year,
             "status": a.status, "score": None if a.score is None else float(a.score), "stars": a.stars,
             "vetoed": a.vetoed} for a in qs[:500]]


@router.post("/stars/assessments", response={201: dict})
def start_assessment(request, body: AssessmentIn):
    standard = StarStandard.objects.filter(code=body.standard, active=True).first()
    if standard is None:
        raise NotFound(field="standard")
    a = stars.start_assessment(actor=request.user, standard=standard, community=_place(body.community),
                               year=body.year)
    return Status(201, stars.evaluate(a))


@router.get("/stars/assessments/{assessment_id}")
def get_assessment(request, assessment_id: int):
    return stars.evaluate(stars.access_assessment(request.user, assessment_id))


def _indicator(a, code: str) -> Indicator:
    found = Indicator.objects.filter(standard_id=a.standard_id, code=code).first()
    if found is None:
        raise NotFound(field="indicator")
    return found


@router.post("/stars/assessments/{assessment_id}/scores")
def score(request, assessment_id: int, body: ScoreIn):
    a = stars.access_assessment(request.user, assessment_id)
    stars.score_indicator(actor=request.user, assessment=a, indicator=_indicator(a, body.indicator),
                          evidence=body.evidence, value=body.value, triggered=body.triggered)
    return stars.evaluate(a)


@router.post("/stars/assessments/{assessment_id}/evidence", response={201: dict})
def attach_evidence(request, assessment_id: int, indicator: Form[str], file: File[UploadedFile]):
    """佐证材料: a file for an indicator already scored (PDF, image, spreadsheet; at most 10 MB)."""
    a = stars.access_assessment(request.user, assessment_id)
    ind = _indicator(a, indicator)
    row = a.scores.filter(indicator=ind).first()
    if row is None:
        raise InvalidInput(_("Score this indicator before attaching evidence."), field="indicator")
    if file.size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."), field="file")
    stars.check_may_score(request.user, a)
    ev = Evidence.objects.create(score=row, file=file, name=file.name[:200], uploaded_by=request.user)
    return Status(201, {"id": ev.pk, "name": ev.name})


@router.post("/stars/assessments/{assessment_id}/submit")
def submit(request, assessment_id: int):
    a = stars.access_assessment(request.user, assessment_id)
    return stars.evaluate(stars.submit_assessment(actor=request.user, assessment=a))


@router.post("/stars/assessments/{assessment_id}/review")
def review(request, assessment_id: int, body: ReviewIn):
    a = stars.access_assessment(request.user, assessment_id)
    return stars.evaluate(stars.review_assessment(actor=request.user, assessment=a, approve=body.approve,
                                                  note=body.note))


from .evaluation_api import router as evaluation_router  # noqa: E402 - 双向评价, mounted under /evaluations

router.add_router("/evaluations", evaluation_router)
