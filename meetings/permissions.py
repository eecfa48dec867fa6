"""Who may see what on the public pages."""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef

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


def previews_drafts_annotation():
    """has_perm("meetings.change_meeting") for a user row, as a column (granted to the user or to
    one of their groups), so that it is read in the query that loads the user."""
    change_meeting = Permission.objects.filter(content_type__app_label="meetings", codename="change_meeting")
    return Exists(change_meeting.filter(user=OuterRef("pk"))) | Exists(
        change_meeting.filter(group__user=OuterRef("pk"))
    )
