"""The co-chairs' workspace: the work plan of the bodies a user works on, updates, edits, reports.

Every view finds its items through access.py, so an item of another body answers 404 to GET and
POST alike.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Max, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.models import Meeting

from . import access
from .documents import progress_report_docx
from .forms import ItemEditForm, ProgressUpdateForm, WorkspaceFilterForm
from .models import ItemStatus, ProgressUpdate, StatusAtMeeting, WorkPlanItem
from .rollup import rollup
from .services import StaleEdit, edit_item, post_update, record_statuses_at
from .workflow import TransitionRefused


class WorkspaceMixin(LoginRequiredMixin):
    """Logged-in users who work on at least one body; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can_use_workspace(request.user):
            raise Http404("No work plan for this account.")
        return super().dispatch(request, *args, **kwargs)


class WorkspaceView(WorkspaceMixin, TemplateView):
    template_name = "workplan/workspace.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        bodies = list(access.workspace_bodies(user).order_by("name"))
        form = WorkspaceFilterForm(self.request.GET or None)
        all_items = WorkPlanItem.objects.filter(body__in=bodies)
        items = (
            (form.filter(all_items) if self.request.GET else all_items)
            .select_related("body", "raised_at")
            .prefetch_related("lead_states", "lead_organisations")
            .annotate(last_update=Max("updates__date"))
            .order_by("body__name", "order_label", "title", "pk")
        )
        today = timezone.localdate()
        by_status = {status: [] for status in ItemStatus.values}
        for item in items:
            item.overdue = bool(item.target_date and item.target_date < today and item.is_open)
            by_status[item.status].append(item)
        return super().get_context_data(
            bodies=bodies,
            filter_form=form,
            groups=[(ItemStatus(s).label, s, rows) for s, rows in by_status.items()],
            counts={ItemStatus(s).label: len(rows) for s, rows in by_status.items()},
            meetings=Meeting.objects.filter(body__in=bodies).select_related("body").order_by("-start_date")[:20],
            state=access.represented_state(user),
            **kwargs,
        )


class ItemMixin(WorkspaceMixin):
    def get_item(self):
        if not hasattr(self, "item"):
            self.item = access.get_item_for_user(self.request.user, self.kwargs["pk"])
        return self.item

    def timeline(self):
        return (
            ProgressUpdate.objects.filter(item=self.get_item())
            .select_related("author__representative__state")
            .order_by("date", "pk")
        )

    def item_context(self):
        item = self.get_item()
        return {
            "item": item,
            "updates": self.timeline(),
            "rollup": rollup(item) if item.children.exists() else None,
        }


class ItemView(ItemMixin, FormView):
    """An item's whole timeline and the form to post a progress update."""

    template_name = "workplan/workspace_item.html"

    def get_form(self, form_class=None):
        return ProgressUpdateForm(**self.get_form_kwargs(), item=self.get_item())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.item_context(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            update = post_update(
                item=self.get_item(),
                by=self.request.user,
                text=data["text"],
                status=data["status"] or None,
                percent_complete=data["percent_complete"],
                date=data["date"],
                reason=data["reason"],
            )
        except TransitionRefused as refusal:
            # Someone moved the item meanwhile; the form and what was typed stay.
            form.add_error(refusal.field, str(refusal))
            return self.form_invalid(form)
        change = f" Status now: {update.get_status_after_display().lower()}." if update.changed_status else ""
        messages.success(self.request, f"Update posted.{change}")
        return redirect("workplan:workspace-item", pk=update.item_id)


class EditItemView(ItemMixin, FormView):
    template_name = "workplan/workspace_edit.html"

    def get_form(self, form_class=None):
        return ItemEditForm(**self.get_form_kwargs(), instance=self.get_item())

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.get_item(), **kwargs)

    def form_valid(self, form):
        try:
            edit_item(
                item=self.get_item(),
                by=self.request.user,
                version=form.cleaned_data["version"],
                changes=form.cleaned_data,
            )
        except StaleEdit:
            form.add_error(
                None,
                "Someone else saved this item after you opened this form, so your changes were not saved. "
                "They are still in the form below: compare them with the item's current details "
                "(open it in a new tab), then save again.",
            )
            # The next save applies over the version now stored, having been warned once.
            form.data = form.data.copy()
            form.data["version"] = WorkPlanItem.objects.get(pk=self.get_item().pk).version
            return self.form_invalid(form)
        messages.success(self.request, "The item's details were saved.")
        return redirect("workplan:workspace-item", pk=self.get_item().pk)


class ProgressReportView(WorkspaceMixin, TemplateView):
    """Every item of a body with its status at the previous meeting and now, and the updates between."""

    template_name = "workplan/progress_report.html"

    def get_meeting(self):
        meeting = get_object_or_404(Meeting.objects.select_related("body"), slug=self.kwargs["slug"])
        if not access.workspace_bodies(self.request.user).filter(pk=meeting.body_id).exists():
            raise Http404("No such meeting in this workspace.")
        return meeting

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        previous = (
            Meeting.objects.filter(body=meeting.body, start_date__lt=meeting.start_date).order_by("-start_date").first()
        )
        since = previous.start_date if previous else None
        meetings = [meeting, previous] if previous else [meeting]
        updates = ProgressUpdate.objects.select_related("author__representative__state").order_by("date", "pk")
        if since:
            updates = updates.filter(date__gte=since)
        # Up to the meeting once it is held; up to today while it is ahead.
        updates = updates.filter(date__lte=min(meeting.end_date, timezone.localdate()))
        items = list(
            WorkPlanItem.objects.filter(body=meeting.body)
            .select_related("raised_at")
            .prefetch_related(
                Prefetch(
                    "statuses_at_meetings",
                    queryset=StatusAtMeeting.objects.filter(meeting__in=meetings),
                    to_attr="kept",
                ),
                Prefetch("updates", queryset=updates.filter(kind=ProgressUpdate.Kind.UPDATE), to_attr="period_updates"),
            )
            .order_by("order_label", "title", "pk")
        )
        for item in items:
            kept = {row.meeting_id: row for row in item.kept}
            item.at_previous = kept.get(previous.pk) if previous else None
            item.at_meeting = kept.get(meeting.pk)
        return super().get_context_data(
            meeting=meeting,
            previous=previous,
            items=items,
            recorded=StatusAtMeeting.objects.filter(meeting=meeting).exists(),
            **kwargs,
        )


class RecordStatusesView(ProgressReportView, View):
    """Keep the statuses the items have now as their statuses at the meeting (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        written = record_statuses_at(meeting=meeting, by=request.user)
        messages.success(request, f"Kept the status of {written} item(s) at the {meeting.display_title}.")
        return redirect("workplan:report", slug=meeting.slug)


class ProgressReportDocxView(ProgressReportView):
    """The progress report as a Word document, numbered item by item, for circulation before a meeting."""

    def render_to_response(self, context, **response_kwargs):
        meeting = context["meeting"]
        response = HttpResponse(
            progress_report_docx(meeting, context["previous"], context["items"]),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="progress-report-{meeting.slug}.docx"'
        return response
