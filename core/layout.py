"""The layout of a statement: headed sections, paragraphs, sentences and list items.

Statements arrive as plain text with hard line breaks in mid-sentence (copied from PDF or Word),
headings on lines of their own, and suggestions listed as 'a)', '(b)', '1.', '-' or '•'.

A number opens a list item only after a lead-in ending in a colon (or inside such a list); otherwise
"1. The meeting ..." is a numbered paragraph, read as a paragraph with its number kept aside. Letters,
roman numerals and bullets always mark list items.
"""

import re
from dataclasses import dataclass, field

LIST_MARK = re.compile(r"^\s*(?:\(?(?P<label>[a-z]|[ivx]{1,4}|\d{1,2})[).]|(?P<bullet>[-•*–▪◦]))\s+(?P<rest>\S.*)$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[A-Z“\"(])")


@dataclass
class ListItem:
    label: str  # "a", "1", or "" for a bullet
    text: str
    lead_in: str  # the sentence that introduced the list


@dataclass
class Section:
    heading: str = ""
    paragraphs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # paragraph index -> its number as written ("1")

    @property
    def sentences(self) -> list[str]:
        return [s for paragraph in self.paragraphs for s in split_sentences(paragraph)]


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()]


CONNECTORS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "under", "with"}


def _is_heading(line: str, previous: str, following: str, *, blank_before: bool, spaced: bool) -> bool:
    """A short capitalised line with no comma and no closing stop, standing between finished lines:
    not a sentence broken across lines. In a text whose paragraphs are spaced by blank lines, a
    heading also has a blank line (or the start of the text) before it."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    if not stripped or not stripped[0].isupper() or stripped[-1] in ".,;:!?" or "," in stripped:
        return False
    # An all-capitals title line may be long ("EIGHTH ANNUAL MEETING OF THE ... NETWORKS").
    limit = 30 if stripped.upper() == stripped else 14
    if len(stripped.split()) > limit or stripped.split()[-1].lower() in CONNECTORS:
        return False
    if stripped.upper() == stripped and previous.strip() and previous.strip().upper() == previous.strip():
        return True  # a title block in capitals, line after line
    if following[:1].islower() or (spaced and not blank_before):
        return False
    return not previous.strip() or previous.strip()[-1] in ".:;!?"


def _mark_kind(mark: re.Match) -> str:
    label = mark.group("label") or ""
    return "number" if label.isdigit() else "bullet" if not label else "letter"


def split_sections(text: str) -> list[Section]:
    sections = [Section()]
    paragraph: list[str] = []
    item: ListItem | None = None
    lead_in = ""  # the last sentence before a list: "Other suggestions ... included:"
    previous = ""
    list_kind = ""  # the marks of the list being read: numbers inside a numbered list are items
    number = ""  # the number of the paragraph being read

    def close():
        nonlocal paragraph, item, lead_in, number
        if paragraph:
            joined = " ".join(paragraph)
            if number:
                sections[-1].numbers[len(sections[-1].paragraphs)] = number
            sections[-1].paragraphs.append(joined)
            lead_in = split_sentences(joined)[-1]
            paragraph, number = [], ""
        if item is not None:
            item.text = " ".join(item.text.split())
            sections[-1].items.append(item)
            item = None

    lines = [raw.strip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    spaced = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a and not b) >= 2
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        blank_before = index == 0 or not lines[index - 1]
        mark = LIST_MARK.match(line)
        kind = _mark_kind(mark) if mark else ""
        numbered = False
        if kind == "number" and list_kind != "number":
            # A colon ending the text before the mark opens a list: 'agreed the following actions:'.
            before = paragraph[-1] if paragraph else lead_in
            numbered = bool(list_kind) or not before.rstrip().endswith(":")
        if not line:
            close()
        elif numbered:
            close()
            list_kind = ""
            number = mark.group("label")
            paragraph.append(mark.group("rest"))
        elif mark:
            close()
            list_kind = kind
            item = ListItem(label=mark.group("label") or "", text=mark.group("rest"), lead_in=lead_in)
        elif item is not None and not (item.text.rstrip().endswith(".") and line[0].isupper()):
            item.text += " " + line
        elif _is_heading(line, previous, following, blank_before=blank_before, spaced=spaced):
            close()
            lead_in, list_kind = "", ""
            sections.append(Section(heading=line.lstrip("#").strip()))
        else:
            if item is not None:
                close()
                list_kind = ""
            paragraph.append(line)
        previous = line or previous
    close()
    return [s for s in sections if s.heading or s.paragraphs or s.items]


def excerpt(text: str, words: int = 80) -> str:
    """Whole sentences from the start of a text, as many as fit in about `words` words (at least
    one): an excerpt that ends on a full stop, never in the middle of a name."""
    chosen, count = [], 0
    for section in split_sections(text):
        for sentence in section.sentences:
            length = len(sentence.split())
            if chosen and count + length > words:
                return " ".join(chosen)
            chosen.append(sentence)
            count += length
    return " ".join(chosen)
