"""Objects of the bank of test materials for tests, built from the `world` personas."""
from datetime import date, timedelta
import io
import zipfile

from django.utils import timezone

from assessments.models import Procedure, ProcedureKind, ProcedureSchool, Subject
from assessments.kimbank.choices import FileRole, VariantStatus
from assessments.kimbank.models import Variant, VariantFile, VariantTask, VariantUse

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def make_procedure(code="RPR-2026-MA-6", schools=(), day=None, **fields) -> Procedure:
    day = day or date(2026, 4, 15)
    procedure, created = Procedure.objects.get_or_create(code=code, defaults={
        "kind": ProcedureKind.objects.get(code=fields.pop("kind_code", "РПР")),
        "subject": Subject.objects.get(code=fields.pop("subject_code", "MA")),
        "year": day.year, "grade": 6, "date_start": day, "date_end": day, **fields,
    })
    for school in schools:
        ProcedureSchool.objects.get_or_create(procedure=procedure, school=school)
    return procedure


def make_variant(author, *, status=VariantStatus.DRAFT, number="1", tasks=3, with_file=True) -> Variant:
    variant, created = Variant.objects.get_or_create(
        kind=ProcedureKind.objects.get(code="РПР"), subject=Subject.objects.get(code="MA"), grade=6, year=2026,
        number=number, defaults={"status": status, "created_by": author},
    )
    if not created:
        return variant
    variant.authors.add(author)
    for position in range(1, tasks + 1):
        VariantTask.objects.create(variant=variant, position=position, label=str(position), max_score=position,
                                   level="Б", skill=f"Умение {position}", kes_codes="1.1", kt_codes="2.1")
    if with_file:
        add_file(variant, author)
    return variant


def add_file(variant, author, *, role=FileRole.VARIANT, data=PDF_BYTES, for_schools=True) -> VariantFile:
    from django.core.files.base import ContentFile

    item = VariantFile(variant=variant, role=role, file_type="pdf", original_name=f"{role}.pdf", size=len(data),
                       sha256="0" * 64, uploaded_by=author, for_schools=for_schools)
    item.file.save("x", ContentFile(data), save=True)
    return item


def make_use(variant, procedure, *, opens_in=timedelta(hours=-1), lasts=timedelta(hours=4)) -> VariantUse:
    start = timezone.now() + opens_in
    use, _ = VariantUse.objects.get_or_create(variant=variant, procedure=procedure,
                                              defaults={"window_start": start, "window_end": start + lasts})
    return use


def bank(world):
    """An approved variant with a file, used (window open now) by a procedure school_a1 takes part in."""
    author = world.user("methodologist")
    variant = make_variant(author, status=VariantStatus.APPROVED)
    draft = make_variant(author, number="2")
    procedure = make_procedure(schools=[world.school_a1])
    use = make_use(variant, procedure)
    return {"variant": variant, "draft": draft, "file": variant.files.first(), "use": use, "procedure": procedure}
