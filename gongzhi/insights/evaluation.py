"""双向评价 — two-way evaluation between a street, its communities and the departments serving them.

A round (评价轮次) covers one period of one street (a year, a half-year: the dates are data) with a few
criteria (by default 响应速度, 办理质量, 服务态度, 沟通协作) scored on the round's scale (by default 1–5).
Who evaluates whom in a round:
- the street office (a street officer of the street or above it) evaluates each community under the street
  and each department that handled appeals under the street created in the period;
- a community (its secretary, 社区书记) evaluates the street and each department that handled the community's
  appeals created in the period.
One evaluation per (evaluator unit, evaluated party, round), every criterion scored; editable until the
street closes the round.

Results per evaluated party: the mean of each criterion over its evaluations and the overall mean (of all
scores), both to two decimals, the number of evaluations, and beside them the objective 三率 of the period
(rates.py): of the community or the street (whole subtree), or of the department's cases under the street.

Who sees what — anonymous to the evaluated:
- an administrator and street officers above the street see every evaluation with its evaluator; officers
  of the street itself see the same, except the street's own received evaluations (averages only);
- an evaluated party (a department's handler, a community's secretary, the street's officers) sees its own
  averages, never who gave which score, once the round is closed — and a department or the street (which
  several units evaluate) only from ``MIN_ANONYMOUS`` evaluations on, since one evaluation's average is
  that evaluator's score;
- a community sees the evaluations it gave.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department
from gongzhi.accounts.selectors import NOTHING, covers, is_admin, scope_paths, scopes_of
from gongzhi.core import paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import rates
from .models import Evaluation, EvaluationRound

MIN_ANONYMOUS = 2
STREET_ROLES = frozenset({Role.STREET_OFFICER})  # evaluate on behalf of the street
COMMUNITY_ROLES = frozenset({Role.SECRETARY})  # evaluate on behalf of the community
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER})  # run rounds and read all of them
DEFAULT_CRITERIA = [
    {"code": "speed", "label": "响应速度"},
    {"code": "quality", "label": "办理质量"},
    {"code": "attitude", "label": "服务态度"},
    {"code": "cooperation", "label": "沟通协作"},
]
PLACE, DEPARTMENT = "place", "department"


class RoundClosed(DomainError):
    status = 409
    code = "round_closed"


@dataclass(frozen=True)
class Target:
    """评价对象 — a community, the street, or a department."""

    kind: str  # "place" | "department"
    id: int
    name: str
    role: str  # "community" | "street" | "department"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "name": self.name, "role": self.role}


def period(rnd: EvaluationRound) -> tuple[dt.datetime, dt.datetime]:
    """The round's period as [start, end) aware datetimes (whole local days)."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime.combine(rnd.starts_on, dt.time()), tz),
            timezone.make_aware(dt.datetime.combine(rnd.ends_on + dt.timedelta(days=1), dt.time()), tz))


def _target_of(e: Evaluation, rnd: EvaluationRound) -> Target:
    if e.target_department_id:
        return Target(DEPARTMENT, e.target_department_id, str(e.target_department), "department")
    role = "street" if e.target_place_id == rnd.place_id else "community"
    return Target(PLACE, e.target_place_id, e.target_place.name, role)


# ---- reads ---------------------------------------------------------------------------------------------

def _departments_of(user) -> set[int]:
    return {s.department_id for s in scopes_of(user) if s.role == Role.DEPARTMENT_HANDLER and s.department_id}


def rounds_visible_to(user):
    """Rounds of the streets the user works in or under, and rounds in which the user's department was
    evaluated."""
    found = scope_paths(user, READ_ALL_ROLES | COMMUNITY_ROLES)
    qs = EvaluationRound.objects.select_related("place")
    if found is None:
        return qs
    q = NOTHING
    for p in found:
        q |= paths.subtree_q("path", p) | Q(path__in=[p[:i] for i in range(1, len(p) + 1)])
    departments = _departments_of(user)
    if departments:
        q |= Q(pk__in=Evaluation.objects.filter(target_department_id__in=sorted(departments)).values("round_id"))
    return qs.filter(q)


def access_round(user, round_id) -> EvaluationRound:
    try:
        return rounds_visible_to(user).get(pk=int(round_id))
    except (ValueError, TypeError, EvaluationRound.DoesNotExist):
        raise NotFound(field="round") from None


def may_manage(user, rnd: EvaluationRound) -> bool:
    """The street office (or above, or an administrator) runs and closes the round and reads it all."""
    return covers(user, READ_ALL_ROLES, rnd.path)


def evaluator_units(user, rnd: EvaluationRound) -> list[Place]:
    """The units the user evaluates for in this round: the street and/or their communities under it."""
    units = []
    if covers(user, STREET_ROLES, rnd.path):
        units.append(rnd.place)
    ids = sorted({s.place_id for s in scopes_of(user) if s.role in COMMUNITY_ROLES
                  and s.place_kind == PlaceKind.COMMUNITY and s.path.startswith(rnd.path)})
    units.extend(Place.objects.filter(pk__in=ids).order_by("path"))
    return units


def departments_serving(path: str, start, end) -> list[Department]:
    """Departments that handled appeals under ``path`` created in [start, end) (counted cases only)."""
    handled = rates.range_cases(path, start, end).filter(department__isnull=False).values("department_id")
    return list(Department.objects.filter(pk__in=handled).order_by("name", "office", "id"))


def targets_for(rnd: EvaluationRound, evaluator: Place) -> list[Target]:
    """Whom ``evaluator`` evaluates in the round (see the module docstring)."""
    start, end = period(rnd)
    if evaluator.pk == rnd.place_id:
        places = Place.objects.filter(paths.subtree_q("path", rnd.path), kind=PlaceKind.COMMUNITY).order_by("path")
        found = [Target(PLACE, c.pk, c.name, "community") for c in places]
        serving = departments_serving(rnd.path, start, end)
    else:
        found = [Target(PLACE, rnd.place_id, rnd.place.name, "street")]
        serving = departments_serving(evaluator.path, start, end)
    return found + [Target(DEPARTMENT, d.pk, str(d), "department") for d in serving]


def given_by(user, rnd: EvaluationRound) -> list[Evaluation]:
    """The evaluations the user's own units gave in the round."""
    units = [u.pk for u in evaluator_units(user, rnd)]
    return list(rnd.evaluations.filter(evaluator_id__in=units)
                .select_related("evaluator", "target_place", "target_department"))


def forms_for(user, rnd: EvaluationRound) -> list[dict]:
    """For each unit the user evaluates for: its targets, each with the evaluation given so far (or None)."""
    given = {(e.evaluator_id, e.target_department_id and DEPARTMENT or PLACE,
              e.target_department_id or e.target_place_id): e for e in given_by(user, rnd)}
    return [{"evaluator": unit, "targets": [{"target": t, "evaluation": given.get((unit.pk, t.kind, t.id))}
                                            for t in targets_for(rnd, unit)]}
            for unit in evaluator_units(user, rnd)]


def _objective(rnd: EvaluationRound, target: Target) -> dict:
    start, end = period(rnd)
    if target.kind == DEPARTMENT:
        r = rates.department_rates_in(target.id, rnd.path, start, end)
    else:
        r = rates.rates_in(Place.objects.get(pk=target.id).path, start, end)
    return {k: getattr(r, k) for k in ("cases", "response_rate", "resolution_rate", "satisfaction_rate")}


def _sees_attribution(user, rnd: EvaluationRound, target: Target) -> bool:
    if not may_manage(user, rnd):
        return False
    if target.role != "street" or is_admin(user):
        return True
    # the street's own officers are the evaluated here: only officers above the street see who scored it
    return any(s.role == Role.STREET_OFFICER and rnd.path.startswith(s.path) and s.path != rnd.path
               for s in scopes_of(user))


def _is_evaluated(user, target: Target) -> bool:
    if target.kind == DEPARTMENT:
        return target.id in _departments_of(user)
    return any(s.place_id == target.id and s.role in (STREET_ROLES if target.role == "street" else COMMUNITY_ROLES)
               for s in scopes_of(user))


def results(rnd: EvaluationRound, user) -> dict:
    """The round's results the user may read: per evaluated party the means, count and objective rates;
    who gave which score only where the user may see it; and the evaluations the user's units gave."""
    codes = [c["code"] for c in rnd.criteria]
    groups: dict[Target, list[Evaluation]] = {}
    for e in rnd.evaluations.select_related("evaluator", "target_place", "target_department").order_by("id"):
        groups.setdefault(_target_of(e, rnd), []).append(e)
    rows = []
    for target, evaluations in sorted(groups.items(), key=lambda kv: (kv[0].role != "street", kv[0].role,
                                                                       kv[0].name, kv[0].id)):
        attributed = _sees_attribution(user, rnd, target)
        if not attributed and not (_is_evaluated(user, target) and rnd.closed):
            continue
        n = len(evaluations)
        row = {"target": target.as_dict(), "n": n, "hidden": False, "means": None, "overall": None,
               "objective": _objective(rnd, target), "evaluations": None}
        if not attributed and target.role != "community" and n < MIN_ANONYMOUS:
            row["hidden"] = True  # one evaluation's average would be that evaluator's score
        else:
            row["means"] = {c: round(sum(e.scores[c] for e in evaluations) / n, 2) for c in codes}
            row["overall"] = round(sum(e.scores[c] for e in evaluations for c in codes) / (n * len(codes)), 2)
        if attributed:
            row["evaluations"] = [{"evaluator": {"id": e.evaluator_id, "name": e.evaluator.name},
                                   "scores": e.scores, "comment": e.comment} for e in evaluations]
        rows.append(row)
    given = [{"evaluator": {"id": e.evaluator_id, "name": e.evaluator.name}, "target": _target_of(e, rnd).as_dict(),
              "scores": e.scores, "comment": e.comment} for e in given_by(user, rnd)]
    return {"round": round_dict(rnd), "results": rows, "given": given}


def round_dict(rnd: EvaluationRound) -> dict:
    return {"id": rnd.pk, "name": rnd.name, "place_id": rnd.place_id, "place": rnd.place.name,
            "starts_on": rnd.starts_on.isoformat(), "ends_on": rnd.ends_on.isoformat(), "criteria": rnd.criteria,
            "scale_min": rnd.scale_min, "scale_max": rnd.scale_max, "closed": rnd.closed}


# ---- writes --------------------------------------------------------------------------------------------

def _clean_criteria(criteria: list[dict] | None) -> list[dict]:
    if criteria is None:
        return [dict(c) for c in DEFAULT_CRITERIA]
    clean, codes = [], set()
    for i, c in enumerate(criteria):
        code, label = str(c.get("code") or "").strip(), str(c.get("label") or "").strip()
        if not code or code in codes or not label or len(code) > 40 or len(label) > 40:
            raise InvalidInput(_("Each criterion needs a unique code and a label."), field=f"criteria.{i}")
        codes.add(code)
        clean.append({"code": code, "label": label})
    if not 1 <= len(clean) <= 10:
        raise InvalidInput(_("Give one to ten criteria."), field="criteria")
    return clean


@transaction.atomic
def create_round(*, actor, place: Place, name: str, starts_on: dt.date, ends_on: dt.date,
                 criteria: list[dict] | None = None, scale_min: int = 1, scale_max: int = 5) -> EvaluationRound:
    """A street opens a round of two-way evaluation for a period."""
    if not covers(actor, READ_ALL_ROLES, place.path):
        raise NotFound(field="place")
    if place.kind != PlaceKind.STREET:
        raise InvalidInput(_("A round of evaluation is held by a street."), field="place")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Give the round a name of at most 100 characters."), field="name")
    if ends_on < starts_on:
        raise InvalidInput(_("The period must end on or after the day it starts."), field="ends_on")
    if not 0 <= scale_min < scale_max <= 100:
        raise InvalidInput(_("The scale runs from a lower to a higher score between 0 and 100."), field="scale_max")
    rnd = EvaluationRound.objects.create(place=place, path=place.path, name=name, starts_on=starts_on,
                                         ends_on=ends_on, criteria=_clean_criteria(criteria), scale_min=scale_min,
                                         scale_max=scale_max, created_by=actor)
    record_audit(actor=actor, action="eval.round_open", target=rnd)
    return rnd


@transaction.atomic
def close_round(*, actor, rnd: EvaluationRound) -> EvaluationRound:
    """Close the round: evaluations are final, and the evaluated see their averages."""
    rnd = EvaluationRound.objects.select_for_update().get(pk=rnd.pk)
    if not may_manage(actor, rnd):
        raise Forbidden()
    if rnd.closed:
        raise RoundClosed(_("This round of evaluation is closed."))
    rnd.closed, rnd.closed_at = True, timezone.now()
    rnd.save(update_fields=["closed", "closed_at"])
    record_audit(actor=actor, action="eval.round_close", target=rnd)
    return rnd


def _clean_scores(rnd: EvaluationRound, scores: dict) -> dict:
    codes = [c["code"] for c in rnd.criteria]
    for code in scores:
        if code not in codes:
            raise InvalidInput(_("No such criterion."), field=f"scores.{code}")
    clean = {}
    for code in codes:
        value = scores.get(code)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not rnd.scale_min <= value <= rnd.scale_max:
            raise InvalidInput(_("Give a whole score from %(low)s to %(high)s.")
                               % {"low": rnd.scale_min, "high": rnd.scale_max}, field=f"scores.{code}")
        clean[code] = value
    return clean


@transaction.atomic
def submit_evaluation(*, actor, rnd: EvaluationRound, evaluator: Place, target_kind: str, target_id: int,
                      scores: dict, comment: str = "") -> tuple[Evaluation, bool]:
    """One unit's evaluation of one party in the round, created or replaced; (evaluation, created)."""
    rnd = EvaluationRound.objects.select_for_update(of=("self",)).select_related("place").get(pk=rnd.pk)
    if evaluator.pk not in {u.pk for u in evaluator_units(actor, rnd)}:
        raise NotFound(field="evaluator")
    target = next((t for t in targets_for(rnd, evaluator) if (t.kind, t.id) == (target_kind, target_id)), None)
    if target is None:
        raise NotFound(field="target")
    if rnd.closed:
        raise RoundClosed(_("This round of evaluation is closed."))
    clean = _clean_scores(rnd, scores or {})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise InvalidInput(_("Keep the comment within 500 characters."), field="comment")
    lookup = {"round": rnd, "evaluator": evaluator,
              "target_department_id" if target.kind == DEPARTMENT else "target_place_id": target.id}
    evaluation = Evaluation.objects.filter(**lookup).first()
    created = evaluation is None
    if created:
        evaluation = Evaluation(**lookup, created_by=actor)
    evaluation.scores, evaluation.comment, evaluation.updated_by = clean, comment, actor
    evaluation.save()
    record_audit(actor=actor, action="eval.submit" if created else "eval.update", target=evaluation,
                 scope_path=evaluator.path, field=f"{target.kind}:{target.id}")  # no scores: anonymous to the evaluated
    return evaluation, created
