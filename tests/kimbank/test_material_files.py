"""Material files: the real type comes from the bytes, sizes are limited, names on disk are not guessable,
and files are served only through the checked views (never as public media)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.kimbank.files import MaterialFileError, material_file_type
from assessments.kimbank.models import VariantFile
from tests.kimbank.factories import PDF_BYTES, docx_bytes, make_variant

LIMIT = 1024 * 1024


def test_pdf_and_docx_pass_by_their_bytes():
    assert material_file_type("Вариант 1.PDF", PDF_BYTES, limit_bytes=LIMIT) == "pdf"
    assert material_file_type("Критерии.docx", docx_bytes(), limit_bytes=LIMIT) == "docx"


@pytest.mark.parametrize("name, data, message", [
    ("вариант.pdf", b"<html>not a pdf</html>", "не является документом PDF"),
    ("вариант.docx", PDF_BYTES, "не является документом Word"),
    ("вариант.docx", b"PK\x03\x04 broken zip", "не является документом Word"),
    ("вариант.exe", PDF_BYTES, "только PDF"),
    ("вариант", PDF_BYTES, "только PDF"),
    ("вариант.pdf", b"", "пуст"),
])
def test_wrong_files_are_refused_with_a_russian_message(name, data, message):
    with pytest.raises(MaterialFileError, match=message):
        material_file_type(name, data, limit_bytes=LIMIT)


def test_a_zip_that_is_not_a_word_document_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(MaterialFileError, match="Word"):
        material_file_type("book.docx", buffer.getvalue(), limit_bytes=LIMIT)


def test_oversize_files_are_refused():
    with pytest.raises(MaterialFileError, match="больше допустимого"):
        material_file_type("big.pdf", PDF_BYTES + b"0" * LIMIT, limit_bytes=LIMIT)


def test_upload_page_stores_under_a_random_name_and_refuses_a_fake_pdf(world, client_for):
    variant = make_variant(world.user("methodologist"), with_file=False)
    client = client_for("methodologist")
    fake = SimpleUploadedFile("вариант.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    response = client.post(f"/kim/{variant.pk}/files/", {"role": "variant", "file": fake}, follow=True)
    assert "не является документом PDF" in response.content.decode()
    assert not VariantFile.objects.exists()

    real = SimpleUploadedFile("вариант.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(f"/kim/{variant.pk}/files/", {"role": "variant", "file": real, "for_schools": "on"})
    item = VariantFile.objects.get()
    assert item.original_name == "вариант.pdf" and item.file_type == "pdf" and item.size == len(PDF_BYTES)
    stored_name = item.file.name.rsplit("/", 1)[-1]
    assert stored_name.startswith("upload") is False and len(stored_name) >= 30
    assert "вариант" not in item.file.name


def test_media_url_does_not_serve_bank_files(world, client_for):
    variant = make_variant(world.user("methodologist"))
    item = variant.files.get()
    response = client_for("methodologist").get(f"/media/{item.file.name}")
    assert response.status_code == 404


def test_staff_download_goes_through_the_scoped_view(world, client_for):
    variant = make_variant(world.user("methodologist"))  # a draft: the centre does not see it
    item = variant.files.get()
    assert client_for("methodologist").get(f"/kim/{variant.pk}/files/{item.pk}/").status_code == 200
    assert client_for("centre").get(f"/kim/{variant.pk}/files/{item.pk}/").status_code == 404
