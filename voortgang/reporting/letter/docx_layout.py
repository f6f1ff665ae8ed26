"""Page, styles, fields and package details of the Word edition (see ``docx_render``).

Verdana throughout (theme fonts removed so Word does not swap them back), lintblauw
headings, Dutch as document language, A4 with the lead ministry in the header and
"Pagina X van N" as PAGE/NUMPAGES fields in the footer, and a package with fixed
timestamps so the same letter gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Row
from docx.text.paragraph import Paragraph

from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.view import LetterView

FONT = "Verdana"
LINTBLAUW = RGBColor(0x15, 0x42, 0x73)
GREY = RGBColor(0x53, 0x53, 0x53)


def set_font(element_rpr_owner: object, name: str = FONT) -> None:
    """Set a run/style font on all scripts and drop theme fonts that would override it."""
    rpr = element_rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def apply_styles(doc: DocumentObject) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "nl-NL")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(9)
    set_font(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = Pt(13)
    for name, size, before in (("Heading 1", 11, 18), ("Heading 2", 9.5, 12), ("Heading 3", 9, 9)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = LINTBLAUW
        set_font(style.element)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("Caption", "List Bullet", "List Bullet 2", "List Number", "Table Grid"):
        set_font(doc.styles[name].element)
    caption = doc.styles["Caption"]
    caption.font.size = Pt(8)
    caption.font.color.rgb = GREY
    caption.font.bold = False


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def page_setup(doc: DocumentObject, view: LetterView, version: int) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # room for the bar
    bar = header.add_run("▌ ")
    bar.font.color.rgb = LINTBLAUW
    bar.font.size = Pt(16)
    name = header.add_run(view.lead.name)
    name.font.size = Pt(8.5)
    mark = "Voorlopig concept" if view.ctx.provisional else "Concept"  # on every page
    concept = section.header.add_paragraph(f"{mark}, versie {version}")
    concept.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    concept.runs[0].font.size = Pt(7)
    concept.runs[0].font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Pagina ")
    _field(footer, "PAGE")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(7)


def mark_header_row(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_row_on_one_page(row: _Row) -> None:
    """``w:cantSplit``: a row moves to the next page whole instead of breaking across two."""
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.append(cant_split)


def shade(tc: object, fill: str) -> None:
    tc_pr = tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def set_metadata(doc: DocumentObject, ctx: LetterContext, view: LetterView) -> None:
    props = doc.core_properties
    moment = dt.datetime.combine(ctx.letter_date, dt.time(12, 0))
    props.title = view.subject
    props.subject = ctx.catalogue.programme.title
    props.author = view.lead.name
    props.last_modified_by = view.lead.name
    props.language = "nl-NL"
    props.keywords = f"kenmerk {ctx.kenmerk}"
    mark = "Voorlopig concept" if ctx.provisional else "Concept"
    props.comments = f"{mark}, versie {ctx.version}"
    props.revision = ctx.version
    props.created = moment
    props.modified = moment
    props.last_printed = moment


def stable_zip(data: bytes, day: dt.date) -> bytes:
    """Rewrite the package with fixed timestamps so equal input gives equal bytes."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fresh = zipfile.ZipInfo(info.filename, date_time=stamp)
            fresh.compress_type = zipfile.ZIP_DEFLATED
            fresh.external_attr = 0o644 << 16
            target.writestr(fresh, source.read(info.filename))
    return out.getvalue()
