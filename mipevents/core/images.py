"""Re-encoding an uploaded image that has been read and checked: the one way photos are stored."""
import io

from PIL import Image, ImageOps


def as_stored_jpeg(image: Image.Image, box: tuple[int, int]) -> bytes:
    """The image turned upright, flattened on white, shrunk to fit `box` (pixels, aspect kept) and
    saved as a progressive JPEG without its metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()
