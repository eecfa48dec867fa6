"""Public pages of the forward work plan: the board and each item's page."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from meetings.models import Meeting

from . import charts
from .forms import BoardFilterForm
from .models import ProgressUpdate, WorkPlanItem


class BoardView(ListView):
    template_name = "workplan/board.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = BoardFilterForm(self.request.GET or None)
        visible = WorkPlanItem.objects.visible_to(self.request.user)
        self.filtered = self.filter_form.filter(visible) if self.request.GET else visible
        return (
            self.filtered.select_related("body", "raised_at")
            .prefetch_related("lead_states", "lead_organisations", "themes")
            .order_by("body__name", "plan_period", "parent_id", "order_label", "title", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            segments=charts.status_segments(self.filtered),
            **kwargs,
        )


class ItemDetailView(DetailView):
    template_name = "workplan/item_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        user = self.request.user
        visible_meetings = Meeting.objects.visible_to(user).select_related("body")
        return (
            WorkPlanItem.objects.visible_to(user)
            .select_related("body", "raised_at__body", "parent__raised_at")
            .prefetch_related(
                "lead_states",
                "lead_organisations",
                "themes",
                Prefetch("reported_at", queryset=visible_meetings),
                Prefetch("children", queryset=WorkPlanItem.objects.visible_to(user).with_leads()),
                Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("author__representative__state").order_by(
                        "date", "pk"
                    ),
                ),
            )
        )
