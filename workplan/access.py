"""Who may work on which items in the workspace.

A co-chair is a user linked to a member state (Representative) while that state holds a current
co-chair term of a body; the secretariat works on every body. Anything outside a user's bodies
answers 404, so a guessed id reveals nothing.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import Body, ClearanceRequest, CoChairTerm, Meeting
from meetings.models.base import PublicationStatus

from .models import Representative, WorkPlanItem
from .roles import COCHAIRS, SECRETARIAT


def is_secretariat(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_is_secretariat"):
        user._is_secretariat = user.is_superuser or user.groups.filter(name=SECRETARIAT).exists()
    return user._is_secretariat


def may_use_admin(user) -> bool:
    """The admin is the secretariat's door only: staff of the Secretariat group (or a superuser),
    and never an account that is also a co-chair, whose door is the workspace, scoped to its bodies.
    A staff flag given to a co-chair by mistake therefore opens nothing."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.groups.filter(name=COCHAIRS).exists() or Representative.objects.filter(user=user).exists():
        return False
    return is_secretariat(user)


def represented_state(user):
    """The member state a user represents, or None."""
    if not user.is_authenticated:
        return None
    representative = getattr(user, "representative", None)
    return representative.state if representative else None


def workspace_bodies(user):
    """The bodies a user works on now: all for the secretariat, those their state co-chairs for others."""
    if is_secretariat(user):
        return Body.objects.all()
    state = represented_state(user)
    if state is None:
        return Body.objects.none()
    terms = CoChairTerm.objects.current().filter(state=state)
    return Body.objects.filter(pk__in=terms.values("body"))


def can_use_workspace(user) -> bool:
    """Kept on the user for the request: the view and the layout's menu both ask. A state asked to
    clear a draft has a workspace for it, whether or not it holds a term of the meeting's body."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_can_use_workspace"):
        user._can_use_workspace = (
            is_secretariat(user) or workspace_bodies(user).exists() or _asked_to_clear(user).exists()
        )
    return user._can_use_workspace


def _asked_to_clear(user):
    """The clearance requests of drafts sent to the user's state."""
    state = represented_state(user)
    if state is None:
        return ClearanceRequest.objects.none()
    return ClearanceRequest.objects.filter(state=state, meeting__status=PublicationStatus.DRAFT)


def workspace_items(user):
    """The items of the user's bodies; a co-chair sees none raised at a draft meeting (drafts are the
    secretariat's until published; a co-chair reads a draft's statement only to clear it)."""
    items = WorkPlanItem.objects.filter(body__in=workspace_bodies(user))
    return items if is_secretariat(user) else items.published()


def workspace_meetings(user):
    """The meetings of the user's bodies whose reports the user may read: published ones for co-chairs."""
    meetings = Meeting.objects.filter(body__in=workspace_bodies(user))
    return meetings if is_secretariat(user) else meetings.published()


def get_item_for_user(user, pk):
    """The item if the user works on its body; 404 otherwise, whether it exists or not."""
    return get_object_or_404(workspace_items(user), pk=pk)


def get_draft_for_clearance(user, slug):
    """(meeting, the user's clearance request) for a draft sent to the user's state; the secretariat
    reads any draft sent for clearance (request None). 404 for anything else, as if it did not exist.

    The request is the permission: it goes to the states that co-chaired the meeting, and one of
    them may hold no term of the meeting's body (a joint meeting, a term since ended)."""
    meeting = get_object_or_404(
        Meeting.objects.filter(status=PublicationStatus.DRAFT, clearances__isnull=False)
        .distinct()
        .select_related("body"),
        slug=slug,
    )
    if is_secretariat(user):
        return meeting, None
    request = _asked_to_clear(user).filter(meeting=meeting).first()
    if request is None:
        raise Http404("No such draft in this workspace.")
    return meeting, request


# Whether the layout's menu shows the Workspace link: worked out at login (and again whenever a
# workspace page checks access), kept in the session, so that other pages ask the database nothing.
WORKSPACE_LINK_KEY = "workplan.workspace_link"


def remember_workspace(request) -> bool:
    has_workspace = can_use_workspace(request.user)
    if request.session.get(WORKSPACE_LINK_KEY) != has_workspace:
        request.session[WORKSPACE_LINK_KEY] = has_workspace
    return has_workspace


def remember_workspace_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.user = user
        remember_workspace(request)


def show_workspace_link(request) -> bool:
    if not request.user.is_authenticated:
        return False
    if WORKSPACE_LINK_KEY not in request.session:
        return remember_workspace(request)
    return request.session[WORKSPACE_LINK_KEY]
