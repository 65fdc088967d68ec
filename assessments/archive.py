"""Loading a whole ФИС ОКО archive: registry forms, codifiers and results files of every year, in one go.

Each file is read once and recognised by its cells: a registry form («Сбор контекстных данных об ОО», login
lists, the portal's registry template), a codifier, or a results file of any layout. The procedure a codifier or
results file belongs to comes from its name and cells (`importing.archive`); a missing procedure is created with
its default scale. Registry files go first (results then find their schools), codifiers next (a regional export
needs its kit's maxima), results last — each through the same services as a single upload, so every check,
quarantine and message is the same. Recomputation is off while the files load and runs once at the end, only for
the procedures whose results changed. A file loaded before and unchanged since is skipped by its checksum.
"""
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from rsoko import workers
from rsoko.exports import Column, Table
from rsoko.orgs.access import scope_for
from rsoko.orgs.registry_import import normalise_header, parse_registry
from rsoko.orgs.services import RegistryImportError, registry_import
from rsoko.tables import Sheet, TableFileError, read_table_file
from rsoko.typography import plural

from .catalog.services import (check_codifier_year, procedure_create, procedure_tasks_replace, scale_apply_official,
                               spec_rows)
from .codifier import CodifierError, find_header as codifier_header, parse_codifier
from .importing import LayoutError, recognise
from .importing.archive import ArchiveFile, Identity, identity_from_cells, identity_from_text
from .importing.layouts import PROTOCOL, find_header as results_header
from .models import Procedure, ProcedureKind, Subject
from .services import ImportRejected, file_digest, results_import, unchanged_batch

LOADED, QUARANTINED, REFUSED, UNCHANGED = "loaded", "quarantined", "refused", "unchanged"
STATUS_TITLES = {LOADED: "загружен", QUARANTINED: "загружен, часть строк отложена", REFUSED: "отклонён",
                 UNCHANGED: "без изменений"}
REGISTRY, CODIFIER, RESULTS = "registry", "codifier", "results"
ROLE_TITLES = {REGISTRY: "реестр", CODIFIER: "кодификатор", RESULTS: "результаты", "": "не распознан"}
DEFAULT_KIND = "VPR"
REGISTRY_REFUSED = "Реестр по протоколу не пополнен"  # ФИС ОКО's files are ВПР unless the name says otherwise


@dataclass
class FileOutcome:
    """One line of the archive report."""

    name: str
    role: str = ""
    status: str = REFUSED
    procedure: str = ""
    rows: int = 0
    stored: int = 0
    quarantined: int = 0
    message: str = ""

    @property
    def status_title(self) -> str:
        return STATUS_TITLES[self.status]

    @property
    def role_title(self) -> str:
        return ROLE_TITLES[self.role]


@dataclass
class ArchiveReport:
    files: list[FileOutcome] = field(default_factory=list)
    procedures_created: list[str] = field(default_factory=list)
    recomputed: dict = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def summary(self) -> str:
        n = len(self.files)
        text = (f"{n} {plural(n, 'файл', 'файла', 'файлов')}: загружено {self.count(LOADED)}, с карантином "
                f"{self.count(QUARANTINED)}, без изменений {self.count(UNCHANGED)}, отклонено {self.count(REFUSED)}; "
                f"создано процедур: {len(self.procedures_created)}.")
        procedures = self.recomputed.get("procedures", 0)
        return text + (f" Пересчитано процедур: {procedures}." if procedures else " Пересчёт не понадобился.")

    def as_dict(self) -> dict:
        return {"summary": self.summary(), "files": [asdict(f) | {"status_title": f.status_title,
                                                                   "role_title": f.role_title} for f in self.files],
                "procedures_created": self.procedures_created, "recomputed": self.recomputed,
                "counts": {status: self.count(status) for status in STATUS_TITLES}}


@dataclass
class Recognised:
    """A file read and recognised: its sheets are dropped once it is loaded."""

    file: ArchiveFile
    outcome: FileOutcome
    sheets: list = field(default_factory=list)
    identity: Identity = field(default_factory=Identity)


# ---------------------------------------------------------------- recognising

HEAD_ROWS = 40  # enough for a title, a header and the rows that name the procedure


def read_sheets(file: ArchiveFile, head_rows: int | None = None) -> list:
    return read_table_file(file.filename, file.data, limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024,
                           head_rows=head_rows)


def recognise_file(file: ArchiveFile) -> Recognised:
    """Reads the head of one file and says what it is; an unreadable or unknown file is refused with the reason."""
    item = Recognised(file, FileOutcome(file.name))
    try:
        item.sheets = read_sheets(file, HEAD_ROWS)
    except TableFileError as exc:
        item.outcome.message = str(exc)
        return item
    item.outcome.role = file_role(item.sheets)
    if not item.outcome.role:
        item.outcome.message = ("Файл не распознан: это не результаты ФИС ОКО (протокол, региональная выгрузка), "
                                "не кодификатор и не форма реестра (логины ОО, «Сбор контекстных данных об ОО»).")
    if item.outcome.role in (CODIFIER, RESULTS):
        rows = [row for sheet in item.sheets for row in sheet.rows]
        item.identity = identity_from_text(file.name).merged(identity_from_cells(rows))
    return item


def file_role(sheets) -> str:
    if results_header(sheets) is not None:
        return RESULTS
    if any(codifier_header(sheet.rows) is not None for sheet in sheets):
        return CODIFIER
    return REGISTRY if parse_registry(sheets).layout != "unknown" else ""


# ---------------------------------------------------------------- procedures

def catalog_procedure(identity: Identity, *, actor) -> tuple[Procedure, bool]:
    """The procedure of that kind, year, subject and grade; created (with its default scale) when missing.
    Called inside the file's transaction: a refused file leaves no procedure behind."""
    missing = identity.missing()
    if missing:
        raise ValidationError(f"Не удалось определить {', '.join(missing)} по имени файла и его содержимому: "
                              "назовите файл, например, «ВПР 2021 Математика 4 класс.xlsx» или «vpr2021_ma4.xlsx».")
    kind = ProcedureKind.objects.filter(slug=identity.kind or DEFAULT_KIND).first()
    subject = Subject.objects.filter(code=identity.subject).first()
    if kind is None or subject is None:
        raise ValidationError(f"В справочнике нет вида «{identity.kind or DEFAULT_KIND}» или предмета «{identity.subject}».")
    found = Procedure.objects.filter(kind=kind, year=identity.year, subject=subject, grade=identity.grade).order_by("pk")
    procedure = found.first()
    if procedure is not None:
        return procedure, False
    procedure = procedure_create(actor=actor, kind=kind, year=identity.year, subject=subject, grade=identity.grade,
                                 source="загрузка архива")
    scale_apply_official(actor=actor, procedure=procedure, source="загрузка архива")  # as add_procedure does
    return procedure, True


# ---------------------------------------------------------------- loading each kind of file

def may_change_registry(actor) -> bool:
    return actor is None or scope_for(actor).can("registry.manage")


def load_registry(item: Recognised, *, actor) -> None:
    if not may_change_registry(actor):
        item.outcome.message = f"У пользователя {actor.username} нет права изменять реестр: форма реестра не загружена."
        return
    try:
        item.sheets = read_sheets(item.file)
        registry = registry_import(actor=actor, parsed=parse_registry(item.sheets), source="загрузка архива")
    except TableFileError as exc:
        item.outcome.status, item.outcome.message = REFUSED, str(exc)
        return
    except RegistryImportError as exc:
        item.outcome.status, item.outcome.message = REFUSED, "\n".join(exc.errors[:20])
        return
    changed = (registry.municipalities_created + registry.municipalities_updated + registry.organizations_created
               + registry.organizations_updated)
    item.outcome.status = QUARANTINED if registry.rows_skipped else (LOADED if changed else UNCHANGED)
    item.outcome.rows = len(changed) + registry.unchanged + len(registry.rows_skipped)
    item.outcome.stored, item.outcome.quarantined = len(changed), len(registry.rows_skipped)
    item.outcome.message = "\n".join([registry.summary(), *registry.warnings, *registry.rows_skipped][:30])


def load_codifier(item: Recognised, *, actor, report: ArchiveReport) -> None:
    try:
        sheets = read_sheets(item.file)
        specs = parse_codifier(sheets)
        with transaction.atomic():
            procedure, created = catalog_procedure(item.identity, actor=actor)
            item.outcome.procedure = procedure.code
            check_codifier_year(procedure, item.file.filename, sheets, False)
            if spec_rows(procedure.tasks.order_by("position")) == spec_rows(specs):
                item.outcome.status, item.outcome.message = UNCHANGED, "Спецификация совпадает с загруженной."
            else:
                procedure_tasks_replace(actor=actor, procedure=procedure, specs=specs, source="загрузка архива")
                item.outcome.status = LOADED
                item.outcome.message = f"Заданий: {len(specs)}, максимальный балл: {sum(s.max_score for s in specs)}."
            item.outcome.rows = len(specs)
        if created:
            report.procedures_created.append(procedure.code)
    except TableFileError as exc:
        item.outcome.status, item.outcome.message = REFUSED, str(exc)
    except CodifierError as exc:
        item.outcome.status, item.outcome.message = REFUSED, "\n".join(exc.errors[:20])
    except ValidationError as exc:
        item.outcome.status, item.outcome.message = REFUSED, "\n".join(exc.messages[:20])


@dataclass
class ResultsRead:
    """A results file read whole and recognised: its canonical table, and for a protocol its registry rows (one
    per school). `error` / `layout_errors` say why it cannot be read."""

    raw: object = None
    registry_sheets: list | None = None
    error: str = ""
    layout_errors: list = field(default_factory=list)


def read_results(file: ArchiveFile) -> ResultsRead:
    """The part of loading a results file that needs no database (a worker process may do it)."""
    try:
        sheets = read_sheets(file)
        raw = recognise(sheets, file.filename)
    except TableFileError as exc:
        return ResultsRead(error=str(exc))
    except LayoutError as exc:
        return ResultsRead(layout_errors=exc.errors)
    return ResultsRead(raw, distinct_rows(sheets) if raw.format == PROTOCOL else None)


def load_results(item: Recognised, *, actor, report: ArchiveReport, progress, on_stored=None,
                 read: ResultsRead | None = None) -> None:
    outcome, notes = item.outcome, []
    read = read or read_results(item.file)
    if read.error:
        outcome.status, outcome.message = REFUSED, read.error
        return
    try:
        if read.layout_errors:
            raise LayoutError(read.layout_errors)
        with transaction.atomic():  # a refused file leaves nothing: no procedure, no registry rows
            procedure, created = catalog_procedure(item.identity, actor=actor)
            outcome.procedure = procedure.code
            notes = protocol_registry(read.registry_sheets, actor=actor) if read.registry_sheets is not None else []
            result = results_import(actor=actor, procedure=procedure, filename=item.file.filename, data=item.file.data,
                                    raw=read.raw, source="загрузка архива", progress=progress, on_stored=on_stored)
    except (LayoutError, ImportRejected) as exc:
        kept = [note for note in notes if note.startswith(REGISTRY_REFUSED)]
        outcome.status, outcome.message = REFUSED, "\n".join(kept + exc.errors[:20])
        return
    except ValidationError as exc:
        outcome.status, outcome.message = REFUSED, "\n".join(exc.messages[:20])
        return
    if created:
        report.procedures_created.append(procedure.code)
    outcome.rows, outcome.stored, outcome.quarantined = result.rows, result.stored, result.quarantined
    outcome.status = UNCHANGED if result.unchanged or (not result.schools and not result.quarantined) else (
        QUARANTINED if result.quarantined else LOADED)
    messages = notes + result.warning_messages + result.error_messages
    outcome.message = result.summary() + "".join(f"\n{m}" for m in messages[:20])


def protocol_registry(sheets, *, actor) -> list[str]:
    """The protocol names municipalities and schools (`sheets`: its rows, one per school, see distinct_rows): the
    registry learns them before the results are checked. A registry problem does not stop the results (their
    rows of unknown schools go to quarantine as usual)."""
    if not may_change_registry(actor):
        return []
    try:
        registry = registry_import(actor=actor, parsed=parse_registry(sheets), source="загрузка архива")
    except RegistryImportError as exc:
        return [f"{REGISTRY_REFUSED}: {exc.errors[0]}"]
    created = len(registry.organizations_created)
    return [f"В реестр добавлено ОО из протокола: {created}."] if created else []


def distinct_rows(sheets) -> list[Sheet]:
    """The sheets without repeated rows of one school: a protocol repeats its school on every pupil's row, and the
    registry needs each school once."""
    out = []
    for sheet in sheets:
        header = [normalise_header(cell) for cell in sheet.rows[0]] if sheet.rows else []
        keys = [header.index(name) for name in ("муниципалитет", "школа") if name in header]
        if len(keys) < 2:
            out.append(sheet)
            continue
        seen, rows = set(), [sheet.rows[0]]
        for row in sheet.rows[1:]:
            key = tuple(row[i] if i < len(row) else "" for i in keys)
            rows.append([] if key in seen else row)  # an empty row is skipped, and the rows after keep their numbers
            seen.add(key)
        out.append(Sheet(sheet.name, rows))
    return out


# ---------------------------------------------------------------- the whole archive

def archive_import(*, actor, files: list[ArchiveFile], progress=None, on_file_stored=None,
                   recompute_all: bool = False) -> ArchiveReport:
    """Loads every file of the archive and recomputes once at the end; returns the per-file report.

    `on_file_stored()` runs inside each file's storing transaction (a job checks there that it still owns itself).
    `recompute_all`: recompute the procedures of every results file, changed or not (a job's new attempt after a
    lost worker finds its files stored already, but cannot know whether the first attempt finished recomputing).
    """
    from assessments.stats.services import procedures_recompute, recompute_deferred

    progress = progress or (lambda stage, percent: None)
    report = ArchiveReport()
    items = []
    for number, file in enumerate(files):
        progress(f"Распознавание: файл {number + 1} из {len(files)} «{file.name}»", 2 * number / max(len(files), 1))
        items.append(skip_unchanged(file) or recognise_file(file))
        items[-1].sheets = []  # each file is read whole only when its turn comes
    report.files = [item.outcome for item in items]
    order = {REGISTRY: 0, CODIFIER: 1, RESULTS: 2}
    pending = sorted((i for i in items if i.outcome.role and i.outcome.status != UNCHANGED),
                     key=lambda i: (order[i.outcome.role], i.file.name))
    with recompute_deferred() as touched, results_reader(pending) as reads:
        for number, item in enumerate(pending):
            label = f"Файл {number + 1} из {len(pending)}: «{item.file.name}» ({item.outcome.role_title})"
            file_progress = lambda stage, percent, n=number, label=label: progress(  # noqa: E731
                f"{label}: {stage}", 2 + 78 * (n + percent / 100) / len(pending))
            file_progress("чтение", 0)
            load_file(item, actor=actor, report=report, progress=file_progress, on_stored=on_file_stored,
                      read=next(reads) if item.outcome.role == RESULTS else None)
            item.sheets = []
    if recompute_all:
        touched |= set(Procedure.objects.filter(code__in=[i.outcome.procedure for i in items if i.outcome.role == RESULTS
                                                          and i.outcome.status != REFUSED]).values_list("pk", flat=True))
    if touched:
        report.recomputed = procedures_recompute(
            procedure_ids=touched, progress=lambda stage, percent: progress(f"Пересчёт аналитики: {stage}",
                                                                             80 + percent / 5))
    progress("Готово", 100)
    return report


def load_file(item: Recognised, *, actor, report: ArchiveReport, progress, on_stored, read=None) -> None:
    if item.outcome.role == REGISTRY:
        load_registry(item, actor=actor)
    elif item.outcome.role == CODIFIER:
        load_codifier(item, actor=actor, report=report)
    else:
        load_results(item, actor=actor, report=report, progress=progress,
                     on_stored=(lambda _report: on_stored()) if on_stored else None, read=read)


READ_AHEAD = 2  # files read by the workers and waiting for their turn to be stored, per worker
FORKED_FILES: list[ArchiveFile] = []  # the archive's files as a forked worker inherits them (not pickled)


def read_forked_file(index: int) -> ResultsRead:
    return read_results(FORKED_FILES[index])


@contextmanager
def results_reader(pending: list[Recognised]):
    """The results files of `pending` read in its order, one `next()` per file: by worker processes while this
    process checks and stores the file before (`rsoko.workers`: where forking is safe), else here, each
    when its turn comes. Reading (calamine, cells to text, the layout) needs no database; storing does."""
    results = [item.file for item in pending if item.outcome.role == RESULTS]
    count = workers.processes() if len(results) > 1 else 1
    if count < 2:
        yield (read_results(file) for file in results)
        return
    FORKED_FILES[:] = results
    try:
        with workers.worker_pool(count) as pool:
            yield workers.ordered(pool, read_forked_file, list(range(len(results))), ahead=READ_AHEAD * count)
    finally:
        FORKED_FILES.clear()


def skip_unchanged(file: ArchiveFile) -> Recognised | None:
    """A results file loaded before whose versions still stand: not even read."""
    batch = unchanged_batch(None, file_digest(file.data))
    if batch is None:
        return None
    return Recognised(file, FileOutcome(file.name, role=RESULTS, status=UNCHANGED, procedure=batch.procedure.code,
                                        rows=batch.rows, message="Этот файл уже загружен, и его данные действуют."))


def report_table(result: dict) -> Table:
    """The per-file report of an archive job (its stored result) as a table for xlsx/CSV."""
    columns = [Column("name", "Файл", width=50), Column("role_title", "Что это", width=14),
               Column("status_title", "Итог", width=22), Column("procedure", "Процедура", width=18),
               Column("rows", "Строк", "int", 9), Column("stored", "Сохранено", "int", 11),
               Column("quarantined", "В карантине", "int", 11), Column("message", "Причина и подробности", width=90)]
    return Table("Загрузка архива: отчёт по файлам", columns, list(result.get("files") or []),
                 filename="otchet-arhiva", notes=[result.get("summary", "")])


# ---------------------------------------------------------------- the web upload as a job

def archive_upload_enqueue(*, user, upload):
    """Stores the uploaded zip with a job that loads it after commit."""
    from rsoko.jobs.services import job_create

    membership = user.memberships.select_related("organization").first()
    return job_create(kind="archive_import", title=f"Загрузка архива ФИС ОКО: {upload.name}",
                      handler="assessments.archive.archive_import_job", user=user,
                      organization=membership.organization if membership else None,
                      params={"filename": upload.name}, input_file=upload)


def archive_import_job(job, progress) -> dict:
    """Job handler. Each file is stored in a transaction of its own that first checks this attempt still owns the
    job; a new attempt (after a lost worker) skips the files already stored, by their checksums."""
    from rsoko.jobs.services import JobError, job_hold

    from .importing.archive import ArchiveError, archive_files

    with job.input_file.open("rb") as stream:
        data = stream.read()
    try:
        files = archive_files(data, limit_bytes=settings.ARCHIVE_MAX_MB * 1024 * 1024)
    except ArchiveError as exc:
        raise JobError(str(exc)) from None
    if not files:
        raise JobError("В архиве нет файлов xlsx, xls или csv.")
    return archive_import(actor=job.created_by, files=files, progress=progress, on_file_stored=lambda: job_hold(job),
                          recompute_all=job.attempts > 1).as_dict()
