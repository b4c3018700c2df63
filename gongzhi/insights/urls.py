from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.xlsx", views.monthly_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report.pdf", views.monthly_report, {"fmt": "pdf"}, name="report_pdf"),
]
