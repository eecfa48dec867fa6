"""The site sends only the Bootstrap rules its templates use (scripts/build_css.mjs, `make css`)."""

import re
import shutil
import subprocess
from pathlib import Path

import bootstrap
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "static" / "css" / "bootstrap.min.css"
# Bootstrap's whole stylesheet, from the Python package the crispy forms pack came with.
FULL = Path(bootstrap.__file__).parent / "static" / "bootstrap" / "css" / "bootstrap.min.css"
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")


def template_classes() -> set[str]:
    classes = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        for value in CLASS_ATTRIBUTE.findall(template.read_text()):
            # alert-{{ tags }} leaves "alert-": a word cut by a variable is not a class name.
            words = TEMPLATE_CODE.sub(" ", value).split()
            classes.update(word for word in words if not word.endswith("-") and "{" not in word)
    return classes


def defines(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![\w-])", css) is not None


def test_every_bootstrap_class_a_template_uses_is_in_the_built_stylesheet():
    full, built = FULL.read_text(), BUILT.read_text()
    used = {name for name in template_classes() if defines(full, name)}
    assert {"container", "nav-link", "badge", "table", "alert"} <= used  # the extraction works
    assert sorted(name for name in used if not defines(built, name)) == []
    for level in ("danger", "info", "success", "warning"):  # alert-{{ message.tags }}
        assert defines(built, f"alert-{level}")
    assert len(built) < len(full) / 3  # and most of Bootstrap is gone


def test_pages_link_the_built_stylesheet(client, db):
    page = client.get("/").content.decode()
    assert "/static/css/bootstrap.min.css" in page and "/static/bootstrap/" not in page


@pytest.mark.skipif(
    not (ROOT / "node_modules" / "purgecss").is_dir() or shutil.which("node") is None,
    reason="npm packages not installed (make css installs them)",
)
def test_the_committed_stylesheet_is_what_the_build_makes(tmp_path):
    fresh = tmp_path / "bootstrap.min.css"
    subprocess.run(["node", "scripts/build_css.mjs", str(fresh)], cwd=ROOT, check=True, capture_output=True)
    assert fresh.read_text() == BUILT.read_text(), "static/css/bootstrap.min.css is out of date: run `make css`"
