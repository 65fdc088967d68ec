"""Demo bank of test materials: variants of a РПР and an МПР with small generated PDF files, one approved
and used by a РПР procedure. Idempotent: a second run finds everything in place and changes nothing."""
from datetime import timedelta
import hashlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessments.models import Procedure, ProcedureKind, ProcedureSchool, Subject
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import FileRole, VariantStatus
from .models import Variant, VariantFile, VariantTask, VariantUse
from .services import default_window

TASKS = [  # label, max, level, skill, КЭС, КТ
    ("1", 1, "Б", "Выполнять арифметические действия с натуральными числами", "1.1", "1.1"),
    ("2", 1, "Б", "Выполнять действия с обыкновенными дробями", "1.3", "1.2"),
    ("3", 1, "Б", "Решать текстовые задачи на части", "3.1", "2.1"),
    ("4", 2, "Б", "Читать информацию, представленную в таблицах и на диаграммах", "6.1", "5.1"),
    ("5", 1, "Б", "Вычислять площадь и периметр фигур", "5.2", "4.3"),
    ("6.1", 1, "П", "Решать задачи на движение", "3.2", "2.2"),
    ("6.2", 2, "П", "Решать задачи на движение с обоснованием", "3.2", "2.3"),
    ("7", 2, "В", "Решать логические задачи", "7.1", "3.4"),
]
VARIANTS = [  # kind, subject, grade, number, status
    ("РПР", "MA", 6, "1", VariantStatus.APPROVED),
    ("РПР", "MA", 6, "2", VariantStatus.SUBMITTED),
    ("МПР", "RU", 5, "1", VariantStatus.DRAFT),
]


def render_pdf(title: str, lines: list[str]) -> bytes:
    import logging

    from weasyprint import HTML  # imported here: only the demo renders PDFs

    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    items = "".join(f"<li>{line}</li>" for line in lines)
    html = (f"<html lang='ru'><head><meta charset='utf-8'><style>body{{font-family:'DejaVu Sans';font-size:11pt}}"
            f"h1{{font-size:14pt}}</style></head><body><h1>{title}</h1><ol>{items}</ol></body></html>")
    return HTML(string=html).write_pdf()


def demo_procedure(year: int, schools) -> Procedure:
    """The current year's РПР in mathematics, grade 6, if there is one; otherwise a new one a week ahead."""
    existing = Procedure.objects.filter(kind__code="РПР", year=year, subject__code="MA").order_by("id").first()
    if existing:
        return existing
    start = timezone.localdate() + timedelta(days=7)
    procedure = Procedure.objects.create(
        code=f"RPR-{year}-MA-6", kind=ProcedureKind.objects.get(code="РПР"), year=year,
        subject=Subject.objects.get(code="MA"), grade=6, title=f"РПР-{year}: математика, 6 класс",
        date_start=start, date_end=start, organizer=Organization.objects.filter(kind=OrgKind.ASSESSMENT_CENTRE).first(),
    )
    ProcedureSchool.objects.bulk_create(ProcedureSchool(procedure=procedure, school=s) for s in schools)
    return procedure


def demo_variant(kind, subject, grade, number, status, year, author) -> Variant:
    variant, created = Variant.objects.get_or_create(
        kind=ProcedureKind.objects.get(code=kind), subject=Subject.objects.get(code=subject), grade=grade,
        year=year, number=number, defaults={"status": status, "created_by": author},
    )
    if not created:
        return variant
    variant.authors.add(author)
    VariantTask.objects.bulk_create(
        VariantTask(variant=variant, position=i, label=label, max_score=top, level=level, skill=skill,
                    kes_codes=kes, kt_codes=kt)
        for i, (label, top, level, skill, kes, kt) in enumerate(TASKS, 1)
    )
    for role, heading in ((FileRole.VARIANT, "Текст варианта"), (FileRole.CRITERIA, "Критерии оценивания")):
        data = render_pdf(f"{variant}. {heading}", [f"Задание {task[0]}: {task[3]}." for task in TASKS])
        item = VariantFile(variant=variant, role=role, file_type="pdf", original_name=f"{kind}-{year}-{subject}-{grade}-в{number}-{role}.pdf",
                           size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by=author,
                           for_schools=role == FileRole.VARIANT)
        item.file.save("demo", ContentFile(data), save=True)
    return variant


@transaction.atomic
def build(stdout) -> None:
    year = timezone.localdate().year
    author = get_user_model().objects.filter(memberships__role="methodologist").order_by("id").first()
    schools = list(Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("code")[:6])
    if author is None or not schools:
        stdout.write("  Банк КИМ: нет методиста или школ в реестре — пропущено.")
        return
    variants = [demo_variant(*spec, year, author) for spec in VARIANTS]
    procedure = demo_procedure(year, schools)
    start, end = default_window(procedure)
    if start is None:  # an existing procedure without dates: a window a week ahead keeps the demo whole
        start = timezone.now() + timedelta(days=7)
        end = start + timedelta(hours=6)
    VariantUse.objects.get_or_create(variant=variants[0], procedure=procedure,
                                     defaults={"window_start": start, "window_end": end, "created_by": author})
    stdout.write(f"  Банк КИМ: вариантов {Variant.objects.count()}, процедура «{procedure.name}» "
                 f"использует вариант {variants[0].number}.")
