from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("triage/", views.triage_inbox, name="triage"),
    path("inbox/", views.handler_inbox, name="inbox"),
    path("overdue/", views.overdue, name="overdue"),
    path("new/", views.staff_entry, name="new"),
    path("<int:appeal_id>/", views.appeal_detail, name="detail"),
    path("lists/", views.lists, name="lists"),
    path("lists/<int:community_id>/", views.list_editor, name="list_editor"),
]
