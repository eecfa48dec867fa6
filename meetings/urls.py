"""Public URLs of meetings, exercises, bodies and members."""

from django.urls import path

from . import feeds, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<slug:slug>/participants/", views.MeetingParticipantsView.as_view(), name="participants"),
    path("meetings/<slug:slug>/print/", views.MeetingPrintView.as_view(), name="print"),
    path("meetings/<slug:slug>/calendar.ics", feeds.meeting_ics, name="meeting-ics"),
    path("meetings/<slug:slug>/outcome.docx", views.MeetingDocxView.as_view(), name="docx"),
    path("exercises/", views.ExerciseListView.as_view(), name="exercises"),
    path("exercises/<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise"),
    path("exercises/<slug:slug>/calendar.ics", feeds.exercise_ics, name="exercise-ics"),
    path("calendar.ics", feeds.calendar_ics, name="calendar"),
    path("feeds/outcomes.rss", feeds.OutcomesFeed(), name="feed-rss"),
    path("feeds/outcomes.atom", feeds.AtomOutcomesFeed(), name="feed-atom"),
    path("bodies/", views.BodyListView.as_view(), name="bodies"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("members/", views.MemberDirectoryView.as_view(), name="members"),
    path("members/states/<slug:slug>/", views.StateDetailView.as_view(), name="state"),
    path("members/organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
]
