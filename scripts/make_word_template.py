"""Build meetings/word/template.docx, the template every Word file of the site starts from.

Run once when the house style changes (`.venv/bin/python scripts/make_word_template.py`); the
result is committed, so the site reads a file a secretariat officer can also open and restyle in
Word. A4, 2.5 cm margins, black headings, and the paragraph styles the documents use:
"Numbered Paragraph" (hanging indent for "1."), "Lettered Item" (indented "a)"), "Heading Note".
"""

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parents[1] / "meetings" / "word" / "template.docx"
INK = RGBColor(0x12, 0x35, 0x5B)


def build() -> None:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.25)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before in (("Title", 16, 0), ("Heading 1", 14, 12), ("Heading 2", 12, 12), ("Heading 3", 11, 6)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = "Calibri", Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(6)
        style.paragraph_format.keep_with_next = True
    # The Title style draws a blue rule under itself in python-docx's default: take it away.
    title_ppr = styles["Title"].element.pPr
    if title_ppr is not None:
        for border in title_ppr.findall(docx.oxml.ns.qn("w:pBdr")):
            title_ppr.remove(border)

    forum = styles.add_style("Forum Heading", WD_STYLE_TYPE.PARAGRAPH)
    forum.base_style = normal
    forum.font.size, forum.font.bold, forum.font.color.rgb = Pt(10), True, INK
    forum.font.all_caps = True
    forum.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    forum.paragraph_format.space_after = Pt(2)

    numbered = styles.add_style("Numbered Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = Cm(1)
    numbered.paragraph_format.first_line_indent = Cm(-1)
    numbered.paragraph_format.tab_stops.add_tab_stop(Cm(1))

    lettered = styles.add_style("Lettered Item", WD_STYLE_TYPE.PARAGRAPH)
    lettered.base_style = normal
    lettered.paragraph_format.left_indent = Cm(2)
    lettered.paragraph_format.first_line_indent = Cm(-1)
    lettered.paragraph_format.tab_stops.add_tab_stop(Cm(2))

    note = styles.add_style("Running Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size, note.font.color.rgb = Pt(8.5), RGBColor(0x49, 0x50, 0x57)
    note.paragraph_format.space_after = Pt(0)

    document.core_properties.author = "Bali Process Regional Support Office"
    document.core_properties.title = ""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(TARGET)


if __name__ == "__main__":
    build()
    print(f"wrote {TARGET}")
