"""Who may see what on the public pages."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_migrate
from django.dispatch import receiver

# Set on the request's user by the site's authentication backend (baliwg/accounts.py), which loads
# it with the user in one query: a logged-in page then needs no query for the user's permissions.
PREVIEWS_DRAFTS = "previews_drafts"


def can_preview_drafts(user) -> bool:
    """Secretariat staff see drafts on the public pages before they publish them; nobody else does."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    known = getattr(user, PREVIEWS_DRAFTS, None)
    if known is not None and not user.is_superuser:
        return bool(known)
    return user.has_perm("meetings.change_meeting")


def previews_drafts_annotation(permission_id: int | None):
    """has_perm("meetings.change_meeting") for a user row, as a column (granted to the user or to
    one of their groups), so that it is read in the query that loads the user. The permission is
    named by its id (change_meeting_permission_id()): joining the permission and content-type
    tables in each user's query made PostgreSQL plan five joins on every logged-in request (1 ms)."""
    user_model = get_user_model()
    granted_to_user = user_model.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"), permission_id=permission_id
    )
    users_groups = user_model.groups.through.objects.filter(user_id=OuterRef(OuterRef("pk"))).values("group_id")
    granted_to_group = Group.permissions.through.objects.filter(group_id__in=users_groups, permission_id=permission_id)
    return Exists(granted_to_user) | Exists(granted_to_group)


@functools.cache
def change_meeting_permission_id() -> int | None:
    """Found once per process (and again after a migrate or flush)."""
    found = Permission.objects.filter(content_type__app_label="meetings", codename="change_meeting").first()
    return found.pk if found else None


@receiver(post_migrate)
def _permissions_remade(**kwargs):
    # migrate and flush (between tests) may make the permission rows anew, with new ids.
    change_meeting_permission_id.cache_clear()
