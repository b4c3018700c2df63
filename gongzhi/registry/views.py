"""Staff console pages for the registry (stubs; the pages work replaces them)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse("console")


places = residents = work_list = audit_log = home


@login_required
def resident_detail(request, resident_id: int):
    return HttpResponse("resident")


reveal = resident_detail


@login_required
def household_detail(request, household_id: int):
    return HttpResponse("household")
