"""Account actions: ending every session of a user, so that a deactivated account is out at once;
and the authentication backend that loads the session's user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.utils import timezone

from meetings.permissions import PREVIEWS_DRAFTS, previews_drafts_annotation


def end_sessions(user) -> int:
    """Delete the user's sessions on the server; returns how many there were."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


class UserBackend(ModelBackend):
    """Django's backend, loading the session's user together with whether they preview drafts
    (one query instead of three on every logged-in page that shows records)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(**{PREVIEWS_DRAFTS: previews_drafts_annotation()})
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
