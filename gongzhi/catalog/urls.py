from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.counter, name="counter"),
    path("applications/", views.applications, name="applications"),
    path("care/", views.care_lists, name="care"),
    path("residents/<int:resident_id>/certificate/", views.issue_certificate, name="issue_certificate"),
    path("certificates/<int:certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
