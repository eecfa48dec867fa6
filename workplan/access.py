"""Who may work on which items in the workspace.

A co-chair is a user linked to a member state (Representative) while that state holds a current
co-chair term of a body; the secretariat works on every body. Anything outside a user's bodies
answers 404, so a guessed id reveals nothing.
"""

from django.shortcuts import get_object_or_404

from meetings.models import Body, CoChairTerm

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
    return is_secretariat(user) or workspace_bodies(user).exists()


def get_item_for_user(user, pk):
    """The item if the user works on its body; 404 otherwise, whether it exists or not."""
    return get_object_or_404(WorkPlanItem.objects.filter(body__in=workspace_bodies(user)), pk=pk)
