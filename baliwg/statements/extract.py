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


def text_from_bytes(data: bytes) -> str:
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
        for paragraph in document.paragraphs:
            text.add(paragraph.text)
        for table in document.tables:
            for row in table.rows:
                text.add(" ".join(cell.text for cell in row.cells))
    except (StatementError, InputTooBig):
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged file
        log.info("A .docx statement could not be read: %s", type(error).__name__)
        raise StatementError("This .docx file could not be opened as a Word document.") from error
    return str(text)


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
