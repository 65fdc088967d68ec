import os
import shutil
import subprocess

import pytest

# In CI (RSOKO_REQUIRE_SERVICES=1) a missing tool fails these tests instead of skipping them.
REQUIRED = bool(os.environ.get("RSOKO_REQUIRE_SERVICES"))
needs_poppler = pytest.mark.skipif(not REQUIRED and not shutil.which("pdftotext"),
                                   reason="poppler-utils (pdftotext) не установлен")
needs_node = pytest.mark.skipif(not REQUIRED and not shutil.which("node"), reason="Node.js не установлен")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    """pdffonts' table: one row per font, the «emb» column is the third from the right of type/encoding."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_raster_images(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines()[2:])
