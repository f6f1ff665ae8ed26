"""Neutralising submitted text: narratives and reasons are untrusted.

Two layers. Before text goes into the Markdown master, ``md_inline`` turns it into one line of
light Markdown: raw HTML is escaped (a ``<`` that opens a tag, an ``&`` that makes an
entity), nothing can start a block (heading,
list, quote, rule, table, footnote, image), a ``|`` cannot split a table cell. After the
Markdown becomes HTML, ``clean_html`` runs ``nh3`` with an allowlist of tags and attributes and
only http, https and mailto links, so a ``javascript:`` link ends up without a target.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import nh3

_LINE_BREAKS = re.compile(r"[^\S ]+")  # newlines and tabs; runs of spaces are harmless mid-line
# At the start of a line these would open a block: lists, rules, numbered lists, link
# definitions. Headings and quotes are handled by escaping "#" and ">" below.
_LEADING_BULLET = re.compile(r"^([-+*])(?=\s)")
_RULE = re.compile(r"^([-*_])(?=(?:\s*\1){2,}\s*$)")
_LEADING_NUMBER = re.compile(r"^(\d+)\.(?=\s)")
_LEADING_LINK_DEFINITION = re.compile(r"^\[(?=[^\]]*\]:)")

# Only where they would make markup: an entity ("&amp;"), a tag or autolink ("<b", "</",
# "<!", "<?") or, at the start, a quote (">"). A plain "<", ">" or "&" in prose ("minder dan
# < 10.000", "wonen & zorg") stays the character itself, so the Markdown holds no entities.
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")

_INLINE_ESCAPES = (
    ("\\", "\\\\"),  # first, so later escapes stay escapes
    ("|", "\\|"),
    ("`", "\\`"),
    ("{", "\\{"),
    ("}", "\\}"),
    ("[^", "\\[^"),
    ("![", "\\!["),
)


def md_inline(text: str) -> str:
    """Untrusted text as one line of Markdown: emphasis and links survive, structure does not."""
    line = _LINE_BREAKS.sub(" ", text).strip()
    for raw, escaped in _INLINE_ESCAPES:
        line = line.replace(raw, escaped)
    line = _TAG_OPEN.sub("&lt;", _ENTITY.sub("&amp;", line))
    if line.startswith(">"):
        line = "\\" + line  # would open a quote
    if line.startswith("#"):
        line = "\\" + line
    line = _LEADING_BULLET.sub(r"\\\1", line)
    line = _RULE.sub(r"\\\1", line)
    line = _LEADING_NUMBER.sub(r"\1\\.", line)
    line = _LEADING_LINK_DEFINITION.sub(r"\\[", line)
    if line.startswith(":"):
        line = "&#58;" + line[1:]  # would open a definition (def_list) after a term line
    return line


ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "sup": {"id"},
    "li": {"id"},
    "th": {"style"},
    "td": {"style"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(fragment: str, image_names: Collection[str] = ()) -> str:
    """Sanitise rendered HTML. Images survive only when their ``src`` is one of ``image_names``
    (the letter's own charts); links only to http(s), mailto or an anchor in the document."""
    allowed_images = set(image_names)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if value in allowed_images else None
        if tag == "a" and attribute == "href":
            scheme = value.split(":", 1)[0].lower() if ":" in value else ""
            return value if value.startswith("#") or scheme in URL_SCHEMES else None
        return value

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 (and so Word) cannot hold. Validation refuses them in
    submissions; this keeps data stored before it did from stopping the letter."""
    return _XML_INVALID.sub("", text)
