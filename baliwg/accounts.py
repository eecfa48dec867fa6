"""Accounts: the authentication backend that loads the session's user; ending every session of a
user, so that a deactivated account is out at once; and the accounts the secretariat manages:
inviting a co-chair (who sets a password from a signed link), ending an account, and the limits that
keep an officer from raising anyone's rights.

The signed link is Django's password-reset token: it works once, until the password is set, and
expires after PASSWORD_RESET_TIMEOUT.
"""

import copy
import functools
import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.memory import StampedMemory
from core.stamp import move_stamp, read_stamp
from meetings.permissions import PREVIEWS_DRAFTS, change_meeting_permission_id, previews_drafts_annotation
from workplan.models import Representative
from workplan.roles import COCHAIRS, SECRETARIAT

# The only groups an officer may give: the app's two roles.
ROLE_GROUPS = [SECRETARIAT, COCHAIRS]


def end_sessions(user) -> int:
    """Delete the user's sessions on the server; returns how many there were."""
    engine = importlib.import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            # Through the engine, so that a copy in the cache (cached_db) goes too.
            engine.SessionStore(session.session_key).delete()
            ended += 1
    return ended


class UserBackend(ModelBackend):
    """Django's backend, loading the session's user together with whether they preview drafts
    (one query instead of three on every logged-in page that shows records), and keeping the users
    it loaded in the worker (KEPT_USERS) until any account changes: a logged-in page then needs no
    query for its user at all. The query's SQL is built once per process: building it with its two
    subqueries cost more than running it."""

    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        stamp = read_stamp(ACCOUNTS_STAMP_KEY)  # before the load: a change after it moves the stamp
        kept = KEPT_USERS.get(user_id, stamp)
        user = copy.copy(kept) if kept is not None else None
        if user is None:
            sql, params = _user_query(change_meeting_permission_id())
            params = [user_id if param == PLACEHOLDER else param for param in params]
            user = next(iter(get_user_model()._default_manager.raw(sql, params)), None)
            if user is not None:
                KEPT_USERS.put(user_id, stamp, copy.copy(user))
        return user if user is not None and self.user_can_authenticate(user) else None


# Moved by every save or deletion of a user, group or permission and every change of their links
# (connected in apps.py), so a deactivated account, a new password or a lost role counts at the
# next request in every worker.
ACCOUNTS_STAMP_KEY = "accounts-stamp"


def accounts_changed(**kwargs) -> None:
    move_stamp(ACCOUNTS_STAMP_KEY)


# The users one worker loaded last, each with the accounts stamp it was loaded at and for at most a
# minute (for a change made outside the ORM: raw SQL, a restored backup). Each request gets its own
# copy, so what one request notes on its user never reaches another's.
KEPT_USERS = StampedMemory(limit=1000, max_age=60)


PLACEHOLDER = 2_147_480_001  # the user id in the SQL built once; the only number among its parameters


@functools.lru_cache(maxsize=4)
def _user_query(permission_id: int | None) -> tuple[str, tuple]:
    previews_drafts = previews_drafts_annotation(permission_id)
    users = get_user_model()._default_manager.annotate(**{PREVIEWS_DRAFTS: previews_drafts})
    sql, params = users.filter(pk=PLACEHOLDER).order_by().query.sql_with_params()
    if [param == PLACEHOLDER for param in params].count(True) != 1:
        raise RuntimeError("the user query's SQL has no single place for the user's id")
    return sql, params


def set_password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:reset-confirm", args=[uid, token])


def send_invitation(user, *, by) -> None:
    """E-mail the user a link to set their password (a new invitation voids the old link only
    once a password is set)."""
    context = {"user": user, "link": set_password_link(user), "by": by, "site_url": settings.SITE_URL}
    send_mail(
        "Your account for the Bali Process Working Groups",
        render_to_string("registration/invitation_email.txt", context),
        None,
        [user.email],
    )


@transaction.atomic
def invite_cochair(*, email: str, first_name: str, last_name: str, state, by):
    """Create a co-chair's account for a member state and e-mail them a link to set a password.

    Side effects: a user with no usable password (username = the e-mail address), in the
    Co-chairs group, not staff, linked to the state; an e-mail with the signed link.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError(f"An account for {email} already exists; send it a new invitation from its page.")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name, is_staff=False)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=COCHAIRS))
    Representative.objects.create(user=user, state=state)
    transaction.on_commit(lambda: send_invitation(user, by=by))
    return user


def end_account(user) -> int:
    """Deactivate the account and log it out everywhere; the records it made stay."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return end_sessions(user)
