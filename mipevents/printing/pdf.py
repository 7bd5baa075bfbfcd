"""PDF from the print templates with WeasyPrint (which needs Pango on the machine). Where Pango or
WeasyPrint is missing, `pdf_unavailable()` says why, the PDF links say so, and the print views work."""
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app


@cache
def _problem() -> str:
    try:
        import weasyprint  # noqa: F401  (loads Pango: an OSError where it is missing)
    except (ImportError, OSError) as exc:
        return f"PDF is not available on this server ({type(exc).__name__}: WeasyPrint needs Pango)."
    return ""


def pdf_unavailable() -> str:
    """Why PDFs cannot be built here, or "" when they can."""
    return _problem()


def html_to_pdf(html: str) -> bytes:
    """The PDF of a print template's HTML; its relative URLs (the bundled fonts, print.css) resolve in
    static/, and nothing else is fetched: no file outside static/, no network."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    static = Path(current_app.static_folder).resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not (path.is_relative_to(static) and path.is_file()):
                    raise ValueError(f"not fetched for a printed document: {url[:80]}")
            return super().fetch(url, headers)

    fetcher = StaticOnly(allowed_protocols=("data", "file"))
    return weasyprint.HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()
