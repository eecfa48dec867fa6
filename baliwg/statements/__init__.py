"""The statement import: a co-chairs' statement (text, .docx or .pdf) in, a reviewed draft meeting out.

One feature, one folder, on the top floor because it writes both meetings and work-plan items:
extract (file to text) -> structure (paragraphs, headings, lists) -> parser (facts, with the
sentence each came from) over dates and resolver (names to the registry) -> the review views
-> importer (records, in one transaction). The command `import_statement` runs the same steps.
"""
