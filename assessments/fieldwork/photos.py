"""Checks of observers' photos: a real JPEG or PNG (by content, not by name), within the size limit."""
PHOTO_MAX_BYTES = 8 * 1024 * 1024
SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
EXTENSIONS = {"image/jpeg": {"jpg", "jpeg"}, "image/png": {"png"}}


class PhotoError(ValueError):
    """The file is not an acceptable photo; the message is in Russian."""


def check_photo(upload) -> tuple[object, str]:
    """Returns (upload, content type) or raises PhotoError."""
    name = upload.name or "файл"
    if upload.size > PHOTO_MAX_BYTES:
        raise PhotoError(f"Файл «{name}» больше {PHOTO_MAX_BYTES // 1048576} МБ.")
    upload.seek(0)
    head = upload.read(8)
    content_type = next((kind for signature, kind in SIGNATURES.items() if head.startswith(signature)), None)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type is None or extension not in EXTENSIONS[content_type]:
        raise PhotoError(f"Файл «{name}»: принимаются только фотографии JPEG или PNG.")
    return upload, content_type
