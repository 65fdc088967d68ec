"""Every download of pupil-level data leaves one audit entry saying who, what and in which format;
downloads of aggregates leave none.

Pupil-level routes: the analytics tables marked personal_data (risk group, individual results) in xlsx and
CSV, from the procedure page and from the tables' own pages, the quarantine of an upload, the re-check results
and the expert's score sheet of a fieldwork campaign, and the risk group through the API.
"""
from dataclasses import dataclass
from typing import Callable

import pytest

from assessments.services import results_import
from rsoko.audit.models import AuditEntry
from tests.assessments.factories import export_rows, procedure_with_tasks, xlsx_bytes
from tests.fieldwork.matrix_objects import objects as fieldwork_objects
from tests.stats.factories import analysed_procedure


@dataclass(frozen=True)
class Download:
    persona: str
    url: Callable  # world → the address
    what: str  # words the entry's title must hold
    fmt: str


def quarantined_upload(world) -> int:
    """An upload of the coordinator's municipality with a row in quarantine (a score above the maximum)."""
    rows = export_rows(world.school_a1.code, [("1", ["1", "1", "2", "2"], "4", "м", "а"),
                                              ("2", ["1", "3", "2", "2"], "4", "ж", "а")])
    report = results_import(actor=world.user("coordinator"), procedure=procedure_with_tasks(), filename="export.xlsx",
                            data=xlsx_bytes(rows))
    assert report.quarantined == 1
    return report.batch_id


def analytics(world, query: str) -> str:
    return f"/analytics/procedures/{analysed_procedure(world).code}/?{query}"


def pupil_table(world, table: str, query: str) -> str:
    """The address of a pupil-level table of the procedure page, shown page by page; its export has all rows."""
    return f"/analytics/procedures/{analysed_procedure(world).code}/pupils/{table}/?{query}"


PERSONAL = {
    "risk group, xlsx (school head)": Download("school_head", lambda w: analytics(w, "export=xlsx&table=risk"),
                                              "Группа риска", "xlsx"),
    "risk group, csv (ministry, a school)": Download(
        "ministry", lambda w: analytics(w, f"school={w.school_a1.pk}&export=csv&table=risk"), "Группа риска", "csv"),
    "individual results, csv": Download(
        "ministry", lambda w: analytics(w, f"school={w.school_a1.pk}&export=csv&table=individual"),
        "Индивидуальные результаты", "csv"),
    "individual results, xlsx (coordinator)": Download(
        "coordinator", lambda w: analytics(w, f"school={w.school_a2.pk}&export=xlsx&table=individual"),
        "Индивидуальные результаты", "xlsx"),
    "risk group, xlsx from its own page (school head)": Download(
        "school_head", lambda w: pupil_table(w, "risk", f"school={w.school_a1.pk}&page=2&export=xlsx"), "Группа риска",
        "xlsx"),
    "individual results, csv from their own page (coordinator)": Download(
        "coordinator", lambda w: pupil_table(w, "individual", f"school={w.school_a2.pk}&class=4А&export=csv"),
        "Индивидуальные результаты", "csv"),
    "quarantine of an upload": Download(
        "coordinator", lambda w: f"/results/batches/{quarantined_upload(w)}/quarantine.xlsx", "карантин загрузки", "xlsx"),
    "re-check results of a campaign": Download(
        "centre", lambda w: f"/fieldwork/campaigns/{fieldwork_objects(w).campaign.pk}/export.xlsx",
        "результаты перепроверки", "xlsx"),
    "an expert's score sheet": Download(
        "expert", lambda w: f"/fieldwork/my/campaigns/{fieldwork_objects(w).campaign.pk}/template.xlsx",
        "бланк баллов эксперта", "xlsx"),
    "risk group through the API": Download(
        "methodologist", lambda w: f"/api/v1/risk-pupils/?procedure={analysed_procedure(w).code}", "группа риска (API)",
        "json"),
}


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)  # a streamed file is read to the end, as a browser does
    return response


@pytest.mark.parametrize("route", PERSONAL.values(), ids=PERSONAL.keys())
def test_a_pupil_level_download_is_logged_with_who_what_and_format(world, client_for, route):
    url = route.url(world)  # the data first: building it must not count as a download
    AuditEntry.objects.all().delete()
    download(client_for(route.persona), url)
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == world.user(route.persona) and entry.actor_name == world.user(route.persona).username
    assert entry.object_repr.startswith("Выгрузка персональных данных:") and route.what in entry.object_repr
    assert entry.after["format"] == route.fmt


AGGREGATES = {
    "registry": ("ministry", lambda w: "/registry/organizations/?export=xlsx"),
    "analytics overview": ("ministry", lambda w: "/analytics/?export=csv"),
    "task statistics": ("ministry", lambda w: analytics(w, "export=xlsx&table=tasks")),
    "children statistics": ("coordinator", lambda w: analytics(w, "export=csv&table=children")),
    "objectivity signs": ("ministry", lambda w: "/analytics/objectivity/?export=xlsx"),
    "ШНОР": ("ministry", lambda w: "/analytics/shnor/?export=csv"),
    "indicator catalog": ("ministry", lambda w: "/monitoring/indicators/?export=xlsx"),
    "uploads list": ("coordinator", lambda w: "/results/batches/?export=xlsx"),
    "statistics through the API": ("methodologist", lambda w: f"/api/v1/statistics/?procedure={analysed_procedure(w).code}"),
    "jobs list": ("ministry", lambda w: "/jobs/?export=csv"),
}


@pytest.mark.parametrize("persona, url", AGGREGATES.values(), ids=AGGREGATES.keys())
def test_a_download_of_aggregates_leaves_no_export_entry(world, client_for, persona, url):
    address = url(world)
    AuditEntry.objects.all().delete()
    download(client_for(persona), address)
    assert not AuditEntry.objects.filter(action="export").exists()
