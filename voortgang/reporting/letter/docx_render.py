"""The letter as a Word document (python-docx), built from the same sanitised HTML as the web
edition so both say exactly what the Markdown master says.

Accessibility (EN 301 549): real Heading 1/2/3 styles, tables whose first row is a repeated
header row (``w:tblHeader``), alt text on every picture (``docPr/@descr``), document language
nl-NL and a title. Notes come out as a numbered "Noten" list (bijlage 3); the footer carries
"Pagina X van N" as PAGE/NUMPAGES fields. Submitted text is plain text here: a ``<script>``
in a narrative is shown as the characters ``<script>``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from voortgang.reporting.charts import Chart
from voortgang.reporting.letter.chart_set import letter_charts
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.docx_layout import (
    GREY,
    apply_styles,
    keep_row_on_one_page,
    mark_header_row,
    page_setup,
    set_metadata,
    shade,
    stable_zip,
)
from voortgang.reporting.letter.html_render import keep_dates_together, markdown_to_html
from voortgang.reporting.letter.html_tree import Node, parse_fragment
from voortgang.reporting.letter.markdown_render import render_markdown
from voortgang.reporting.letter.view import LetterView

PICTURE_WIDTH = Cm(15)
LINK_SCHEMES = ("http://", "https://", "mailto:")


class _Writer:
    """Walks the HTML tree and writes Word paragraphs, lists, tables and pictures."""

    def __init__(self, doc: DocumentObject, charts: Sequence[Chart]) -> None:
        self.doc = doc
        self.charts = {c.filename: c for c in charts}
        self.paragraphs = 0
        self.signing = False
        self.signatures: list[Paragraph] = []

    # --- inline ------------------------------------------------------------------------------
    def inline(
        self,
        paragraph: Paragraph,
        node: Node,
        *,
        bold: bool = False,
        italic: bool = False,
        sup: bool = False,
        code: bool = False,
    ) -> None:
        after_break = False
        for child in node.children:
            if isinstance(child, str):
                # In HTML a newline in text is a space (python-docx would make it a line
                # break), and the newline after a <br> is no second break.
                text = child.replace("\n", " ")
                if after_break:
                    text = text.lstrip(" ")
                if text:
                    self._run(paragraph.add_run(text), bold, italic, sup, code)
                    after_break = False
                continue
            tag = child.tag
            after_break = tag == "br"
            if tag in ("strong", "b"):
                self.inline(paragraph, child, bold=True, italic=italic, sup=sup, code=code)
            elif tag in ("em", "i"):
                self.inline(paragraph, child, bold=bold, italic=True, sup=sup, code=code)
            elif tag == "sup":
                self.inline(paragraph, child, bold=bold, italic=italic, sup=True, code=code)
            elif tag == "code":
                self.inline(paragraph, child, bold=bold, italic=italic, sup=sup, code=True)
            elif tag == "br":
                paragraph.add_run().add_break()
            elif tag == "a":
                self.link(paragraph, child, bold=bold, italic=italic, sup=sup)
            elif tag == "img":
                continue  # pictures are placed by paragraph()
            else:
                self.inline(paragraph, child, bold=bold, italic=italic, sup=sup, code=code)

    @staticmethod
    def _run(run: Run, bold: bool, italic: bool, sup: bool, code: bool) -> Run:
        run.bold = bold or None
        run.italic = italic or None
        if sup:
            run.font.superscript = True
        if code:
            run.font.name = "Courier New"
        return run

    def link(
        self, paragraph: Paragraph, node: Node, *, bold: bool, italic: bool, sup: bool
    ) -> None:
        if node.has_class("footnote-backref"):
            return
        href = node.attrs.get("href", "")
        if not href.startswith(LINK_SCHEMES):  # anchors, or a link nh3 left without target
            self.inline(paragraph, node, bold=bold, italic=italic, sup=sup)
            return
        r_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), r_id)
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), "154273")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        rpr.append(colour)
        rpr.append(underline)
        run.append(rpr)
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = node.text()
        run.append(text)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)

    # --- blocks ------------------------------------------------------------------------------
    def blocks(self, node: Node, level: int = 0) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self.doc.add_paragraph(child.strip())
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4"):
                self.heading(child, min(int(tag[1]), 3))
            elif tag == "p":
                self.paragraph(child)
            elif tag in ("ul", "ol"):
                self.items(child, ordered=tag == "ol", level=level)
            elif tag == "table":
                self.table(child)
            elif tag == "dl":
                self.definitions(child)
            elif tag == "div" and child.has_class("footnote"):
                self.notes(child)
            elif tag == "hr":
                continue
            else:
                self.blocks(child, level)

    def end_signatures(self) -> None:
        """The signature block ends: its last paragraph need not stay with what follows."""
        if self.signatures:
            self.signatures[-1].paragraph_format.keep_with_next = False
        self.signing = False
        self.signatures = []

    def heading(self, node: Node, level: int) -> None:
        self.end_signatures()
        paragraph = self.doc.add_paragraph(style=f"Heading {level}")
        if level == 1 and node.attrs.get("id", "").startswith("bijlage"):
            paragraph.paragraph_format.page_break_before = True
        self.inline(paragraph, node)

    def paragraph(self, node: Node) -> None:
        images = [c for c in node.elements() if c.tag == "img"]
        if images:
            self.figure(node, images)
            return
        paragraph = self.doc.add_paragraph()
        self.inline(paragraph, node)
        self.paragraphs += 1
        text = node.text().strip()
        if self.paragraphs == 1:  # the return address line
            for run in paragraph.runs:
                run.font.size = Pt(6.5)
                run.font.color.rgb = GREY
        if self.signing:
            paragraph.paragraph_format.space_after = Pt(40)
        if text == "Hoogachtend,":
            self.signing = True
            paragraph.paragraph_format.space_after = Pt(18)
        if self.signing:
            # "Hoogachtend," and every signature stay on one page: each keeps with the next,
            # until end_signatures() releases the last one.
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True
            self.signatures.append(paragraph)

    def figure(self, node: Node, images: list[Node]) -> None:
        for image in images:
            chart = self.charts.get(image.attrs.get("src", ""))
            if chart is None:
                continue
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            # Normal has an exact 13 pt line height, which would cut the picture to one line.
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            run = paragraph.add_run()
            run.add_picture(io.BytesIO(chart.png), width=PICTURE_WIDTH)
            doc_pr = run._r.find(f".//{qn('wp:docPr')}")
            if doc_pr is not None:
                doc_pr.set("descr", image.attrs.get("alt", chart.alt))
                doc_pr.set("title", chart.caption)
        rest = [c for c in node.children if not (isinstance(c, Node) and c.tag in ("img", "br"))]
        while rest and isinstance(rest[0], str) and not rest[0].strip():
            rest.pop(0)  # the line break between picture and caption
        caption = Node("p", children=rest)
        if caption.text().strip():
            paragraph = self.doc.add_paragraph(style="Caption")
            self.inline(paragraph, caption)

    def items(self, node: Node, *, ordered: bool, level: int) -> None:
        style = "List Number" if ordered else ("List Bullet 2" if level else "List Bullet")
        for item in node.elements():
            if item.tag != "li":
                continue
            paragraph = self.doc.add_paragraph(style=style)
            nested: list[Node] = []
            for child in item.children:
                if isinstance(child, Node) and child.tag in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child, Node) and child.tag == "p":
                    self.inline(paragraph, child)
                elif isinstance(child, str) and not child.strip():
                    continue  # the line break around a loose item's <p>, not a line of its own
                else:
                    self.inline(paragraph, Node("span", children=[child]))
            for sub in nested:
                self.items(sub, ordered=sub.tag == "ol", level=level + 1)

    def definitions(self, node: Node) -> None:
        for child in node.elements():
            paragraph = self.doc.add_paragraph()
            if child.tag == "dt":
                paragraph.paragraph_format.space_after = Pt(0)
                self.inline(paragraph, child, bold=True)
                for run in paragraph.runs:
                    run.font.size = Pt(7)
            else:
                paragraph.paragraph_format.space_after = Pt(4)
                self.inline(paragraph, child)

    def table(self, node: Node) -> None:
        self.end_signatures()
        rows: list[tuple[bool, Node]] = []
        for section in node.elements():
            for row in section.elements() if section.tag in ("thead", "tbody") else [section]:
                if row.tag == "tr":
                    rows.append((section.tag == "thead", row))
        if not rows:
            return
        columns = max(len(r.elements()) for _h, r in rows)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        widths = column_widths(rows, columns)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads; Word reads the cells
        # table.rows[i] and table.cell() rebuild the whole grid on every call: take the rows once.
        word_rows = list(table.rows)
        for word_row, (is_header, row) in zip(word_rows, rows, strict=True):
            keep_row_on_one_page(word_row)
            if is_header:
                mark_header_row(word_row)
            cells = [_Cell(tc, table) for tc in word_row._tr.tc_lst]
            for cell, cell_node, width in zip(cells, row.elements(), widths, strict=False):
                cell.width = width
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                if "right" in cell_node.attrs.get("style", ""):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.inline(paragraph, cell_node, bold=is_header)
                for run in paragraph.runs:
                    # The letter keeps "31 december 2026" on one line with no-break spaces;
                    # in a narrow column that one long word would break inside "2026".
                    run.text = run.text.replace("\u00a0", " ")
                    run.font.size = Pt(8)
                    if is_header:
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                if is_header:
                    shade(cell._tc, "154273")
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def notes(self, node: Node) -> None:
        self.end_signatures()
        items = [li for ol in node.elements() if ol.tag == "ol" for li in ol.elements()]
        for number, item in enumerate(items, start=1):
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.8)
            paragraph.paragraph_format.space_after = Pt(3)
            label = item.attrs.get("id", "").partition(":")[2] or str(number)
            paragraph.add_run(f"{label}.\t")
            for child in item.elements():
                self.inline(paragraph, child)
            for run in paragraph.runs:
                run.font.size = Pt(8)


def docx_from_markdown(ctx: LetterContext, text: str, charts: Sequence[Chart]) -> bytes:
    """The Word document for an already rendered Markdown master text."""
    view = LetterView(ctx, charts)
    doc = Document()
    apply_styles(doc)
    page_setup(doc, view, ctx.version)
    fragment = markdown_to_html(text, [c.filename for c in charts])
    tree = parse_fragment(keep_dates_together(fragment))
    writer = _Writer(doc, charts)
    writer.blocks(tree)
    writer.end_signatures()
    set_metadata(doc, ctx, view)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue(), ctx.letter_date)


def render_docx(ctx: LetterContext, charts: Sequence[Chart] | None = None) -> bytes:
    """The letter as DOCX bytes."""
    if charts is None:
        charts = letter_charts(ctx)
    return docx_from_markdown(ctx, render_markdown(ctx, charts), charts)


TEXT_WIDTH_CM = 16.0


def column_widths(rows: list[tuple[bool, Node]], columns: int) -> list[Cm]:
    """Share the text width by how much each column holds: long explanations get room.

    Word otherwise gives every column the same width, which squeezes the "Toelichting";
    no column gets narrower than its longest word (8 pt Verdana: about 0.19 cm a letter).
    Cells break dates between their words (``table``), so "september" is the longest word
    of a date column, not "31 september 2026".
    """
    lengths = [0.0] * columns
    longest_word = [0] * columns
    for _header, row in rows:
        for index, cell in enumerate(row.elements()[:columns]):
            text = cell.text()
            lengths[index] += min(len(text), 400)
            longest_word[index] = max([longest_word[index], *(len(w) for w in text.split())])
    floors = fit_floors(
        [min(0.19 * n + 0.4, TEXT_WIDTH_CM / 2) for n in longest_word], TEXT_WIDTH_CM
    )
    spare = max(TEXT_WIDTH_CM - sum(floors), 0.0)
    total = sum(lengths) or 1.0
    return [
        Cm(floor + spare * length / total) for floor, length in zip(floors, lengths, strict=True)
    ]


def fit_floors(floors: list[float], width: float) -> list[float]:
    """Lower the widest floors to one common cap until they fit ``width`` (narrow ones stay)."""
    if sum(floors) <= width:
        return floors
    low, high = 0.0, max(floors)
    for _ in range(40):  # bisect the cap
        cap = (low + high) / 2
        if sum(min(f, cap) for f in floors) > width:
            high = cap
        else:
            low = cap
    return [min(f, low) for f in floors]
