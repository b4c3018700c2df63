from django.urls import path

from . import public_views

app_name = "insights_public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<int:community_id>/", public_views.community, name="community"),
    path("<int:community_id>.json", public_views.community_json, name="community_json"),
]
