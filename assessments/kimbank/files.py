"""Checking an uploaded material file: its real type from its bytes, not from its name, and its size."""
import io
import zipfile

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = {"pdf": "pdf", "docx": "docx"}


class MaterialFileError(Exception):
    """The file is refused; the message is in Russian and names the file."""


def material_file_type(name: str, data: bytes, *, limit_bytes: int) -> str:
    """'pdf' or 'docx' when the name, the bytes and the size all agree; MaterialFileError otherwise."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in SUFFIXES:
        raise MaterialFileError(f"Файл «{name}»: допускаются только PDF (.pdf) и Word (.docx).")
    if not data:
        raise MaterialFileError(f"Файл «{name}» пуст.")
    if len(data) > limit_bytes:
        raise MaterialFileError(
            f"Файл «{name}» больше допустимого размера ({limit_bytes // (1024 * 1024)} МБ)."
        )
    if suffix == "pdf" and not data.startswith(PDF_MAGIC):
        raise MaterialFileError(f"Файл «{name}» назван .pdf, но не является документом PDF.")
    if suffix == "docx" and not is_word_document(data):
        raise MaterialFileError(f"Файл «{name}» назван .docx, но не является документом Word.")
    return SUFFIXES[suffix]


def is_word_document(data: bytes) -> bool:
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names
