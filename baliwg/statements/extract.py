"""Text out of an uploaded statement: plain text, Word (.docx) or PDF, with limits.

Bad input gets a message a secretariat officer can act on, never a traceback.
"""

import io
import zipfile
from pathlib import PurePath

from core.limits import MAX_UPLOAD_BYTES

ACCEPTED = (".txt", ".docx", ".pdf")


class StatementError(ValueError):
    """A statement that cannot be read; the message says why, for the person who gave it."""


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


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise StatementError("This .docx file could not be opened as a Word document.") from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise StatementError("This PDF could not be read.") from error
    text = "\n".join(pages)
    if not text.strip():
        raise StatementError(
            "This PDF has no text layer (it is probably a scanned image). Run it through text recognition "
            "or paste the text instead."
        )
    return text


def text_from_upload(name: str, data: bytes) -> str:
    """The text of an uploaded .txt, .docx or .pdf statement, or a StatementError saying what is wrong."""
    if not data:
        raise StatementError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise StatementError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; a statement is smaller.")
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise StatementError("This .docx file is not a Word document.")
        text = _docx_text(data)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise StatementError("This .pdf file is not a PDF document.")
        text = _pdf_text(data)
    elif suffix in (".txt", ""):
        text = text_from_bytes(data)
    else:
        raise StatementError(f"Upload a .txt, .docx or .pdf file; {suffix} files are not read.")
    if not text.strip():
        raise StatementError("The file holds no text.")
    return text
