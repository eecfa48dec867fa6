"""The status of an item as it was on a day, derived from its dated progress updates.

A meeting's date is its last day: what was agreed at a meeting counts as the status at that meeting.
The report for a meeting covers the updates dated after the previous meeting's last day, up to and
including this meeting's last day, so each update is in exactly one report. The secretariat may
correct a derived status (StatusAtMeeting, with the reason, kept in history).
"""

import datetime

from django.db.models import Prefetch, Q

from meetings.models import Meeting

from .models import ItemStatus, ProgressUpdate, StatusAtMeeting, WorkPlanItem


def status_on(item: WorkPlanItem, day: datetime.date, changes=None) -> ItemStatus:
    """The item's status at the end of `day`: the last status change dated on or before it; before any
    change, the status the first change moved from; with no change at all, its status now.

    `changes` are the item's status-changing updates in date order (read here if not given).
    """
    if changes is None:
        changes = list(
            item.updates.filter(kind=ProgressUpdate.Kind.UPDATE).exclude(status_after="").order_by("date", "pk")
        )
    changes = [u for u in changes if u.status_after and u.status_after != u.status_before]
    before = [u for u in changes if u.date <= day]
    if before:
        return ItemStatus(before[-1].status_after)
    if changes:
        return ItemStatus(changes[0].status_before or item.status)
    return ItemStatus(item.status)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's published meeting before this one."""
    return (
        Meeting.objects.published()
        .select_related("body")
        .filter(body_id=meeting.body_id, start_date__lt=meeting.start_date)
        .exclude(pk=meeting.pk)
        .order_by("-start_date", "-pk")
        .first()
    )


def report_rows(meeting: Meeting) -> tuple[Meeting | None, list[WorkPlanItem]]:
    """(previous meeting, items) for a meeting's progress report.

    The items are the body's published items raised at or before the meeting; each carries
    `at_previous` and `at_meeting` (a status value), `corrected` (the StatusAtMeeting correcting
    this meeting's status, or None), and `period_updates` (the updates between the two meetings).
    """
    previous = previous_meeting(meeting)
    since = previous.end_date if previous else None
    period = ProgressUpdate.objects.filter(kind=ProgressUpdate.Kind.UPDATE, date__lte=meeting.end_date)
    if since:
        period = period.filter(date__gt=since)
    meetings = [m.pk for m in (meeting, previous) if m]
    items = list(
        WorkPlanItem.objects.published()
        .filter(body_id=meeting.body_id)
        .filter(Q(raised_at__isnull=True) | Q(raised_at__start_date__lte=meeting.start_date))
        .select_related("raised_at")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(kind=ProgressUpdate.Kind.UPDATE)
                .exclude(status_after="")
                .order_by("date", "pk"),
                to_attr="status_changes",
            ),
            Prefetch(
                "updates",
                queryset=period.select_related("author__representative__state").order_by("date", "pk"),
                to_attr="period_updates",
            ),
            Prefetch(
                "statuses_at_meetings",
                queryset=StatusAtMeeting.objects.filter(meeting__in=meetings),
                to_attr="corrections",
            ),
        )
        .order_by("plan_period", "order_label", "title", "pk")
    )
    for item in items:
        corrections = {row.meeting_id: row for row in item.corrections}
        item.corrected = corrections.get(meeting.pk)
        item.at_meeting = (
            ItemStatus(item.corrected.status)
            if item.corrected
            else status_on(item, meeting.end_date, item.status_changes)
        )
        item.at_previous = None
        if previous:
            kept = corrections.get(previous.pk)
            item.at_previous = (
                ItemStatus(kept.status) if kept else status_on(item, previous.end_date, item.status_changes)
            )
            if item.raised_at and item.raised_at.start_date > previous.start_date:
                item.at_previous = None  # raised since: it had no status at the previous meeting
    return previous, items


def _status_at(item: WorkPlanItem, meeting: Meeting, correction: StatusAtMeeting | None) -> ItemStatus:
    if correction:
        return ItemStatus(correction.status)
    return status_on(item, meeting.end_date, item.status_changes)
