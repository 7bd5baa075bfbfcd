"""What an uploaded file is, by its bytes (never by its name or the browser's word): the listed
document types (PDF, slides, office documents) kept as they are, photos re-encoded with Pillow.
SVG, HTML and anything unlisted is refused; names are made safe for a Content-Disposition."""
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from mipevents.core.images import as_stored_jpeg

MAX_PIXELS = 40_000_000
PHOTO_BOX = (1600, 1600)
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}

# Office Open XML: the part every such file of this kind holds.
OOXML = {"ppt/presentation.xml": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
         "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
         "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
# OpenDocument: the first entry, "mimetype", names the kind.
ODF = {"application/vnd.oasis.opendocument.presentation": "odp",
       "application/vnd.oasis.opendocument.text": "odt",
       "application/vnd.oasis.opendocument.spreadsheet": "ods"}
ACCEPTED_WORDS = "a PDF, PowerPoint, Word, Excel or OpenDocument file"


class UploadProblem(ValueError):
    """The file is not one we keep; the message says what to upload instead."""


@dataclass
class Upload:
    data: bytes
    content_type: str
    extension: str


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _zip_kind(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, kind in OOXML.items():
                    if part in names:
                        return kind
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF:
                    return ODF[mimetype], mimetype
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
        return None
    return None


def document(data: bytes, max_bytes: int) -> Upload:
    """Slides or a document, checked by its magic bytes and kept byte for byte."""
    if not data:
        raise UploadProblem("The file is empty.")
    if len(data) > max_bytes:
        raise UploadProblem(f"The file is too large: at most {_size(max_bytes)}.")
    if data.startswith(b"%PDF-"):
        return Upload(data, "application/pdf", "pdf")
    if data.startswith(b"PK\x03\x04") and (kind := _zip_kind(data)) is not None:
        return Upload(data, kind[1], kind[0])
    raise UploadProblem(f"This file is not {ACCEPTED_WORDS}.")


def photo(data: bytes, max_bytes: int) -> Upload:
    """A JPEG, PNG or WebP photo, re-encoded as JPEG: upright, on white, at most PHOTO_BOX, no metadata."""
    if not data:
        raise UploadProblem("The file is empty.")
    if len(data) > max_bytes:
        raise UploadProblem(f"The photo is too large: at most {_size(max_bytes)}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in IMAGE_FORMATS:
                raise UploadProblem("Upload a JPEG, PNG or WebP photo.")
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadProblem("The photo has too many pixels; use one under 40 megapixels.")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UploadProblem:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise UploadProblem("This file is not a photo we can read. Upload a JPEG, PNG or WebP.") from None
    return Upload(as_stored_jpeg(image, PHOTO_BOX), "image/jpeg", "jpg")


def safe_filename(title: str, extension: str) -> str:
    """A download name made of the title's ASCII letters, digits and dashes, with our own extension."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:80] or "file"
    return f"{stem}.{extension}"
