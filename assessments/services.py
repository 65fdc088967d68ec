"""Writes for results: importing a file (checked, then stored in one transaction), versions, quarantine.

Two phases, as in pretix's imports: `assessments.importing` reads and checks every row without the
database; then one short transaction stores the batch, one new version per school, the participants
(COPY on PostgreSQL) and the quarantined rows. Strict mode stores nothing when any row is wrong.

Re-uploads and fixes (why versions are built this way):
- a full file for a school replaces its results: a new version with exactly the file's rows becomes
  active, the old one stays in the history, and quarantined rows of that school from earlier uploads
  are closed (the new file supersedes them; its own bad rows are quarantined afresh);
- a file of fixed rows (the quarantine download, recognised by its «Причина ошибки» column, or the
  «исправления» option) is merged: the new version = the active rows of the school, with rows of the
  same participant code replaced and new codes added; nothing else of the school is touched, and the
  quarantined rows whose codes arrived are marked resolved.
Each version records what changed against the previous one (codes added / removed / changed).
"""
from dataclasses import asdict, dataclass, field
import hashlib
import io
import json

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast, Lower
import numpy as np
import pandas as pd

from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record
from rsoko.jobs.services import JobError, job_create, job_finish
from rsoko.orgs.access import acting_membership, scope_for
from rsoko.orgs.models import Organization
from rsoko.tables import TableFileError, read_table_file

from .choices import ParticipantStatus, ProcedureStatus, UploadMode
from .importing import FORMAT_NAMES, POSITIONAL, Checked, LayoutError, RawTable, SpecTask, check_table, recognise
from .importing.checks import school_key, spec_errors
from .importing.error_summary import group_row_errors
from .models import ParticipantResult, Procedure, QuarantinedRow, ResultBatch, ResultVersion, Scale, Task
from .scoring import ScaleRule, compute_marks

MAX_STORED_MESSAGES = 1000  # per batch and per job result; the counts are always complete
MAX_LISTED_CODES = 300
DIFF_FIELDS = ["status", "variant", "class_name", "sex", "journal_mark", "task_scores", "not_attempted"]
COPY_COLUMNS = ["version_id", "procedure_id", "school_id", "participant_code", "class_name", "sex", "journal_mark",
                "variant", "status", "primary_score", "mark", "test_score", "passed", "task_scores", "not_attempted"]


class ImportRejected(Exception):
    """Nothing was stored; `errors` (Russian, naming row and column) say why."""

    def __init__(self, errors: list[str], *, warnings: list[str] | None = None, rows: int = 0, error_count: int = 0,
                 header_spec_offered: bool = False, error_schools: list[str] | None = None):
        super().__init__(errors[0] if errors else "Файл отклонён.")
        self.errors, self.warnings = errors, warnings or []
        self.rows, self.error_count = rows, error_count or len(errors)
        self.error_schools = error_schools or []
        # The file's header carries its own task maxima that differ from the codifier: it can be loaded with them.
        self.header_spec_offered = header_spec_offered

    def summary(self) -> dict:
        """What the job page shows: the errors grouped (the full list is the job's error text, downloadable)."""
        return {"rows": self.rows, "stored": 0, "absent": 0, "quarantined": 0, "warnings": len(self.warnings),
                "errors": self.error_count, "error_messages": self.errors[:MAX_STORED_MESSAGES],
                "error_groups": group_row_errors(self.errors, self.error_schools),
                "warning_messages": self.warnings, "rejected": True, "header_spec_offered": self.header_spec_offered}

    def report_text(self) -> str:
        """Every error, one a line (a file of 50 000 bad rows makes a few megabytes: the user downloads it)."""
        return "\n".join([f"Файл отклонён, ничего не сохранено. Ошибок: {self.error_count}.", *self.errors])


@dataclass
class ImportReport:
    batch_id: int
    procedure: str
    format: str
    mode: str
    fixes: bool
    rows: int
    stored: int
    absent: int
    quarantined: int
    warnings: int
    errors: int
    schools: int
    refused: int = 0  # rows of schools outside the uploader's scope: neither stored nor quarantined
    tasks_created: int = 0
    unchanged: bool = False  # the same file was loaded before and nothing replaced it: nothing stored
    warning_messages: list[str] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)
    error_groups: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self) | {"summary": self.summary()}

    def summary(self) -> str:
        if self.unchanged:
            return f"Этот файл уже загружен, и его данные действуют: ничего не изменено и не пересчитано (строк: {self.rows})."
        text = (f"Строк: {self.rows}; сохранено участников: {self.stored} (из них отсутствовали: {self.absent}); "
                f"школ: {self.schools}; в карантине: {self.quarantined}; предупреждений: {self.warnings}.")
        if self.refused:
            text += (f" Отклонено строк школ вне вашей зоны ответственности: {self.refused} "
                     "(не сохранены и не в карантине).")
        return text + (" Исправленные строки добавлены к действующим результатам." if self.fixes else "")


# ---------------------------------------------------------------- reading and checking (no writes)

def read_results_file(filename: str, data: bytes) -> RawTable:
    try:
        sheets = read_table_file(filename, data, limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024)
        return recognise(sheets, filename)
    except TableFileError as exc:
        raise ImportRejected([str(exc)]) from None
    except LayoutError as exc:
        raise ImportRejected(exc.errors) from None


def procedure_spec(procedure: Procedure, raw: RawTable) -> tuple[list[SpecTask], bool]:
    """The procedure's tasks; when it has none yet, the protocol/template header («(2б)») defines them."""
    spec = [SpecTask(t.position, t.label, t.max_score) for t in procedure.tasks.order_by("position")]
    if spec:
        return spec, False
    if raw.format in POSITIONAL:
        raise ImportRejected([
            f"У процедуры {procedure.code} нет спецификации заданий, а в региональной выгрузке нет максимальных "
            "баллов: сначала загрузите кодификатор процедуры (или электронный протокол с заголовками «N (Mб)»)."
        ])
    return [SpecTask(t.position, t.label, t.max_score) for t in raw.tasks], True


def school_lookup(raw: RawTable) -> dict[str, int]:
    """ФИС ОКО logins (sch/edu share numbers) and other organization codes → school ids."""
    keys = {school_key(v) for v in pd.unique(raw.frame["school"])} - {""}
    schools = Organization.objects.schools()
    found = dict(schools.annotate(key=Lower("code")).filter(key__in=keys).values_list("key", "id"))
    by_number = schools.by_school_codes(keys - set(found))
    return found | {code: org.id for code, org in by_number.items()}


def uploader_schools(actor, school_ids) -> set[int] | None:
    """Schools the uploader may load; None = all (region-wide roles and the command line without --as)."""
    if actor is None:
        return None
    scope = scope_for(actor, "results.upload")
    if scope.region_wide:
        return None
    allowed = Organization.objects.filter(id__in=school_ids).filter(
        Q(municipality_id__in=scope.municipality_ids) | Q(id__in=scope.school_ids))
    return set(allowed.values_list("id", flat=True))


HEADER_SPEC_OPTION = "«Взять спецификацию из заголовка файла» (в команде import_results — параметр --header-spec)"


def header_spec(raw: RawTable) -> list[SpecTask]:
    return [SpecTask(t.position, t.label, t.max_score) for t in raw.tasks]


def spec_source(procedure: Procedure, from_header: bool) -> str:
    return "заголовку файла" if from_header else f"кодификатору процедуры {procedure.code} ({procedure.year} г.)"


def choose_spec(procedure: Procedure, raw: RawTable, use_header_spec: bool) -> tuple[list[SpecTask], bool, bool]:
    """(spec, from_header, replaces the procedure's spec). A file whose header maxima differ from the codifier is
    refused with an offer to load it with the header's own tasks (kits change between years); never silently."""
    spec, from_header = procedure_spec(procedure, raw)
    if from_header or raw.format in POSITIONAL or raw.errors:
        return spec, from_header, False
    differences, _ = spec_errors(raw, spec)
    if not differences:
        return spec, False, False
    if not use_header_spec:
        header = header_spec(raw)
        raise ImportRejected(differences + [
            f"Задания в заголовке файла ({len(header)} на {sum(t.max_score for t in header)} б.) не совпадают со "
            f"спецификацией по {spec_source(procedure, False)}: {len(spec)} на {sum(t.max_score for t in spec)} б. "
            "Так бывает, когда файл относится к комплекту другого года. Если файл верный, загрузите его с отметкой "
            f"{HEADER_SPEC_OPTION}: задания процедуры будут заменены заданиями из заголовка."
        ], rows=len(raw.frame), header_spec_offered=True)
    if ParticipantResult.objects.filter(procedure=procedure).exists():
        raise ImportRejected([
            f"По процедуре {procedure.code} уже загружены результаты по спецификации кодификатора: заменить её "
            "заголовком файла нельзя. Создайте отдельную процедуру для комплекта этого файла."], rows=len(raw.frame))
    return header_spec(raw), True, True


def check_results_file(*, actor, procedure: Procedure, raw: RawTable,
                       use_header_spec: bool = False) -> tuple[Checked, list[SpecTask], bool]:
    spec, from_header, _replaces = choose_spec(procedure, raw, use_header_spec)
    schools = school_lookup(raw)
    checked = check_table(raw, spec, schools, uploader_schools(actor, set(schools.values())),
                          spec_name=spec_source(procedure, from_header))
    return checked, spec, from_header


# ---------------------------------------------------------------- the import

def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unchanged_batch(procedure: Procedure | None, digest: str) -> ResultBatch | None:
    """An earlier upload of the very same file whose versions all still stand (no later file replaced them)."""
    batches = ResultBatch.objects.filter(sha256=digest, versions__isnull=False).exclude(versions__is_active=False)
    if procedure is not None:
        batches = batches.filter(procedure=procedure)
    return batches.select_related("procedure").order_by("id").first()


def covered_by(batch: ResultBatch, actor) -> bool:
    """The earlier upload stored every school this actor may load: it was made with a region-wide scope (or the
    command line), or by the same user. A municipality's upload left other schools' rows out of it."""
    uploader = batch.uploaded_by
    return uploader is None or scope_for(uploader).region_wide or (actor is not None and uploader.pk == actor.pk)


def unchanged_report(batch: ResultBatch) -> ImportReport:
    return ImportReport(batch_id=batch.id, procedure=batch.procedure.code, format=FORMAT_NAMES.get(batch.format, batch.format),
                        mode=batch.mode, fixes=batch.fixes, rows=batch.rows, stored=0, absent=0, quarantined=0,
                        warnings=0, errors=0, schools=0, unchanged=True)


def results_import(*, actor, procedure: Procedure, filename: str, data: bytes, mode: str | None = None,
                   fixes: bool | None = None, source: str = "веб", progress=None, on_stored=None,
                   use_header_spec: bool = False, raw: RawTable | None = None) -> ImportReport:
    """Reads, checks and stores one results file; raises ImportRejected when nothing may be stored.

    `use_header_spec`: a file whose header maxima differ from the procedure's codifier replaces the procedure's
    tasks with its own (only while the procedure has no results); otherwise such a file is refused with that offer.

    `on_stored(report)` runs inside the storing transaction (a job marks itself done there: exactly once).
    `raw` is the file already recognised (the archive import reads each file once). The very file loaded
    before, whose versions still stand, is not read again: nothing changes and nothing is recomputed.
    """
    progress = progress or (lambda stage, percent: None)
    if actor is not None and not scope_for(actor).can("results.upload"):
        raise ImportRejected([f"У пользователя {actor.username} нет права загружать результаты."])
    digest = file_digest(data)
    earlier = unchanged_batch(procedure, digest) if not fixes else None
    if earlier is not None and covered_by(earlier, actor):
        report = unchanged_report(earlier)
        with transaction.atomic():
            if on_stored is not None:
                on_stored(report)
        return report
    progress("Чтение файла", 5)
    raw = raw or read_results_file(filename, data)
    mode = mode or (UploadMode.QUARANTINE if raw.format in POSITIONAL else UploadMode.STRICT)
    fixes = raw.fixes if fixes is None else fixes
    progress("Проверка строк", 25)
    checked, spec, from_header = check_results_file(actor=actor, procedure=procedure, raw=raw,
                                                    use_header_spec=use_header_spec)
    rows = len(raw.frame)
    if from_header and procedure.tasks.exists():
        checked.warnings.insert(0, f"Спецификация процедуры {procedure.code} заменена заданиями из заголовка файла "
                                   f"({len(spec)} заданий, максимум {sum(t.max_score for t in spec)} б.): проверьте "
                                   "шкалу отметок процедуры.")
    if checked.file_errors or (checked.errors and mode == UploadMode.STRICT):
        raise ImportRejected(checked.errors, warnings=checked.warnings, rows=rows, error_schools=checked.error_schools)
    if checked.valid.empty and checked.to_quarantine.empty:
        raise ImportRejected(checked.errors or [f"Файл «{filename}» не содержит строк с результатами."],
                             warnings=checked.warnings, rows=rows, error_schools=checked.error_schools)
    progress("Расчёт отметок", 40)
    new_rows = result_rows(procedure, checked, spec)
    progress("Запись результатов", 55)
    with transaction.atomic():
        tasks_created = create_tasks(procedure, spec) if from_header else 0
        batch = ResultBatch.objects.create(
            procedure=procedure, uploaded_by=actor if actor is not None and actor.pk else None, filename=filename[:255],
            format=raw.format, mode=mode, fixes=fixes, rows=rows, warnings=checked.warnings, columns=raw.header,
            errors=checked.errors[:MAX_STORED_MESSAGES], error_count=checked.error_count, sha256=digest,
        )
        stored = store_versions(procedure, batch, new_rows, fixes=fixes)
        quarantine_store(procedure, batch, raw, checked)
        batch.stored = int(len(new_rows))
        batch.absent = int((new_rows["status"] == ParticipantStatus.ABSENT).sum())
        batch.quarantined = int(len(checked.to_quarantine))
        batch.save(update_fields=["stored", "absent", "quarantined"])
        audit_record(actor=actor, action=AuditAction.CREATE, instance=batch, before=None, source=source)
        if stored:  # in the same commit: a worker lost right after it cannot leave the analytics unscheduled
            results_changed(procedure.id, actor)
        report = ImportReport(
            batch_id=batch.id, procedure=procedure.code, format=FORMAT_NAMES[raw.format], mode=mode, fixes=fixes,
            rows=rows, stored=batch.stored, absent=batch.absent, quarantined=batch.quarantined,
            refused=checked.refused_outside,
            warnings=len(checked.warnings), errors=checked.error_count, schools=stored, tasks_created=tasks_created,
            warning_messages=checked.warnings, error_messages=checked.errors[:MAX_STORED_MESSAGES],
            error_groups=group_row_errors(checked.errors, checked.error_schools),
        )
        if on_stored is not None:
            on_stored(report)
    progress("Готово", 100)
    return report


def create_tasks(procedure: Procedure, spec: list[SpecTask]) -> int:
    """The specification from the file's header: new, or replacing a codifier of another kit (see choose_spec)."""
    Task.objects.filter(procedure=procedure).delete()
    Task.objects.bulk_create([Task(procedure=procedure, position=t.position, label=t.label[:16], max_score=t.max_score)
                              for t in spec])
    total = sum(t.max_score for t in spec)
    if procedure.max_score != total:
        procedure.max_score = total
        procedure.save(update_fields=["max_score"])
    return len(spec)


def scale_rule(procedure: Procedure) -> ScaleRule | None:
    scale = Scale.objects.filter(procedure=procedure).first()
    if scale is None:
        return None
    return ScaleRule(scale.boundaries or {}, scale.conditions or [], scale.test_scores or [],
                     scale.minimum_test_score, scale.pass_score)


def json_lists(matrix: np.ndarray) -> np.ndarray:
    """Rows of small ints as compact JSON lists: «[1,0,2]».

    Scores are nearly always single digits: then every row has the same width and the text is built
    as one byte matrix (no Python loop); otherwise each row is joined in Python.
    """
    rows, count = matrix.shape
    if rows == 0:
        return np.array([], dtype=object)
    if count == 0:
        return np.full(rows, "[]", dtype=object)
    if matrix.min() >= 0 and matrix.max() <= 9:
        text = np.full((rows, 2 * count + 1), ord(","), dtype=np.uint8)
        text[:, 0], text[:, -1] = ord("["), ord("]")
        text[:, 1:-1:2] = matrix + ord("0")
        return np.frombuffer(text.tobytes(), dtype=f"S{2 * count + 1}").astype(str).astype(object)
    return np.array(["[" + ",".join(row) + "]" for row in matrix.astype(str).tolist()], dtype=object)


def positions_lists(flags: np.ndarray) -> np.ndarray:
    """Not-attempted flags → «[3,7]» (positions, 1-based).

    Rows share few distinct patterns, so each pattern (packed into one integer) is written once.
    """
    rows, count = flags.shape
    if rows == 0 or count == 0 or count > 62:
        return np.array(["[" + ",".join(str(p + 1) for p in np.flatnonzero(r)) + "]" for r in flags], dtype=object)
    packed = flags.astype(np.int64) @ (np.int64(1) << np.arange(count, dtype=np.int64))
    patterns, inverse = np.unique(packed, return_inverse=True)
    texts = np.array(["[" + ",".join(str(p + 1) for p in range(count) if pattern >> p & 1) + "]"
                      for pattern in patterns.tolist()], dtype=object)
    return texts[inverse]


def result_rows(procedure: Procedure, checked: Checked, spec: list[SpecTask]) -> pd.DataFrame:
    """The participants to store, with marks from the scale; task lists as JSON text (COPY-ready)."""
    valid = checked.valid
    present = (valid["status"] == ParticipantStatus.PRESENT).to_numpy()
    primary = valid["primary_score"].fillna(0).to_numpy(dtype=np.int64)
    marks = compute_marks(primary, checked.scores, [t.label for t in spec], scale_rule(procedure))
    task_scores = json_lists(checked.scores)
    frame = pd.DataFrame({
        "school_id": valid["school_id"].astype("int64").to_numpy(), "participant_code": valid["participant_code"].to_numpy(),
        "class_name": valid["class_name"].to_numpy(), "sex": valid["sex"].to_numpy(),
        "journal_mark": valid["journal_mark"].array, "variant": valid["variant"].to_numpy(),
        "status": valid["status"].to_numpy(), "primary_score": valid["primary_score"].array,
        "mark": nullable_ints(marks.mark, present), "test_score": nullable_ints(marks.test_score, present),
        "passed": pd.array(np.where(present & ~np.isnan(marks.passed), marks.passed == 1, None), dtype="boolean"),
        "task_scores": np.where(present, task_scores, "[]"),
        "not_attempted": positions_lists(checked.not_attempted & present[:, None]),
    })
    return frame


def nullable_ints(values: np.ndarray, present: np.ndarray):
    """Whole numbers where present and defined, NA elsewhere."""
    keep = present & ~np.isnan(values)
    return pd.arrays.IntegerArray(np.nan_to_num(values).astype(np.int64), ~keep)


# ---------------------------------------------------------------- versions

def store_versions(procedure: Procedure, batch: ResultBatch, new_rows: pd.DataFrame, *, fixes: bool) -> int:
    """One new active version per school in the file; returns the number of schools."""
    school_ids = sorted(int(s) for s in pd.unique(new_rows["school_id"]))
    if not school_ids:
        return 0
    previous = {v.school_id: v for v in ResultVersion.objects.select_for_update()
                .filter(procedure=procedure, school_id__in=school_ids, is_active=True)}
    old_rows = active_rows(list(previous.values()))
    rows = merge_rows(old_rows, new_rows) if fixes else new_rows
    numbers = dict(ResultVersion.objects.filter(procedure=procedure, school_id__in=school_ids)
                   .values("school_id").annotate(top=Max("number")).values_list("school_id", "top"))
    changes = version_changes(old_rows, rows, previous)
    same = {school_id for school_id in previous if unchanged(changes.get(school_id, {}))}
    if same:  # a school whose rows are exactly its active ones keeps its version: nothing to store or recompute
        school_ids = [s for s in school_ids if s not in same]
        rows = rows[~rows["school_id"].isin(same)]
        if not school_ids:
            return 0
    ResultVersion.objects.filter(id__in=[v.id for s, v in previous.items() if s not in same]).update(is_active=False)
    counts = rows.groupby("school_id")["status"].value_counts().unstack(fill_value=0)
    # per status, school → count as plain dicts (a .loc lookup per school cost seconds over a region's archive)
    by_status = {status: counts[status].to_dict() if status in counts else {}
                 for status in (ParticipantStatus.PRESENT, ParticipantStatus.ABSENT)}
    versions = ResultVersion.objects.bulk_create([
        ResultVersion(batch=batch, procedure=procedure, school_id=school_id, number=numbers.get(school_id, 0) + 1,
                      participants=int(by_status[ParticipantStatus.PRESENT].get(school_id, 0)),
                      absent=int(by_status[ParticipantStatus.ABSENT].get(school_id, 0)),
                      changes=changes.get(school_id, {}) | {"mode": "merge" if fixes else "replace"})
        for school_id in school_ids
    ])
    version_of = {v.school_id: v.id for v in versions}
    if not versions[0].id:  # databases that cannot return ids from a bulk insert
        version_of = dict(ResultVersion.objects.filter(batch=batch).values_list("school_id", "id"))
    rows = rows.assign(version_id=rows["school_id"].map(version_of).astype("int64"), procedure_id=procedure.id)
    store_participants(rows[COPY_COLUMNS])
    quarantine_close(procedure, batch, school_ids, new_rows if fixes else None)
    return len(school_ids)


def unchanged(change: dict) -> bool:
    return change.get("previous") is not None and not any(change.get(kind) for kind in ("added", "removed", "changed"))


def active_rows(versions: list[ResultVersion]) -> pd.DataFrame:
    """The rows of the given versions in the shape of result_rows (JSON lists as compact text).

    The JSON columns are read as text and compacted («[1, 0]» → «[1,0]»): decoding them row by row
    would cost more than the whole COPY.
    """
    columns = [c for c in COPY_COLUMNS if c not in {"version_id", "procedure_id"}]
    if not versions:
        return pd.DataFrame(columns=columns)
    as_text = {f"{name}_text": Cast(name, TextField()) for name in ("task_scores", "not_attempted")}
    fields = [f"{c}_text" if c in ("task_scores", "not_attempted") else c for c in columns]
    values = list(ParticipantResult.objects.filter(version__in=versions).annotate(**as_text).values_list(*fields))
    frame = pd.DataFrame(values, columns=columns)
    for name in ("task_scores", "not_attempted"):
        frame[name] = frame[name].astype(object).str.replace(" ", "", regex=False)
    for name in ("journal_mark", "primary_score", "mark", "test_score"):
        frame[name] = frame[name].astype("Int64")
    frame["passed"] = frame["passed"].astype("boolean")
    return frame


def merge_rows(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Fixed rows replace the same codes of the same school; the school's other rows stay."""
    if old.empty:
        return new
    replaced = pd.MultiIndex.from_frame(new[["school_id", "participant_code"]])
    keep = ~pd.MultiIndex.from_frame(old[["school_id", "participant_code"]]).isin(replaced)
    kept = old[keep & old["school_id"].isin(new["school_id"]).to_numpy()]
    return pd.concat([kept, new], ignore_index=True)


def signature(frame: pd.DataFrame) -> pd.Series:
    parts = [frame[name].astype("string").fillna("") for name in DIFF_FIELDS]
    out = parts[0]
    for part in parts[1:]:
        out = out + "|" + part
    return out


def version_changes(old: pd.DataFrame, new: pd.DataFrame, previous: dict) -> dict[int, dict]:
    """Per school: participant codes added, removed and changed against the previous active version."""
    result = {int(school_id): {"previous": None} for school_id in pd.unique(new["school_id"])}
    if old.empty:
        return result
    keys = ["school_id", "participant_code"]
    before = old[keys].assign(before=signature(old).to_numpy())
    after = new[keys].assign(after=signature(new).to_numpy())
    after = after[after["school_id"].isin(list(previous))]
    pairs = before.merge(after, on=keys, how="outer")
    pairs["kind"] = np.select([pairs["before"].isna(), pairs["after"].isna(), pairs["before"] != pairs["after"]],
                              ["added", "removed", "changed"], default="same")
    pairs = pairs[pairs["kind"] != "same"]
    for school_id, version in previous.items():
        result[int(school_id)] = {"previous": version.number, "added": 0, "removed": 0, "changed": 0,
                                  "added_codes": [], "removed_codes": [], "changed_codes": []}
    for (school_id, kind), codes in pairs.groupby(["school_id", "kind"])["participant_code"]:
        ordered = sorted(codes.tolist(), key=code_order)
        entry = result[int(school_id)]
        entry[kind], entry[f"{kind}_codes"] = len(ordered), ordered[:MAX_LISTED_CODES]
    return result


def code_order(code: str):
    return (0, int(code), "") if str(code).isdigit() else (1, 0, str(code))


# ---------------------------------------------------------------- bulk storage

def store_participants(rows: pd.DataFrame) -> None:
    """COPY on PostgreSQL (inside the surrounding transaction); bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        copy_participants(rows)
    else:
        bulk_create_participants(rows)


def copy_participants(rows: pd.DataFrame) -> None:
    """COPY in PostgreSQL's text format, each column rendered vectorised (pandas.to_csv is 4× slower)."""
    columns = [copy_text(rows[name]).tolist() for name in COPY_COLUMNS]
    text = "\n".join(map("\t".join, zip(*columns)))
    buffer = io.StringIO(text + "\n" if len(rows) else "")
    table = ParticipantResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN", buffer)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
JSON_COLUMNS = {"task_scores", "not_attempted"}  # built here from digits, commas and brackets only


def copy_text(column: pd.Series) -> np.ndarray:
    """One column as COPY text: NULL as \\N, booleans as t/f, numbers as digits, text escaped.

    Numbers repeat (ids, marks, scores): they are rendered once per distinct value.
    """
    if column.name in JSON_COLUMNS:
        return column.to_numpy(dtype=object)
    if column.dtype == "boolean" or pd.api.types.is_integer_dtype(column.dtype):
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        texts = np.array([("t" if v else "f") if column.dtype == "boolean" else str(int(v)) for v in uniques] + ["\\N"],
                         dtype=object)
        return texts[codes]  # code -1 (missing) picks the last entry
    values = column.astype(object).where(column.notna(), None).to_numpy(dtype=object)
    missing = pd.isna(values)
    out = np.where(missing, "\\N", values).astype(object)
    joined = "\x00".join(out[~missing].tolist())
    if any(char in joined for char in "\\\t\n\r"):  # rare: escape only then
        special = [i for i in np.flatnonzero(~missing) if any(c in out[i] for c in "\\\t\n\r")]
        out[special] = [out[i].translate(COPY_ESCAPES) for i in special]
    return out


def bulk_create_participants(rows: pd.DataFrame) -> None:
    def value(v):
        return None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v

    objects = []
    for record in rows.to_dict("records"):
        record = {k: value(v) for k, v in record.items()}
        record["task_scores"] = json.loads(record["task_scores"])
        record["not_attempted"] = json.loads(record["not_attempted"])
        objects.append(ParticipantResult(**record))
    ParticipantResult.objects.bulk_create(objects, batch_size=2000)


# ---------------------------------------------------------------- quarantine

def quarantine_store(procedure: Procedure, batch: ResultBatch, raw: RawTable, checked: Checked) -> None:
    rejected = checked.to_quarantine
    if rejected.empty:
        return
    code_index = raw.header.index(raw.columns["participant"]) if raw.columns.get("participant") in raw.header else None
    already_open = set(QuarantinedRow.objects.filter(procedure=procedure, resolved=False).exclude(batch=batch)
                       .values_list("school_id", "row_number", "participant_code"))
    objects = []
    for row, pos, school_id, reasons in rejected[["row", "pos", "school_id", "reasons"]].itertuples(index=False):
        cells = dict(zip(raw.header, raw.cells[pos].tolist()))
        code = str(raw.cells[pos][code_index]).strip()[:64] if code_index is not None else ""
        school_id = None if pd.isna(school_id) else int(school_id)
        if (school_id, int(row), code) in already_open:  # the same row of a re-uploaded file waits there already
            continue
        objects.append(QuarantinedRow(batch=batch, procedure=procedure, school_id=school_id,
                                      row_number=int(row), participant_code=code, cells=cells, reasons=list(reasons)))
    QuarantinedRow.objects.bulk_create(objects, batch_size=2000)


def quarantine_close(procedure: Procedure, batch: ResultBatch, school_ids: list[int], fixed: pd.DataFrame | None) -> None:
    """A full upload supersedes a school's open quarantine; fixed rows resolve the rows of their codes.

    A quarantined row without a school (its school code was unknown) is resolved by the fixed row of the
    same participant code, whichever school the fix names.
    """
    open_rows = QuarantinedRow.objects.filter(procedure=procedure, resolved=False).exclude(batch=batch)
    if fixed is None:
        open_rows.filter(school_id__in=school_ids).update(resolved=True)
        return
    for school_id, codes in fixed.groupby("school_id")["participant_code"]:
        open_rows.filter(Q(school_id=int(school_id)) | Q(school__isnull=True),
                         participant_code__in=codes.tolist()).update(resolved=True)


# ---------------------------------------------------------------- after an import

def results_changed(procedure_id: int, user=None) -> None:
    """Called in an import's transaction: the procedure's status says results are loaded, and the
    analytics are recomputed by a job of their own (long work, followed on the jobs page), enqueued on commit."""
    from assessments.stats.services import schedule_recompute

    Procedure.objects.filter(id=procedure_id).exclude(status=ProcedureStatus.ANALYSED).update(
        status=ProcedureStatus.LOADED)
    code = Procedure.objects.filter(id=procedure_id).values_list("code", flat=True).first()
    schedule_recompute(procedure_ids=[procedure_id], user=user, reason=f"загружены результаты {code}")


def results_upload_enqueue(*, user, procedure: Procedure, upload, mode: str = "", fixes: bool = False,
                           source: str = "веб", use_header_spec: bool = False):
    """Stores the uploaded file with a job that imports it after commit (web page and API). The job belongs to
    the organization through which the user uploads (their МОУО, the centre, the ministry): its messages are
    for those who read results there."""
    membership = acting_membership(user, "results.upload")
    return job_create(
        kind="results_import", title=f"Загрузка результатов {procedure.code}: {upload.name}",
        handler="assessments.services.results_import_job", user=user,
        organization=membership.organization if membership else None,
        params={"procedure_id": procedure.id, "filename": upload.name, "mode": mode or "",
                "fixes": True if fixes else None, "source": source, "use_header_spec": bool(use_header_spec)},
        input_file=upload,
    )


def results_import_job(job, progress) -> dict:
    """Job handler for a file uploaded through the web page or the API."""
    procedure = Procedure.objects.get(id=job.params["procedure_id"])
    with job.input_file.open("rb") as stream:
        data = stream.read()
    try:
        report = results_import(
            actor=job.created_by, procedure=procedure, filename=job.params.get("filename", "results.xlsx"), data=data,
            mode=job.params.get("mode") or None, fixes=job.params.get("fixes"), source=job.params.get("source", "веб"),
            progress=progress, on_stored=lambda stored: job_finish(job, result=stored.as_dict()),
            use_header_spec=bool(job.params.get("use_header_spec")),
        )
    except ImportRejected as exc:
        raise JobError(exc.report_text(), result=exc.summary()) from None
    return report.as_dict()
