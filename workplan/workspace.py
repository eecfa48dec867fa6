"""The co-chairs' workspace: what needs attention, the work plan of the bodies a user works on,
updates, edits, clearance of draft statements, and progress reports.

Every view finds its items and meetings through access.py, so an item or draft of another body
answers 404 to GET and POST alike.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from meetings.clearance import ClearanceError, add_comment, awaiting_clearance, clear_statement, missing_clearances
from meetings.models import ClearanceComment

from . import access
from .documents import progress_report_docx
from .forms import ClearanceForm, ItemEditForm, ProgressUpdateForm, WorkspaceFilterForm
from .models import OPEN_STATUSES, ItemStatus, ProgressUpdate, WorkPlanItem
from .notifications import notify_of_clearance
from .rollup import rollup
from .services import EDITABLE_FIELDS, EDITABLE_RELATIONS, StaleEdit, edit_item, post_update
from .status_history import report_rows
from .workflow import TransitionRefused


class WorkspaceMixin(LoginRequiredMixin):
    """Logged-in users who work on at least one body; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.remember_workspace(request):
            return self.no_workspace(request)
        return super().dispatch(request, *args, **kwargs)

    def no_workspace(self, request):
        raise Http404("No work plan for this account.")


# The whole plan: each status's first GROUP_ROWS items, and a link to the rest of a status, a page
# of PAGE_ROWS at a time; listing every item took 3 s for a body of 5,000 (a browser trial).
GROUP_ROWS = 50
PAGE_ROWS = 100
PLAN_ORDER = ("body__name", "order_label", "title", "pk")


class WorkspaceView(WorkspaceMixin, TemplateView):
    template_name = "workplan/workspace.html"

    def no_workspace(self, request):
        # Said plainly, with whom to ask: the account exists, it only lacks a co-chair term.
        return TemplateResponse(
            request,
            "workplan/no_workspace.html",
            {"contact": settings.SECRETARIAT_CONTACT_EMAIL},
            status=403,
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        bodies = list(access.workspace_bodies(user).order_by("name"))
        state = access.represented_state(user)
        form = WorkspaceFilterForm(self.request.GET or None)
        all_items = access.workspace_items(user)
        filtered = form.filter(all_items) if self.request.GET else all_items
        totals = dict(filtered.order_by().values_list("status").annotate(n=Count("pk")))
        one_status = form.active_filters().get("status") if self.request.GET else None
        if one_status:  # that status's items, a page at a time
            shown = filtered
        else:  # the first GROUP_ROWS of each status, in one query
            place = Window(RowNumber(), partition_by=[F("status")], order_by=[F(f) for f in PLAN_ORDER])
            shown = all_items.filter(pk__in=filtered.annotate(place=place).filter(place__lte=GROUP_ROWS).values("pk"))
        rows = (
            shown.select_related("body", "raised_at")
            .prefetch_related("lead_states", "lead_organisations")
            .annotate(last_update=Max("updates__date"))
            .order_by(*PLAN_ORDER)
        )
        page = Paginator(rows, PAGE_ROWS).get_page(self.request.GET.get("page")) if one_status else None
        if page is not None:
            rows = page.object_list
        today = timezone.localdate()
        by_status = {status: [] for status in ItemStatus.values}
        for item in rows:
            item.overdue = bool(item.target_date and item.target_date < today and item.is_open)
            by_status[item.status].append(item)
        return super().get_context_data(
            bodies=bodies,
            filter_form=form,
            attention=needs_attention(all_items, today),
            awaiting=list(awaiting_clearance(None if state is None else [state])),  # whatever the body
            groups=[
                (ItemStatus(s).label, s, group, totals.get(s, 0), totals.get(s, 0) > len(group) and not one_status)
                for s, group in by_status.items()
            ],
            counts={ItemStatus(s).label: totals.get(s, 0) for s in ItemStatus.values},
            page_obj=page,
            meetings=access.workspace_meetings(user).select_related("body").order_by("-start_date")[:20],
            state=state,
            due_soon_days=settings.WORKPLAN_DUE_SOON_DAYS,
            quiet_days=settings.WORKPLAN_QUIET_DAYS,
            **kwargs,
        )


def needs_attention(items, today: datetime.date) -> dict[str, list]:
    """Open items overdue, due within the window, and without an update for the quiet period. An
    update counts from the later of its date and the day it was posted: progress reported today on a
    past meeting's work is news today, and must not leave the item marked as neglected."""
    soon = today + datetime.timedelta(days=settings.WORKPLAN_DUE_SOON_DAYS)
    quiet_since = today - datetime.timedelta(days=settings.WORKPLAN_QUIET_DAYS)
    rows = (
        items.filter(status__in=OPEN_STATUSES)
        .select_related("body")
        .annotate(last_update=Max("updates__date"), last_posted=Max("updates__created_at"))
        .order_by("target_date", "title", "pk")
    )
    attention = {"overdue": [], "due_soon": [], "quiet": []}
    for item in rows:
        if item.target_date and item.target_date < today:
            attention["overdue"].append(item)
        elif item.target_date and item.target_date <= soon:
            attention["due_soon"].append(item)
        posted = [timezone.localdate(item.last_posted)] if item.last_posted else []
        last = max([item.last_update or item.created_at.date(), *posted])
        if last < quiet_since:
            attention["quiet"].append(item)
    return attention


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
                seen_status=data["seen_status"] or None,
            )
        except TransitionRefused as refusal:
            # Refused after the form's checks: what was typed stays; if someone moved the item
            # meanwhile, the status is asked again from the one it has now.
            form.add_error(refusal.field, str(refusal))
            form.item = self.item = WorkPlanItem.objects.get(pk=self.get_item().pk)
            if self.item.status != data["seen_status"]:
                form.ask_again()
            return self.form_invalid(form)
        change = f" Status now: {update.get_status_after_display().lower()}." if update.changed_status else ""
        messages.success(self.request, f"Update posted.{change}")
        return redirect("workplan:workspace-item", pk=update.item_id)


class EditItemView(ItemMixin, FormView):
    """Edit an item's details. A save over someone else's newer version is refused and shows their
    version beside yours; only an explicit choice saves over it."""

    template_name = "workplan/workspace_edit.html"

    def get_form(self, form_class=None):
        return ItemEditForm(**self.get_form_kwargs(), instance=self.get_item())

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.get_item(), **kwargs)

    def form_valid(self, form):
        mine = form.cleaned_data
        resolve = self.request.POST.get("resolve", "")
        version, changes = mine["version"], mine
        if resolve in ("chosen", "overwrite") and mine.get("their_version") is not None:
            version = mine["their_version"]  # the version the refusal showed, and nothing newer
            if resolve == "chosen":
                # As stored: the form's validation has written yours into the instance it was given.
                stored = WorkPlanItem.objects.get(pk=self.get_item().pk)
                chosen = set(self.request.POST.getlist("take"))  # the ticked rows of the comparison
                changes = {
                    name: mine[name] if name in chosen else _stored_value(stored, name)
                    for name in EDITABLE_FIELDS + EDITABLE_RELATIONS
                }
        try:
            edit_item(item=self.get_item(), by=self.request.user, version=version, changes=changes)
        except StaleEdit:
            return self.refused(form)
        messages.success(self.request, "The item's details were saved.")
        return redirect("workplan:workspace-item", pk=self.get_item().pk)

    def refused(self, form):
        """Their version beside yours, field by field. The form keeps the version it was opened on, so
        a plain Save is refused again; `their_version` lets the explicit choices save over this one."""
        stored = WorkPlanItem.objects.prefetch_related("lead_states", "lead_organisations", "themes").get(
            pk=self.get_item().pk
        )
        differences = form.differences(stored)
        form.data = form.data.copy()
        form.data["their_version"] = stored.version
        last_save = stored.history.select_related("history_user").first()
        form.add_error(
            None,
            "Someone else saved this item after you opened this form, so your changes were not saved. "
            "Their version is beside yours below: keep theirs, take yours for the fields you choose, or "
            "overwrite theirs.",
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                conflict={
                    "rows": differences,
                    "by": getattr(last_save, "history_user", None),
                    "at": getattr(last_save, "history_date", None),
                    "lost": ", ".join(row["label"] for row in differences),
                },
            )
        )


def _stored_value(item: WorkPlanItem, name: str):
    return list(getattr(item, name).all()) if name in EDITABLE_RELATIONS else getattr(item, name)


class ClearanceView(WorkspaceMixin, FormView):
    """A draft outcome statement sent to the user's state for clearance: read it, comment, clear it."""

    template_name = "workplan/clearance.html"
    form_class = ClearanceForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.can_use_workspace(request.user):
            self.meeting, self.request_row = access.get_draft_for_clearance(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        return super().get_context_data(
            meeting=meeting,
            mine=self.request_row,
            requests=meeting.clearances.select_related("state", "cleared_by").order_by("state__name"),
            comments=ClearanceComment.objects.filter(meeting=meeting, kind=ClearanceComment.Kind.COMMENT)
            .select_related("state", "author")
            .order_by("created_at"),
            missing=missing_clearances(meeting),
            **kwargs,
        )

    def form_valid(self, form):
        if self.request_row is None:
            form.add_error(None, "Only the co-chairs comment on or clear a draft here; the secretariat uses the admin.")
            return self.form_invalid(form)
        state, comment = self.request_row.state, form.cleaned_data["comment"]
        cleared = self.request.POST.get("decision") == "clear"
        try:
            if cleared:
                clear_statement(meeting=self.meeting, state=state, by=self.request.user, comment=comment)
                messages.success(self.request, f"You cleared the statement for {state.display_name}.")
            else:
                add_comment(meeting=self.meeting, state=state, by=self.request.user, text=comment)
                messages.success(self.request, "Your comment was sent to the secretariat.")
        except ClearanceError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        meeting = self.meeting
        transaction.on_commit(lambda: notify_of_clearance(meeting=meeting, state=state, cleared=cleared, text=comment))
        return redirect("workplan:clearance", slug=self.meeting.slug)


class ProgressReportView(WorkspaceMixin, TemplateView):
    """The body's items at a meeting: the status at the previous meeting and at this one, as the dated
    updates say they were, and the updates between the two."""

    template_name = "workplan/progress_report.html"

    def get_meeting(self):
        return get_object_or_404(
            access.workspace_meetings(self.request.user).select_related("body"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        previous, items = report_rows(meeting)
        return super().get_context_data(meeting=meeting, previous=previous, items=items, **kwargs)


class ProgressReportDocxView(ProgressReportView):
    """The progress report as a Word document (a table, item by item), for circulation before a meeting."""

    def render_to_response(self, context, **response_kwargs):
        meeting = context["meeting"]
        response = HttpResponse(
            progress_report_docx(meeting, context["previous"], context["items"]),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="progress-report-{meeting.slug}.docx"'
        return response
