"""Public URLs of meetings, exercises, bodies and members."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<slug:slug>/print/", views.MeetingPrintView.as_view(), name="print"),
    path("exercises/<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("members/", views.MemberDirectoryView.as_view(), name="members"),
    path("members/states/<slug:slug>/", views.StateDetailView.as_view(), name="state"),
    path("members/organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
]
