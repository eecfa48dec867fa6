"""Reading an admin form as the browser would send it back: every field's current value."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, object] = {}
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            else:
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [] if "multiple" in attrs else "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def _add(self, name, value):
        current = self.data.get(name)
        if isinstance(current, list):
            current.append(value)
        elif current in (None, ""):
            self.data[name] = value
        else:
            self.data[name] = [current, value]


def form_data(html: str) -> dict:
    """The fields of the page's forms (the empty inline templates, `__prefix__`, left out)."""
    reader = _FormReader()
    reader.feed(html)
    return {k: v for k, v in reader.data.items() if "__prefix__" not in k and k != "csrfmiddlewaretoken"}
