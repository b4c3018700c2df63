from django.urls import path

from . import gridmap_views, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.drill_down, name="cases"),
    path("stars/", views.star_list, name="stars"),
    path("stars/<int:assessment_id>/", views.star_detail, name="star_detail"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("report.xlsx", views.monthly_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report.pdf", views.monthly_report, {"fmt": "pdf"}, name="report_pdf"),
    path("gridmap/", gridmap_views.gridmap, name="gridmap"),
    path("yearly.xlsx", gridmap_views.yearly_report, {"fmt": "xlsx"}, name="yearly_xlsx"),
    path("yearly.pdf", gridmap_views.yearly_report, {"fmt": "pdf"}, name="yearly_pdf"),
]
