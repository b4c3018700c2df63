from django.urls import path

from . import evaluation_views, forms_views, gridmap_views, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.drill_down, name="cases"),
    path("stars/", views.star_list, name="stars"),
    path("stars/<int:assessment_id>/", views.star_detail, name="star_detail"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/", forms_views.survey_list, name="surveys"),
    path("surveys/<int:survey_id>/entry/", forms_views.survey_entry, name="survey_entry"),
    path("surveys/<int:survey_id>/status/", forms_views.survey_status, name="survey_status"),
    path("stars/<int:assessment_id>/score/", forms_views.star_score, name="star_score"),
    path("evaluations/", evaluation_views.rounds, name="evaluations"),
    path("evaluations/<int:round_id>/", evaluation_views.fill, name="evaluation_fill"),
    path("evaluations/<int:round_id>/results/", evaluation_views.results, name="evaluation_results"),
    path("evaluations/<int:round_id>/close/", evaluation_views.close, name="evaluation_close"),
    path("report.xlsx", views.monthly_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("report.pdf", views.monthly_report, {"fmt": "pdf"}, name="report_pdf"),
    path("gridmap/", gridmap_views.gridmap, name="gridmap"),
    path("yearly.xlsx", gridmap_views.yearly_report, {"fmt": "xlsx"}, name="yearly_xlsx"),
    path("yearly.pdf", gridmap_views.yearly_report, {"fmt": "pdf"}, name="yearly_pdf"),
]
