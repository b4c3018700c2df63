from django.urls import path

from . import views

app_name = "appeals_portal"
urlpatterns = [
    path("", views.my_appeals, name="mine"),
    path("new/", views.portal_submit, name="new"),
    path("<int:appeal_id>/", views.portal_detail, name="detail"),
    path("board/", views.public_board, name="board"),
    path("lists/<int:community_id>/", views.public_list, name="list"),
    path("files/<int:attachment_id>/", views.attachment, name="attachment"),
]
