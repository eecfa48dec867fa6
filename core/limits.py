"""The bounds of every input the site accepts, in one place (the README's security section lists them)."""

# An uploaded file: a statement (.txt, .docx, .pdf) or a spreadsheet (.csv, .xlsx).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
