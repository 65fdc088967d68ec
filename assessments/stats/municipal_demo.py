"""The demo МОУО's own municipal procedure (МПР) with results: its coordinator fills the portal's template for the
schools of the municipality and loads it through the ordinary import, then the procedure's analytics are computed.

Only the procedure's own figures are recomputed, never the year's: a МПР stays out of the region's signs and ШНОР.
Loading the same file again changes nothing (the import recognises it), so running the demo twice is harmless.
"""
import io
import random

from openpyxl import load_workbook

from assessments import upload_template
from assessments.choices import ProcedureLevel
from assessments.models import Procedure
from assessments.services import results_import
from rsoko.orgs.access import acting_membership
from rsoko.orgs.choices import Role
from rsoko.orgs.models import Membership
from rsoko.typography import counted

from .services import procedure_recompute, recompute_deferred

PUPILS_PER_SCHOOL = (12, 26)


def municipal_procedure() -> Procedure | None:
    """The demo's МПР with its КИМ and schools (made by the catalog demo), or None."""
    return (Procedure.objects.filter(kind__level=ProcedureLevel.MUNICIPAL, organizer__kind="mouo",
                                     tasks__isnull=False, participations__isnull=False)
            .select_related("organizer").distinct().order_by("code").first())


def pupil_row(rng: random.Random, school: str, number: int, skill: float, maxima: list[int]) -> list:
    """One pupil as the template's row: school, code, class, sex, journal mark, variant, task scores."""
    if rng.random() < 0.04:
        return [school, f"{number:05d}", "5А", rng.choice("мж"), "", "отсутствовал"] + [""] * len(maxima)
    scores = [sum(rng.random() < skill for _ in range(m)) for m in maxima]
    mark = min(5, max(2, round(2 + 3.2 * sum(scores) / sum(maxima))))
    return [school, f"{number:05d}", rng.choice(["5А", "5Б"]), rng.choice("мж"), str(mark), rng.choice("12")] + scores


def results_file(procedure: Procedure, coordinator) -> bytes:
    """The template the coordinator downloads (its schools only), filled with plausible pupils."""
    from assessments.catalog.selectors import upload_schools_for

    tasks = list(procedure.tasks.order_by("position"))
    codes = list(upload_schools_for(coordinator, procedure).values_list("code", flat=True))
    content = upload_template.template_xlsx(title=procedure.name, school_codes=codes, variants=procedure.variants,
                                            tasks=[upload_template.TemplateTask(t.label, t.max_score) for t in tasks])
    workbook = load_workbook(io.BytesIO(content))
    rng, number = random.Random(procedure.code), 0
    for code in codes:
        skill = rng.uniform(0.35, 0.8)
        for _ in range(rng.randint(*PUPILS_PER_SCHOOL)):
            number += 1
            workbook["Результаты"].append(pupil_row(rng, code, number, skill, [t.max_score for t in tasks]))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def build(stdout) -> None:
    procedure = municipal_procedure()
    coordinator = procedure and Membership.objects.filter(
        role=Role.MUNICIPAL_COORDINATOR, organization=procedure.organizer).select_related("user").first()
    if coordinator is None or acting_membership(coordinator.user, "results.upload") is None:
        stdout.write("  Муниципальная процедура: нет МПР со спецификацией или координатора МОУО — пропущено.")
        return
    with recompute_deferred():  # its own analytics below; the region's year is not recomputed for a МПР
        report = results_import(actor=coordinator.user, procedure=procedure, filename=f"{procedure.code}.xlsx",
                                data=results_file(procedure, coordinator.user), source="демонстрационные данные")
    procedure_recompute(procedure_id=procedure.pk)
    stdout.write(f"  Муниципальная процедура «{procedure.name}» ({procedure.organizer.municipality}): "
                 f"{counted(report.stored, 'участник', 'участника', 'участников')}, аналитика рассчитана.")
