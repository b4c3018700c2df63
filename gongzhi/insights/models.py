"""数据看板 records: surveys (问卷调查), the star rating (达标创星) and the daily rollup of appeals (日汇总).

Every figure shown is computed from these and the other apps' records; nothing here is a typed-in total.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import AssessmentStatus, IndicatorKind, ResponseChannel, SurveyStatus


class Survey(models.Model):
    """问卷调查 — a questionnaire run in one unit (a community or a street) for a period.

    The 平安三率 template (sense of security, awareness, satisfaction) is one shipped set of questions.
    """

    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the place's path
    title = models.CharField(_("title"), max_length=100)
    template = models.CharField(_("template"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus, default=SurveyStatus.DRAFT,
                              editable=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    published = models.BooleanField(_("results public"), default=False)  # shown on the public portal once closed
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """问题 — one question; each choice is marked positive or not, and the question's rate is the share of
    positive answers (e.g. 安全感: 安全 + 比较安全)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=200)
    choices = models.JSONField(_("choices"), default=list)  # [{"value", "label", "positive"}]
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="question_unique_code")]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """答卷 — one respondent's answers, entered by the resident on the portal or by staff on paper's behalf.

    Only the place (grid, building) and the answers are kept for the results; the resident link exists
    to stop a second answer from the same person and is never shown in results.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the respondent's place path
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel)
    answers = models.JSONField(default=dict)  # {question code: choice value}
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "resident"], condition=Q(resident__isnull=False),
                                    name="survey_one_response_per_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class StarStandard(models.Model):
    """创星标准 — an indicator tree with weights, veto items and star thresholds, configured as data."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    thresholds = models.JSONField(_("star thresholds"), default=list)  # ascending scores for 1, 2, … stars
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """指标 — a node of the tree. A leaf is computed from platform data or scored by an assessor with
    evidence; a veto item (一票否决) scores nothing and, once triggered, withholds every star."""

    standard = models.ForeignKey(StarStandard, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    source = models.CharField(_("data source"), max_length=60, blank=True)  # computed: a metric key
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2, default=100)  # value worth 100
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_not_negative"),
            models.CheckConstraint(condition=Q(target__gt=0), name="indicator_target_positive"),
            models.CheckConstraint(condition=~Q(kind="computed") | ~Q(source=""), name="computed_has_source"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """创星评定 — one community's rating against a standard for a year: self-assessed by the community,
    reviewed (审核) by the street, which fixes the score and the stars."""

    standard = models.ForeignKey(StarStandard, on_delete=models.PROTECT, related_name="assessments")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=AssessmentStatus,
                              default=AssessmentStatus.DRAFT, editable=False)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True, editable=False)
    stars = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    vetoed = models.BooleanField(default=False, editable=False)
    published = models.BooleanField(default=False, editable=False)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "path"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "community", "year"], name="assessment_unique_year"),
            models.CheckConstraint(condition=~Q(status="reviewed") | Q(reviewed_at__isnull=False, stars__isnull=False),
                                   name="reviewed_assessment_has_stars"),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}"


class IndicatorScore(models.Model):
    """指标得分 — an assessor's score (0–100) or veto finding for one indicator, with its evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    triggered = models.BooleanField(default=False)  # veto items only
    evidence = models.TextField(_("evidence"))  # what shows it: documents, records, the place they are kept
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique_indicator"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=100),
                                   name="score_value_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value}"


class Evidence(models.Model):
    """佐证材料 — a file attached to an indicator's score."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="insights/evidence/%Y/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class DailyRollup(models.Model):
    """日汇总 — appeals created on one day in one community and category, with the counts behind the rates.

    Filled by ``gongzhi insights rollup`` / the Celery task; the dashboard sums these rows instead of the
    cases. The time-dependent part of the response rate (open cases whose reply deadline passed) is
    counted live, so a rollup is never stale about the clock.
    """

    day = models.DateField()
    community = models.ForeignKey("registry.Place", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=64, editable=False)  # the community's path
    category = models.CharField(max_length=40, blank=True)
    cases = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    replied_flagged = models.PositiveIntegerField(default=0)  # responded_in_time known (true or false)
    resolved = models.PositiveIntegerField(default=0)
    resolution_known = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "day", "category"], name="rollup_unique_cell"),
        ]
        indexes = [models.Index(fields=["path", "day"], name="rollup_path_day")]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day} {self.category}"


class RollupState(models.Model):
    """汇总进度 — when the rollup last ran (one row); appeals changed since then are rolled up again."""

    key = models.CharField(max_length=20, unique=True)
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} {self.ran_at}"


class EvaluationRound(models.Model):
    """评价轮次 — one period (a year, a half-year) of two-way evaluation (双向评价) in a street: the street
    evaluates its communities and the departments serving them; each community evaluates the street and
    the departments that handled its appeals. Criteria and the score scale are data."""

    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")  # the street
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the street's path
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    criteria = models.JSONField(_("criteria"), default=list)  # [{"code", "label"}]
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    closed = models.BooleanField(_("closed"), default=False, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="round_dates_ordered"),
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="round_scale_ordered"),
            models.CheckConstraint(condition=Q(closed=False) | Q(closed_at__isnull=False),
                                   name="closed_round_has_closed_at"),
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """评价 — one unit's scores (and comment) for one evaluated party in a round: a community or the street
    (``target_place``) or a department (``target_department``). Editable until the round closes."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")  # street or community
    target_place = models.ForeignKey("registry.Place", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    target_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    scores = models.JSONField(default=dict)  # {criterion code: score}
    comment = models.TextField(_("comment"), blank=True, max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "evaluator", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_place__isnull=False, target_department__isnull=True)
                | Q(target_place__isnull=True, target_department__isnull=False),
                name="evaluation_one_target"),
            models.UniqueConstraint(fields=["round", "evaluator", "target_place"],
                                    condition=Q(target_place__isnull=False), name="evaluation_unique_place"),
            models.UniqueConstraint(fields=["round", "evaluator", "target_department"],
                                    condition=Q(target_department__isnull=False), name="evaluation_unique_department"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.evaluator_id}→{self.target_place_id or self.target_department_id}"
