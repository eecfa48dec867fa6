"""The bounds of every input the site accepts, in one place (the README's security section lists them).

Each bound is checked before the costly work it bounds: an archive's entries and uncompressed size
before it is opened, a spreadsheet's rows before any is imported, a PDF's pages as they are read.
"""

import io
import time
import zipfile

# An uploaded file: a statement (.txt, .docx, .pdf) or a spreadsheet (.csv, .xlsx).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A .docx or .xlsx is a zip archive: what it may unpack to, checked before it is opened.
MAX_ARCHIVE_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# A PDF statement: pages read, and the text kept from them.
MAX_PDF_PAGES = 100
# The text of a statement, however it came (paste or file); the parser's own limit.
MAX_STATEMENT_CHARACTERS = 200_000
# Rows of a spreadsheet import (the header not counted).
MAX_SPREADSHEET_ROWS = 2_000
# Seconds a statement's reading and parsing may take before the import gives up with a message.
IMPORT_SECONDS = 20
# A request body an anonymous visitor may send (nothing public takes a form bigger than a login).
MAX_ANONYMOUS_BODY_BYTES = 64 * 1024


class InputTooBig(ValueError):
    """An input past one of the bounds above; the message says which, for the person who gave it."""


def check_archive(data: bytes, *, what: str) -> zipfile.ZipFile:
    """The zip archive in `data`, once its entries and their declared sizes are within bounds.

    zipfile never inflates an entry past its declared size, so the declared sizes bound the work."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InputTooBig(f"This {what} file is damaged or not a {what} file.") from error
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise InputTooBig(f"This {what} file holds {len(entries)} parts; at most {MAX_ARCHIVE_ENTRIES} are read.")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise InputTooBig(
            f"This {what} file unpacks to {unpacked // (1024 * 1024)} MB; at most "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB are read. Save it without images or split it."
        )
    return archive


class Deadline:
    """A time limit for one piece of work, checked between its steps."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise InputTooBig(
                f"Reading this took longer than {self.seconds:g} seconds, so it was stopped and nothing was "
                "saved. Paste the statement's text, or split the file."
            )
