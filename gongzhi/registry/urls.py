from django.urls import path

from . import views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.places, name="places"),
    path("residents/", views.residents, name="residents"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident"),
    path("residents/<int:resident_id>/reveal/", views.reveal, name="reveal"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("work-list/", views.work_list, name="work_list"),
    path("audit/", views.audit_log, name="audit"),
]
