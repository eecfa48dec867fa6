"""The one workflow of a work-plan item's status.

    suggested -> agreed -> in progress -> completed
    any open status (suggested, agreed, in progress) -> dropped
    completed -> in progress, only with a reason (the item is reopened)

Dropped is final: the secretariat can correct a mistake in the admin.
"""

from .models import ItemStatus, ProgressUpdate

S = ItemStatus
TRANSITIONS = {
    S.SUGGESTED: [S.AGREED, S.DROPPED],
    S.AGREED: [S.IN_PROGRESS, S.DROPPED],
    S.IN_PROGRESS: [S.COMPLETED, S.DROPPED],
    S.COMPLETED: [S.IN_PROGRESS],
    S.DROPPED: [],
}
NEEDS_REASON = {(S.COMPLETED, S.IN_PROGRESS)}


class TransitionRefused(ValueError):
    """A status change the workflow does not allow; the message says which moves are allowed,
    `field` which form field it belongs beside."""

    def __init__(self, message: str, field: str = "status"):
        super().__init__(message)
        self.field = field


def allowed_next(status: str) -> list[str]:
    return [str(s) for s in TRANSITIONS.get(status, [])]


def describe_allowed(status: str) -> str:
    labels = [S(s).label.lower() for s in allowed_next(status)]
    current = S(status).label.lower()
    if not labels:
        return f"An item that is {current} cannot change status."
    return f"From {current} an item can move to: {', '.join(labels)}."


def check_transition(current: str, new: str, *, reason: str = "") -> None:
    """Raise TransitionRefused unless the workflow allows moving from `current` to `new`."""
    if new not in S.values:
        raise TransitionRefused(f"“{new}” is not a status. {describe_allowed(current)}")
    if new not in allowed_next(current):
        raise TransitionRefused(
            f"An item cannot move from {S(current).label.lower()} to {S(new).label.lower()}. "
            f"{describe_allowed(current)}"
        )
    if (current, new) in NEEDS_REASON and not reason.strip():
        raise TransitionRefused("Reopening a completed item needs a reason.", field="reason")


def check_not_moved_meanwhile(item, *, seen_status: str | None, requested: str | None) -> None:
    """Raise TransitionRefused, saying what changed, when a status is asked of an item that someone
    moved after the author saw it (or that already has the status asked for)."""
    if not requested:
        return
    moved = seen_status is not None and seen_status != item.status
    if not moved and requested != item.status:
        return
    last = (
        ProgressUpdate.objects.filter(item=item, status_after=item.status)
        .select_related("author__representative__state")
        .order_by("-date", "-pk")
        .first()
    )
    who = f" ({last.attribution}, {last.date.day} {last.date:%B %Y})" if last else ""
    now = S(item.status).label.lower()
    if moved and seen_status in S.values:
        change = f"While you were writing, the item moved from {S(seen_status).label.lower()} to {now}{who}."
    else:
        change = f"The item is already {now}{who}."
    raise TransitionRefused(f"{change} Check that your update still applies and choose the status again.")
