from django.urls import path

from . import portal_views as views

app_name = "deliberation_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/new/", views.new_proposal, name="new_proposal"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("ballots/<int:ballot_id>/", views.ballot_detail, name="ballot"),
    path("publicity/<int:publicity_id>/", views.publicity_detail, name="publicity"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("pacts/<int:charter_id>/", views.charter_detail, name="charter"),
]
