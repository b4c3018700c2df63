from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "deliberation"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="deliberation:proposals"), name="home"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("ballots/", views.ballots, name="ballots"),
    path("ballots/<int:ballot_id>/", views.ballot_detail, name="ballot"),
    path("publicity/", views.publicities, name="publicities"),
    path("publicity/<int:publicity_id>/", views.publicity_detail, name="publicity"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("pacts/", views.charters, name="charters"),
    path("pacts/<int:charter_id>/", views.charter_detail, name="charter"),
]
