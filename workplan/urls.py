"""URLs of the forward work plan: the public board and item pages, and the co-chairs' workspace."""

from django.urls import path

from . import views, workspace

app_name = "workplan"

urlpatterns = [
    path("workplan/", views.BoardView.as_view(), name="board"),
    path("workplan/items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("workspace/", workspace.WorkspaceView.as_view(), name="workspace"),
    path("workspace/items/<int:pk>/", workspace.ItemView.as_view(), name="workspace-item"),
    path("workspace/items/<int:pk>/edit/", workspace.EditItemView.as_view(), name="edit-item"),
    path("workspace/meetings/<slug:slug>/report/", workspace.ProgressReportView.as_view(), name="report"),
    path("workspace/meetings/<slug:slug>/report.docx", workspace.ProgressReportDocxView.as_view(), name="report-docx"),
    path("workspace/meetings/<slug:slug>/clearance/", workspace.ClearanceView.as_view(), name="clearance"),
]
