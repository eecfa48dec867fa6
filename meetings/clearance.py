"""Clearance of a draft outcome statement: the secretariat sends it to the meeting's co-chairs, each
co-chair state clears it (or comments), and publishing checks that both did.

The co-chairs who clear are the states recorded as the meeting's co-chairs; when none is recorded
yet, the states whose co-chair terms of the body ran on the meeting's first day.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import ClearanceComment, ClearanceRequest, CoChairTerm, Meeting, MemberState
from .models.clearance import statement_digest


class ClearanceError(ValueError):
    """A clearance step that cannot be taken; the message says why."""


class ClearanceMissing(ClearanceError):
    """Publishing a draft whose co-chairs have not all cleared it, without a reason."""

    def __init__(self, missing: list[MemberState]):
        self.missing = missing
        names = " and ".join(state.display_name for state in missing)
        super().__init__(
            f"{names} {'has' if len(missing) == 1 else 'have'} not cleared the statement. Publish once both "
            "co-chairs have cleared it, or give the reason for publishing without."
        )


def cochair_states(meeting: Meeting) -> list[MemberState]:
    recorded = list(MemberState.objects.filter(meetings_cochaired__meeting=meeting).order_by("name"))
    if recorded:
        return recorded
    terms = CoChairTerm.objects.current(on=meeting.start_date).filter(body_id=meeting.body_id)
    return list(MemberState.objects.filter(pk__in=terms.values("state")).order_by("name"))


def missing_clearances(meeting: Meeting) -> list[MemberState]:
    """The co-chair states that have not cleared the meeting's statement as it now reads."""
    digest = statement_digest(meeting.outcome_statement)
    cleared = set(
        ClearanceRequest.objects.filter(meeting=meeting, cleared_at__isnull=False, cleared_digest=digest).values_list(
            "state_id", flat=True
        )
    )
    return [state for state in cochair_states(meeting) if state.pk not in cleared]


def needs_clearance(meeting: Meeting) -> bool:
    """A meeting never published needs clearance; one published before (taken back to correct it) needs
    it again only if it was sent for clearance again."""
    return meeting.published_at is None or meeting.clearances.exists()


def check_before_publishing(meeting: Meeting, *, by=None, reason: str = "") -> None:
    """Called by the one publishing service. Raises ClearanceMissing when a co-chair has not cleared the
    statement and no reason is given; with a reason, records it (who, when, which states had not)."""
    if meeting.is_published or not needs_clearance(meeting):
        return
    missing = missing_clearances(meeting)
    if not missing:
        return
    if not reason.strip():
        raise ClearanceMissing(missing)
    names = ", ".join(state.display_name for state in missing)
    ClearanceComment.objects.create(
        meeting=meeting,
        kind=ClearanceComment.Kind.PUBLISHED_WITHOUT,
        author=by,
        text=f"Published without the clearance of {names}: {reason.strip()}",
    )


def representatives_emails(states) -> list[str]:
    users = get_user_model().objects.filter(representative__state__in=states, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@transaction.atomic
def send_for_clearance(*, meeting: Meeting, by=None) -> list[ClearanceRequest]:
    """Send a draft's statement to its co-chairs.

    Side effects: one request per co-chair state (sent again, an earlier clearance is withdrawn and a
    state no longer a co-chair loses its request: the history keeps them); the co-chairs' accounts
    are e-mailed once the transaction commits. Raises ClearanceError for a published meeting, an
    empty statement or a meeting without co-chairs.
    """
    if meeting.is_published:
        raise ClearanceError(f"The {meeting.display_title} is already published.")
    if not meeting.outcome_statement.strip():
        raise ClearanceError(f"The {meeting.display_title} has no outcome statement to clear yet.")
    states = cochair_states(meeting)
    if not states:
        raise ClearanceError(f"Record the co-chairs of the {meeting.display_title} first.")
    now, digest = timezone.now(), statement_digest(meeting.outcome_statement)
    # A state no longer among the co-chairs loses its request: the request is what lets it read the
    # draft (workplan/access.py), whatever its terms. The history keeps the request it had.
    ClearanceRequest.objects.filter(meeting=meeting).exclude(state__in=states).delete()
    requests = []
    for state in states:
        request, _ = ClearanceRequest.objects.update_or_create(
            meeting=meeting,
            state=state,
            defaults={
                "sent_at": now,
                "sent_by": by,
                "sent_digest": digest,
                "cleared_at": None,
                "cleared_by": None,
                "cleared_digest": "",
            },
        )
        requests.append(request)
    recipients = representatives_emails(states)
    if recipients:
        url = settings.SITE_URL.rstrip("/") + reverse("workplan:clearance", args=[meeting.slug])
        body = (
            f"The secretariat asks the co-chairs to clear the draft outcome statement of the "
            f"{meeting.display_title}.\n\nRead it, comment or clear it in the workspace:\n{url}\n"
        )
        subject = f"[{meeting.body.acronym or meeting.body}] For clearance: {meeting.display_title}"[:200]
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return requests


@transaction.atomic
def clear_statement(*, meeting: Meeting, state: MemberState, by, comment: str = "") -> ClearanceRequest:
    """Record that a co-chair state clears the statement as it now reads, with an optional comment.

    Raises ClearanceError unless the statement was sent to that state and is still a draft.
    """
    request = ClearanceRequest.objects.select_for_update().filter(meeting=meeting, state=state).first()
    if request is None or meeting.is_published:
        raise ClearanceError("This statement is not awaiting your clearance.")
    if comment.strip():
        add_comment(meeting=meeting, state=state, by=by, text=comment)
    request.cleared_at, request.cleared_by = timezone.now(), by
    request.cleared_digest = statement_digest(meeting.outcome_statement)
    request.save(update_fields=["cleared_at", "cleared_by", "cleared_digest"])
    return request


def add_comment(*, meeting: Meeting, state: MemberState | None, by, text: str) -> ClearanceComment:
    return ClearanceComment.objects.create(meeting=meeting, state=state, author=by, text=text.strip())


def awaiting_clearance(states=None):
    """Draft meetings sent for clearance that a co-chair (one of `states`, if given) has not cleared yet."""
    requests = ClearanceRequest.objects.filter(meeting__status=Meeting.Status.DRAFT, cleared_at__isnull=True)
    if states is not None:
        requests = requests.filter(state__in=states)
    return Meeting.objects.filter(pk__in=requests.values("meeting")).select_related("body").order_by("start_date")
