"""What the server's master process does once, after loading the app and before forking its
workers (gunicorn.conf.py, with preload_app).

Every template is compiled and the URL patterns read, so that no worker compiles them again on its
first visits; then everything the master holds is frozen out of the garbage collector's sight.
Otherwise each worker's full collections walked those ~150,000 long-lived objects of Django and
the app again and again: 60-90 ms with the worker's threads stopped, now and then, in the middle
of someone's request (and a page that allocates much, like a first render, paid ~2.5 ms each on
average). Frozen, they are never scanned, and the workers share their memory pages with the master
instead of copying them when the collector touches them.
"""

import gc
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver


def compile_templates() -> int:
    """Compile every HTML template the site's engine can find (into its cached loader); returns
    how many. A template of an installed app that does not compile on its own (one that needs a
    library the project leaves out) is skipped: it would fail at its first use anyway."""
    engine = engines["django"]
    compiled = 0
    for directory in [*engine.dirs, *get_app_template_dirs("templates")]:
        for path in sorted(Path(directory).rglob("*.html")):
            try:
                engine.get_template(path.relative_to(directory).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
            compiled += 1
    return compiled


def prepare_for_fork() -> None:
    compile_templates()
    get_resolver().reverse_dict  # noqa: B018 (reading it fills the resolver's caches)
    gc.collect()
    gc.freeze()
