from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.drill_down, name="cases"),
    path("report.xlsx", views.monthly_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report.pdf", views.monthly_report, {"fmt": "pdf"}, name="report_pdf"),
]
