"""Account actions: ending every session of a user, so that a deactivated account is out at once;
and the authentication backend that loads the session's user."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
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
    (one query instead of three on every logged-in page that shows records). The query's SQL is
    built once per process: building it with its two subqueries cost more than running it."""

    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, params = _user_query()
        params = [user_id if param == PLACEHOLDER else param for param in params]
        user = next(iter(get_user_model()._default_manager.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


PLACEHOLDER = 2_147_480_001  # the user id in the SQL built once; the only number among its parameters


@functools.cache
def _user_query() -> tuple[str, tuple]:
    users = get_user_model()._default_manager.annotate(**{PREVIEWS_DRAFTS: previews_drafts_annotation()})
    sql, params = users.filter(pk=PLACEHOLDER).order_by().query.sql_with_params()
    if [param == PLACEHOLDER for param in params].count(True) != 1:
        raise RuntimeError("the user query's SQL has no single place for the user's id")
    return sql, params
