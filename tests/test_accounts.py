"""Accounts: the secretariat invites and ends co-chair accounts, and can raise nobody's rights."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from workplan.roles import COCHAIRS, SECRETARIAT

from . import factories
from .admin_forms import form_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/password/set/\S+/", message.body).group(0)


def logs_in(client, username, password) -> bool:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def test_an_officer_invites_a_cochair_who_sets_a_password_and_lands_in_the_workspace(
    client, secretariat_user, django_capture_on_commit_callbacks
):
    fiji = factories.MemberStateFactory(name="Fiji", iso_code="FJ")
    factories.CoChairTermFactory(state=fiji, body=factories.BodyFactory(name="Working Group on Disruptions"))
    client.force_login(secretariat_user)
    assert reverse("admin:auth_user_invite") in client.get(reverse("admin:auth_user_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_invite"),
            {"email": "Mere.Tui@gov.example.fj", "first_name": "Mere", "last_name": "Tui", "state": fiji.pk},
            follow=True,
        )
    assert "Invited Mere.Tui@gov.example.fj" in response.content.decode()
    invited = User.objects.get(email="Mere.Tui@gov.example.fj")
    assert not invited.is_staff and not invited.is_superuser and not invited.has_usable_password()
    assert invited.representative.state == fiji
    assert list(invited.groups.values_list("name", flat=True)) == [COCHAIRS]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Mere.Tui@gov.example.fj"]

    client.logout()
    link = link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + link, follow=True)
    assert "Set your password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase-42", "new_password2": "a-long-new-passphrase-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("workplan:workspace")
    assert "Working Group on Disruptions" in response.content.decode()
    # The link works once.
    assert "This link has been used or has expired" in client.get("/" + link, follow=True).content.decode()
    client.logout()
    assert logs_in(client, "Mere.Tui@gov.example.fj", "a-long-new-passphrase-42")


def test_the_officer_cannot_escalate_anyones_rights_even_with_a_forged_post(client, secretariat_user):
    admin_user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    other_group = Group.objects.create(name="Auditors")
    cochair = factories.UserFactory(username="cochair")
    cochair.groups.add(Group.objects.get(name=COCHAIRS))
    delete_users = Permission.objects.get(codename="delete_user")
    client.force_login(secretariat_user)

    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "cochair" in listing and "root" not in listing
    assert client.get(reverse("admin:auth_user_change", args=[admin_user.pk])).status_code == 302  # not found
    assert client.get(reverse("admin:auth_user_password_change", args=[admin_user.pk])).status_code == 404

    for target in (secretariat_user, cochair):
        url = reverse("admin:auth_user_change", args=[target.pk])
        page = client.get(url).content.decode()
        assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
        assert 'name="is_staff"' not in page and "Auditors" not in page
        data = form_data(page)
        data.update(is_superuser="on", is_staff="on", user_permissions=[delete_users.pk])
        client.post(url, data)  # forged fields, ignored
        data["groups"] = [other_group.pk]
        response = client.post(url, data)  # a group beyond the two roles, refused
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()

    for target in (secretariat_user, cochair):
        target.refresh_from_db()
        assert not target.is_superuser and not target.user_permissions.exists()
        assert not target.groups.filter(name="Auditors").exists()
    assert not cochair.is_staff, "staff follows the Secretariat role only"
    assert secretariat_user.is_staff and not secretariat_user.has_perm("auth.delete_user")
    assert not secretariat_user.has_perm("auth.change_group")


def test_the_officer_ends_an_account_and_it_can_no_longer_log_in(client, secretariat_user):
    cochair = factories.UserFactory(username="leaving")
    client.force_login(secretariat_user)
    client.post(reverse("admin:auth_user_changelist"), {"action": "end_accounts", "_selected_action": [cochair.pk]})
    cochair.refresh_from_db()
    assert not cochair.is_active
    client.logout()
    assert not logs_in(client, "leaving", "correct-horse-battery")


def test_anyone_resets_a_forgotten_password_by_email(client):
    factories.UserFactory(username="forgetful", email="forgetful@example.org")
    assert "Forgotten your password?" in client.get(reverse("accounts:login")).content.decode()
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).content.decode()
    client.post(reverse("accounts:reset"), {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1 and "/accounts/password/set/" in mail.outbox[0].body


def test_create_secretariat_makes_the_first_officer_without_superuser_rights(monkeypatch):
    out = io.StringIO()
    call_command("check_accounts", stdout=out)
    assert "create_secretariat" in out.getvalue()
    monkeypatch.setenv("SECRETARIAT_PASSWORD", "a-long-officer-passphrase-7")
    call_command("create_secretariat", "--username", "first", "--email", "first@example.org", "--no-input", stdout=out)
    officer = User.objects.get(username="first")
    assert officer.is_staff and not officer.is_superuser
    assert officer.groups.filter(name=SECRETARIAT).exists() and officer.has_perm("auth.add_user")
    out = io.StringIO()
    call_command("check_accounts", stdout=out)
    assert out.getvalue() == ""


def test_an_officer_changes_the_password_inside_the_admin_and_is_sent_back_to_it(client, secretariat_user):
    secretariat_user.set_password("old-long-passphrase-1")
    secretariat_user.save()
    client.force_login(secretariat_user)
    form = client.get(reverse("admin:password_change"))
    assert reverse("admin:index") in form.content.decode()  # the admin's breadcrumbs, not the public layout
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "old-long-passphrase-1",
            "new_password1": "another-long-passphrase-9",
            "new_password2": "another-long-passphrase-9",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Your password was changed." in page
    assert "Back to the workspace" not in page
    assert reverse("admin:index") in page
    secretariat_user.refresh_from_db()
    assert secretariat_user.check_password("another-long-passphrase-9")


def login_link(page) -> str:
    return (
        re.search(r'<a class="nav-link" href="([^"]+)"[^>]*>Log in</a>', page.content.decode())
        .group(1)
        .replace("&amp;", "&")
    )


def test_log_in_from_a_page_returns_to_that_page_and_from_the_home_page_to_the_workspace(client, cochair_user):
    """A delegate reading the board with a filter logs in to see it as a co-chair: back on the same
    view afterwards, not sent to the workspace and left to find it again."""
    board = reverse("workplan:board") + "?status=ongoing&body=1"
    link = login_link(client.get(board))
    assert link == reverse("accounts:login") + "?next=/workplan/%3Fstatus%3Dongoing%26body%3D1"
    response = client.post(link, {"username": cochair_user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == board

    client.logout()
    assert login_link(client.get(reverse("site:home"))) == reverse("accounts:login")
    response = client.post(
        reverse("accounts:login"), {"username": cochair_user.username, "password": "correct-horse-battery"}
    )
    assert response.url == reverse("workplan:workspace")
