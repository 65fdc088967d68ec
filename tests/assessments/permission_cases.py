"""Routes of results uploads × personas. Objects are created lazily from `world` (get_or_create)."""
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Procedure, QuarantinedRow, ResultBatch, ResultVersion
from tests.permission_matrix import api, page

from .factories import procedure_with_tasks, template_rows, xlsx_bytes, zip_bytes

UPLOADERS = ["ministry", "centre", "coordinator"]
VIEWERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]
REGION_WIDE = ["ministry", "methodologist", "centre"]


def matrix_procedure():
    return Procedure.objects.filter(code="VPR-2021-MA-4").first() or procedure_with_tasks("VPR-2021-MA-4")


def matrix_batch(world, school):
    """A batch uploaded by the ministry with one version of `school` and one quarantined row there."""
    procedure = matrix_procedure()
    batch, created = ResultBatch.objects.get_or_create(
        procedure=procedure, filename=f"{school.code}.xlsx",
        defaults={"format": "template", "mode": "quarantine", "uploaded_by": world.user("ministry")})
    if created:
        ResultVersion.objects.create(batch=batch, procedure=procedure, school=school, number=1)
        QuarantinedRow.objects.create(batch=batch, procedure=procedure, school=school, row_number=3,
                                      participant_code="7", cells={"Код ОО": school.code, "Код участника": "7"},
                                      reasons=["Строка 3, столбец «1 (1б)»: балл «5» больше максимального."])
    return batch


def upload_data(world):
    data = xlsx_bytes(template_rows([(world.school_a1.code, "1", [1, 1, 2, 2])]))
    return {"procedure": matrix_procedure().code, "file": SimpleUploadedFile("r.xlsx", data), "mode": "strict"}


CASES = [
    page("results:upload", "/results/upload/", UPLOADERS),
    page("results:batch_list", "/results/batches/", VIEWERS),
    page("results:batch_detail", lambda w: f"/results/batches/{matrix_batch(w, w.school_a1).pk}/",
         VIEWERS, denied_status=403),
    page("results:batch_detail", lambda w: f"/results/batches/{matrix_batch(w, w.school_b1).pk}/", REGION_WIDE,
         others={"coordinator": 404, "school_head": 404}),
    page("results:quarantine_download", lambda w: f"/results/batches/{matrix_batch(w, w.school_a1).pk}/quarantine.xlsx",
         UPLOADERS),
    page("results:quarantine_download", lambda w: f"/results/batches/{matrix_batch(w, w.school_b1).pk}/quarantine.xlsx",
         ["ministry", "centre"], others={"coordinator": 404}),
    # Exports answer like their page: another municipality's batch or versions are not found.
    page("results:batch_detail",
         lambda w: f"/results/batches/{matrix_batch(w, w.school_b1).pk}/?table=quarantine&export=xlsx", REGION_WIDE,
         others={"coordinator": 404, "school_head": 404}),
    page("results:version_history",
         lambda w: f"/results/versions/{matrix_batch(w, w.school_b1).procedure.code}/{w.school_b1.code}/?export=csv",
         REGION_WIDE, others={"coordinator": 404, "school_head": 404}),
    page("results:quarantine_list", "/results/quarantine/", UPLOADERS),
    page("results:version_history",
         lambda w: f"/results/versions/{matrix_batch(w, w.school_a1).procedure.code}/{w.school_a1.code}/", VIEWERS),
    page("results:version_history",
         lambda w: f"/results/versions/{matrix_batch(w, w.school_b1).procedure.code}/{w.school_b1.code}/", REGION_WIDE,
         others={"coordinator": 404, "school_head": 404}),
    api("result-upload-list", "/api/v1/results/uploads/", VIEWERS),
    api("result-upload-detail", lambda w: f"/api/v1/results/uploads/{matrix_batch(w, w.school_a1).pk}/", VIEWERS),
    api("result-upload-detail", lambda w: f"/api/v1/results/uploads/{matrix_batch(w, w.school_b1).pk}/", REGION_WIDE,
        others={"coordinator": 404, "school_head": 404}),
    api("result-upload-list", "/api/v1/results/uploads/", UPLOADERS, method="post", allowed_status=202,
        data=upload_data),
]


def archive_data(world):
    return {"archive": SimpleUploadedFile("archive.zip", zip_bytes({"readme.xlsx": xlsx_bytes([["Содержание"]])}))}


ARCHIVE_LOADERS = ["ministry", "centre"]
CASES += [
    page("results:archive_upload", "/results/archive/", ARCHIVE_LOADERS),
    page("results:archive_upload", "/results/archive/", ARCHIVE_LOADERS, method="post", data=archive_data,
         allowed_status=302),
]
