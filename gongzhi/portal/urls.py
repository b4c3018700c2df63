from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<int:community_id>/work-list/", views.work_list, name="work_list"),
    path("me/", views.resident_home, name="resident_home"),
]
