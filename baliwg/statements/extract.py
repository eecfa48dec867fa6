"""Text out of an uploaded statement: plain text, Word (.docx) or PDF, with limits.

Bad input gets a message a secretariat officer can act on, never a traceback. The work is bounded
before it starts (core/limits.py): a .docx's parts and unpacked size are checked before it is
opened, a PDF's pages are counted before any is read, the text kept stops at the statement limit,
and a deadline is checked between paragraphs, table rows and pages.
"""

import io
import logging
from pathlib import PurePath

from core.limits import (
    IMPORT_SECONDS,
    MAX_PDF_PAGES,
    MAX_STATEMENT_CHARACTERS,
    MAX_UPLOAD_BYTES,
    Deadline,
    InputTooBig,
    check_archive,
)

log = logging.getLogger(__name__)

ACCEPTED = (".txt", ".docx", ".pdf")


class StatementError(ValueError):
    """A statement that cannot be read; the message says why, for the person who gave it."""


TOO_LONG = (
    f"The statement's text is longer than {MAX_STATEMENT_CHARACTERS:,} characters; a co-chairs' statement is "
    "shorter. Paste the statement itself."
)


class _Text:
    """Lines kept up to the statement limit, with the deadline checked as they come."""

    def __init__(self, deadline: Deadline):
        self.lines, self.size, self.deadline = [], 0, deadline

    def add(self, line: str) -> None:
        self.deadline.check()
        self.size += len(line) + 1
        if self.size > MAX_STATEMENT_CHARACTERS:
            raise StatementError(TOO_LONG)
        self.lines.append(line)

    def __str__(self) -> str:
        return "\n".join(self.lines)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:4096]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _utf16(data: bytes) -> str | None:
    """UTF-16 text (Word's "Unicode" .txt): with a byte-order mark, or without one when every other
    byte of Latin text is zero."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 2 * 0.9:
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 2 * 0.9:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def text_from_bytes(data: bytes) -> str:
    if (text := _utf16(data)) is not None:
        return text
    if _looks_binary(data):
        raise StatementError("This file is not plain text. Upload a .txt, .docx or .pdf file, or paste the text.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError("The text's characters could not be read; save it as UTF-8 and try again.")


def _docx_text(data: bytes, deadline: Deadline) -> str:
    import docx

    try:
        check_archive(data, what=".docx")
    except InputTooBig as error:
        raise StatementError(str(error)) from error
    text = _Text(deadline)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        for paragraph in document.paragraphs:
            text.add(numbering.label(paragraph) + paragraph.text)
        for table in document.tables:
            for row in table.rows:
                text.add(" ".join(cell.text for cell in row.cells))
    except (StatementError, InputTooBig):
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged file
        log.info("A .docx statement could not be read: %s", type(error).__name__)
        raise StatementError("This .docx file could not be opened as a Word document.") from error
    return str(text)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORMATS = {
    "decimal": lambda n: f"{n}.",
    "lowerLetter": lambda n: f"{chr(96 + (n - 1) % 26 + 1)})",
    "upperLetter": lambda n: f"{chr(64 + (n - 1) % 26 + 1)})",
    "lowerRoman": lambda n: f"({_roman(n)})",
    "upperRoman": lambda n: f"({_roman(n).upper()})",
    "bullet": lambda n: "•",
}


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Numbering:
    """Word's automatic numbering (a paragraph's numPr, or its style's), written out as the marks a
    reader sees ('1. ', 'a) ', '• '), so that numbered paragraphs and lists keep their numbers."""

    def __init__(self, document):
        self.formats: dict[tuple, str] = {}
        self.counters: dict[tuple, int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for level in node.iter(f"{W}lvl"):
                fmt = level.find(f"{W}numFmt")
                levels[level.get(f"{W}ilvl")] = fmt.get(f"{W}val") if fmt is not None else "decimal"
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            for ilvl, fmt in abstract.get(ref.get(f"{W}val") if ref is not None else None, {}).items():
                self.formats[(num.get(f"{W}numId"), ilvl)] = fmt

    def label(self, paragraph) -> str:
        num_pr = _num_pr(paragraph._p) or _num_pr(getattr(paragraph.style, "element", None))
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{W}numId")
        ilvl = num_pr.find(f"{W}ilvl")
        key = (num_id.get(f"{W}val") if num_id is not None else None, ilvl.get(f"{W}val") if ilvl is not None else "0")
        if key[0] in (None, "0"):
            return ""
        count = self.counters[key] = self.counters.get(key, 0) + 1
        # A deeper level restarts when its parent moves on.
        for other in [k for k in self.counters if k[0] == key[0] and int(k[1]) > int(key[1])]:
            del self.counters[other]
        fmt = self.formats.get(key, "decimal")
        return FORMATS.get(fmt, FORMATS["decimal"])(count) + " "


def _num_pr(element):
    if element is None:
        return None
    p_pr = element.find(f"{W}pPr")
    return p_pr.find(f"{W}numPr") if p_pr is not None else None


def _pdf_text(data: bytes, deadline: Deadline) -> str:
    from pypdf import PdfReader

    text = _Text(deadline)
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise StatementError(
                f"This PDF has {len(reader.pages)} pages; at most {MAX_PDF_PAGES} are read. "
                "Upload the statement itself, or paste its text."
            )
        for page in reader.pages:
            deadline.check()
            text.add(page.extract_text() or "")
    except (StatementError, InputTooBig):
        raise
    except Exception as error:  # pypdf raises many kinds (and recursion errors) on a damaged file
        log.info("A PDF statement could not be read: %s", type(error).__name__)
        raise StatementError("This PDF could not be read.") from error
    text = str(text)
    if not text.strip():
        raise StatementError(
            "This PDF has no text layer (it is probably a scanned image). Run it through text recognition "
            "or paste the text instead."
        )
    return text


def text_from_upload(name: str, data: bytes, deadline: Deadline | None = None) -> str:
    """The text of an uploaded .txt, .docx or .pdf statement, or a StatementError saying what is wrong
    (InputTooBig, a kind of it, when the deadline passes)."""
    deadline = deadline or Deadline(IMPORT_SECONDS)
    if not data:
        raise StatementError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise StatementError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; a statement is smaller.")
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise StatementError("This .docx file is not a Word document.")
        text = _docx_text(data, deadline)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise StatementError("This .pdf file is not a PDF document.")
        text = _pdf_text(data, deadline)
    elif suffix in (".txt", ""):
        text = text_from_bytes(data)
    else:
        raise StatementError(f"Upload a .txt, .docx or .pdf file; {suffix} files are not read.")
    if not text.strip():
        raise StatementError("The file holds no text.")
    if len(text) > MAX_STATEMENT_CHARACTERS:
        raise StatementError(TOO_LONG)
    return text
