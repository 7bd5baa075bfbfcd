"""Markdown written by people (write-ups, bios) as safe HTML: markdown-it-py with raw HTML off, then
nh3 keeps only the tags and attributes listed here; links only http, https and mailto, and images
only from this site (a relative path), so a page never loads anything from another host."""
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {"p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
        "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
              "ol": {"start"}}
LINK_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _same_site_image(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: an image's src must be a path on this site (no scheme, no host)."""
    if element == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else None
    return value


def render(text: str) -> Markup:
    """`text` (Markdown) as HTML safe to put in a page. A "# Heading" becomes an h2 (the page has the h1)."""
    html = _parser.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=LINK_SCHEMES,
                        attribute_filter=_same_site_image, link_rel="nofollow noopener noreferrer",
                        strip_comments=True)
    return Markup(cleaned)  # noqa: S704 (cleaned by nh3 just above: only the listed tags and attributes)
