"""Public URLs of the forward work plan."""

from django.urls import path

from . import views

app_name = "workplan"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
]
