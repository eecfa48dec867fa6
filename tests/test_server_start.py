"""What the server's master does before forking its workers (baliwg/warmup.py), and the addresses
the pages link to, reversed once per view (core/addresses.py)."""

import gc
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from baliwg.warmup import compile_templates, prepare_for_fork

from .factories import MeetingFactory, OrganisationFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_the_master_compiles_every_template_of_the_site():
    """A template that does not compile would fail here, in CI, not at a visitor's first request."""
    project = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
    assert compile_templates() >= len(project) > 50
    cached = engines["django"].engine.template_loaders[0].get_template_cache  # the cached loader's
    assert all(hasattr(cached.get(name), "render") for name in project), [n for n in project if n not in cached]


def test_the_master_freezes_what_it_holds_before_forking():
    try:
        prepare_for_fork()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/", "/wg/"])
def test_a_records_address_is_what_reverse_gives_under_any_prefix(prefix):
    meeting, organisation = MeetingFactory(), OrganisationFactory()
    set_script_prefix(prefix)
    try:
        assert meeting.get_absolute_url() == reverse("meetings:detail", kwargs={"slug": meeting.slug})
        assert meeting.get_absolute_url().startswith(f"{prefix}meetings/")
        assert organisation.get_absolute_url() == reverse("meetings:organisation", kwargs={"slug": organisation.slug})
    finally:
        set_script_prefix("/")
