"""Fixed personas shared by the tests: the secretariat officer, a co-chair, a stranger."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from zeal.constants import initialize_app_registry
from zeal.patch import patch as patch_for_zeal

from workplan.roles import COCHAIRS, SECRETARIAT

from .factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests log in with known passwords; hashing each with the production PBKDF2 costs half a second
    per user made. What a password unlocks is the same with a fast hasher."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def secretariat_user(db):
    user = UserFactory(username="sam_secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def cochair_user(db):
    """A co-chair: no staff access, the workspace is their door."""
    user = UserFactory(username="cora_cochair")
    user.groups.add(Group.objects.get(name=COCHAIRS))
    return user


@pytest.fixture
def plain_user(db):
    return UserFactory(username="pat_nobody")


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    """The demo data as `make run` loads it."""
    load_demo()


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    """Files the app writes (built downloads, spreadsheet previews) go to the test's own folder."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages or login attempts from another test."""
    cache.clear()
    yield
    cache.clear()


# django-zeal watches every test for N+1 queries: a relation loaded row by row fails the test.
initialize_app_registry()
patch_for_zeal()


@pytest.fixture(autouse=True)
def no_n_plus_one(settings):
    """Every page the tests read runs under zeal: an N+1 in a view or template is an error.
    (The tests' own loops over relations are not the app's and are not watched.)"""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.zeal_reads.zeal_for_reads"]
