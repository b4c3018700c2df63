"""月报 — the figures of one unit's month, read from the platform's own records (never typed in)."""

from django.db.models import Count

from gongzhi.catalog.enums import ApplicationStatus
from gongzhi.catalog.models import Application
from gongzhi.core import paths
from gongzhi.deliberation.models import Meeting, Proposal
from gongzhi.registry.models import Place
from gongzhi.volunteering.models import Activity, ServiceRecord

from . import rates


def monthly_figures(place: Place, month: str) -> dict:
    """The dashboard summary plus the service hall, deliberation and volunteering counts of the month."""
    start, end = rates.parse_month(month)
    under = paths.subtree_q("path", place.path)
    summary = rates.summary(place, month)
    applications = dict(
        Application.objects.filter(under, submitted_at__gte=start, submitted_at__lt=end)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    summary["applications"] = [
        {"status": value, "label": str(label), "count": applications.get(value, 0)}
        for value, label in ApplicationStatus.choices
    ]
    summary["activity"] = {
        "proposals": Proposal.objects.filter(under, created_at__gte=start, created_at__lt=end).count(),
        "meetings": Meeting.objects.filter(under, starts_at__gte=start, starts_at__lt=end).count(),
        "volunteer_activities": Activity.objects.filter(
            paths.subtree_q("community__path", place.path), starts_at__gte=start, starts_at__lt=end
        ).count(),
        "service_records": ServiceRecord.objects.filter(under, created_at__gte=start, created_at__lt=end).count(),
    }
    return summary
