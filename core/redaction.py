"""A logging filter that keeps personal data and passwords out of every log line.

Database errors quote the offending values (PostgreSQL's "DETAIL: Key (email)=(...)"), and an
exception's message may carry what a form held; both are cut before a line is written. E-mail
addresses, phone and passport numbers are masked wherever they appear.
"""

import logging
import re

PATTERNS = [
    (re.compile(r"DETAIL:.*", re.DOTALL), "DETAIL: [redacted]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # Phone numbers: international (+66 2 123 4567) or three groups of digits (02 123 4567);
    # not a status code and a size (404 4572).
    (re.compile(r"\+\d[\d ()-]{6,}\d|\b\d{2,4}[ -]\d{3,4}[ -]\d{3,4}\b"), "[number]"),
    (re.compile(r"\b[A-Z]{1,2}\d{6,9}\b"), "[document]"),
    (re.compile(r"(password\w*['\"]?\s*[:=]\s*)\S+", re.IGNORECASE), r"\1[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            # Keep the traceback's shape, not the values in the exception's message.
            formatted = logging.Formatter().formatException(record.exc_info)
            record.msg = f"{record.msg}\n{redact(formatted)}"
            record.exc_info = None
            record.exc_text = None
        if hasattr(record, "request"):
            record.request = None
        return True
