"""Reading pages as a visitor does: visible text, headings, links."""

import re
from html import unescape
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "div",
    "li",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "br",
    "section",
    "header",
    "footer",
    "nav",
    "ul",
    "ol",
    "dl",
    "title",
    "figcaption",
    "table",
    "caption",
    "summary",
    "main",
}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.h1, self.titles, self.links = [], 0, [], []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.text.append(" ")
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append(" ")
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title and not self.titles:
            self.titles.append(data)
        self.text.append(data)


def read(response):
    parser = _PageParser()
    parser.feed(response.content.decode())
    return parser


def text_of(response) -> str:
    """The page's text with whitespace collapsed, as a reader sees it."""
    return re.sub(r"\s+", " ", unescape("".join(read(response).text)))


class _DangerParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def dangerous_markup(content: str) -> list[str]:
    """Script that would run in a browser: inline scripts, event handlers, javascript: links."""
    parser = _DangerParser()
    parser.feed(content)
    return parser.found


def without_login_return(html: str) -> str:
    """The page without the address its Log in link carries back to the visitor (?next=): the
    address the visitor asked for, echoed to them, and nothing the site holds."""
    return re.sub(r'(href="/accounts/login/)\?next=[^"]*"', r'\1"', html)
