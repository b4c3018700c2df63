from django.urls import path

from . import portal_views

app_name = "volunteering_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("wishes/", portal_views.wishes, name="wishes"),
    path("certificate/", portal_views.certificate, name="certificate"),
    path("board/<int:community_id>/", portal_views.board, name="board"),  # no login
]
