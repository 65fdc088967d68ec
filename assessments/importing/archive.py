"""A ФИС ОКО archive (a zip or a folder) as a list of files, and what each file's name says about its procedure.

No database here: `assessments.archive` decides what each file is (registry, codifier, results) and loads it.
Names are the only place the regional exports state their procedure («vpr2021_geo10.xlsx»,
«ВПР 2020 Математика 4 класс.xlsx», «fisoko_export_vpr2021_ma4_ksh.xlsx»), so the name is read first and the
file's own cells (the protocol's textbook codes «bio11.5 | …», its upload dates) fill in what the name lacks.
"""
from dataclasses import dataclass
import io
from pathlib import Path, PurePosixPath
import re
import zipfile

TABLE_SUFFIXES = (".xlsx", ".xls", ".csv")
# ФИС ОКО's short subject codes (the protocol's textbook codes «bio11.5», the export names «geo10») and the
# Russian names and stems people write in file names → the portal's subject codes.
SUBJECT_WORDS = {
    "rus": "RU", "ru": "RU", "русский": "RU", "русск": "RU", "рус": "RU",
    "mat": "MA", "ma": "MA", "math": "MA", "математика": "MA", "матем": "MA", "мат": "MA",
    "okr": "OKR", "ok": "OKR", "окружающий": "OKR", "окр": "OKR",
    "bio": "BI", "bi": "BI", "биология": "BI", "био": "BI",
    "geo": "GEO", "география": "GEO", "гео": "GEO",
    "his": "HIST", "hist": "HIST", "история": "HIST", "ист": "HIST",
    "obsh": "OBSH", "obs": "OBSH", "soc": "OBSH", "обществознание": "OBSH", "общ": "OBSH",
    "fiz": "PHYS", "phys": "PHYS", "phy": "PHYS", "физика": "PHYS", "физ": "PHYS",
    "him": "CHEM", "chem": "CHEM", "хим": "CHEM", "химия": "CHEM",
    "inf": "INF", "информатика": "INF", "lit": "LIT", "литература": "LIT",
    "eng": "EN", "en": "EN", "английский": "EN", "анг": "EN", "англ": "EN",
    "nem": "DE", "deu": "DE", "de": "DE", "немецкий": "DE", "нем": "DE",
    "fra": "FR", "fr": "FR", "французский": "FR", "фр": "FR",
}
KIND_WORDS = {"vpr": "VPR", "впр": "VPR", "oge": "OGE", "огэ": "OGE", "ege": "EGE", "егэ": "EGE",
              "rpr": "RPR", "рпр": "RPR", "rdr": "RDR", "рдр": "RDR", "mpr": "MPR", "мпр": "MPR"}
YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")
GRADE_WORD = re.compile(r"(?<!\d)(1[01]|[1-9])\s*(?:-?\s*(?:й|ый|ой)\s*)?(?:класс|кл\b|кл\.|кл(?=[^а-я]|$))", re.IGNORECASE)
# «geo10», «ma4», «bio11.5», «vpr2021_rus5»: a subject code glued to its grade.
CODE_GRADE = re.compile(r"(?<![a-zа-я])([a-zа-я]{2,14}?)[_\-\s]?(1[01]|[4-9])(?:\.\d+)?(?!\d)", re.IGNORECASE)
WORD = re.compile(r"[a-zа-яё]+", re.IGNORECASE)
ARCHIVE_SKIP = ("__macosx/", ".ds_store", "thumbs.db", "~$")


class ArchiveError(Exception):
    """The archive itself cannot be read (not a zip, too large); a Russian message."""


@dataclass
class ArchiveFile:
    name: str  # the path inside the archive or folder, with «/»
    data: bytes

    @property
    def filename(self) -> str:
        return PurePosixPath(self.name).name


@dataclass(frozen=True)
class Identity:
    """What a file says about its procedure; None where it says nothing."""

    kind: str | None = None  # the kind's Latin slug: VPR, OGE…
    year: int | None = None
    subject: str | None = None  # the portal's subject code: MA, RU…
    grade: int | None = None

    def merged(self, other: "Identity") -> "Identity":
        """Own values first; the other fills the gaps."""
        return Identity(*(mine if mine is not None else theirs for mine, theirs in
                          zip((self.kind, self.year, self.subject, self.grade),
                              (other.kind, other.year, other.subject, other.grade))))

    def missing(self) -> list[str]:
        names = {"year": "год", "subject": "предмет", "grade": "класс"}
        return [title for name, title in names.items() if getattr(self, name) is None]


def is_table(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(TABLE_SUFFIXES) and not any(part in lowered for part in ARCHIVE_SKIP)


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """Windows archivers write Russian names in cp866 without the UTF-8 flag; zipfile then decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp866")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def zip_files(data: bytes, *, limit_bytes: int) -> list[ArchiveFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError("Архив не читается как zip: загрузите zip-архив или укажите папку с файлами.") from None
    members = [info for info in archive.infolist() if not info.is_dir() and is_table(zip_member_name(info))]
    total = sum(info.file_size for info in members)
    if total > limit_bytes:
        raise ArchiveError(f"Архив распаковывается в {total // 2 ** 20} МБ, больше допустимых "
                           f"{limit_bytes // 2 ** 20} МБ: разделите его на части.")
    try:
        return sorted((ArchiveFile(zip_member_name(info), archive.read(info)) for info in members), key=lambda f: f.name)
    except (zipfile.BadZipFile, RuntimeError, OSError) as exc:
        raise ArchiveError(f"Архив повреждён или зашифрован: {exc}.") from None


def folder_files(folder: Path, *, limit_bytes: int) -> list[ArchiveFile]:
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and is_table(p.relative_to(folder).as_posix()))
    total = sum(p.stat().st_size for p in paths)
    if total > limit_bytes:
        raise ArchiveError(f"Файлы папки занимают {total // 2 ** 20} МБ, больше допустимых {limit_bytes // 2 ** 20} МБ.")
    return [ArchiveFile(p.relative_to(folder).as_posix(), p.read_bytes()) for p in paths]


def archive_files(source: Path | bytes, *, limit_bytes: int) -> list[ArchiveFile]:
    """The table files of a zip (bytes or a path) or of a folder, with nested folders; sorted by name."""
    if isinstance(source, Path) and source.is_dir():
        return folder_files(source, limit_bytes=limit_bytes)
    data = source.read_bytes() if isinstance(source, Path) else source
    return zip_files(data, limit_bytes=limit_bytes)


def identity_from_text(text: str) -> Identity:
    """Kind, year, subject and grade named in a file name or a title line."""
    lowered = text.lower().replace("ё", "е")
    words = WORD.findall(lowered)
    kind = next((KIND_WORDS[w] for w in words if w in KIND_WORDS), None)
    years = YEAR.findall(lowered)
    subject, grade = subject_and_grade(lowered, words)
    return Identity(kind=kind, year=int(years[0]) if years else None, subject=subject, grade=grade)


def subject_and_grade(lowered: str, words: list[str]) -> tuple[str | None, int | None]:
    for match in CODE_GRADE.finditer(YEAR.sub(" ", lowered)):
        code = strip_kind(match.group(1))
        if code in SUBJECT_WORDS:
            return SUBJECT_WORDS[code], int(match.group(2))
    subject = next((SUBJECT_WORDS[w] for w in words if w in SUBJECT_WORDS), None)
    grade = GRADE_WORD.search(lowered)
    return subject, int(grade.group(1)) if grade else None


def strip_kind(code: str) -> str:
    """«vprma» from «vprma4» (no separator) → «ma»."""
    for kind in KIND_WORDS:
        if code.startswith(kind) and code[len(kind):] in SUBJECT_WORDS:
            return code[len(kind):]
    return code


def identity_from_cells(rows: list[list[str]]) -> Identity:
    """The protocol's textbook codes («bio11.5 | …») name subject and grade; upload dates («04.03.2022») the year;
    a title line above the header («ВПР 2021. Математика, 4 класс») names them all."""
    found = Identity()
    for row in rows[:12]:
        filled = [cell for cell in row if cell]
        if 0 < len(filled) <= 2 and not found.subject:  # a title line, not a header or a pupil's row (its textbook)
            found = found.merged(identity_from_text(" ".join(filled)))
    for row in rows[1:200]:
        for cell in row:
            if "|" in cell and not found.subject:
                found = found.merged(identity_from_text(cell.split("|", 1)[0]))
            date = re.search(r"\b\d{2}\.\d{2}\.(20[12]\d)\b", cell)
            if date and found.year is None:
                found = found.merged(Identity(year=int(date.group(1))))
    return found
