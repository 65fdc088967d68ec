"""Real codifiers import: long КЭС lists are kept whole, and no database error ever reaches a user."""
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from assessments.catalog.services import codifier_import

from .factories import CODIFIER_HEADER, ProcedureFactory, subject, xlsx_bytes

LIMIT = 10 * 1024 * 1024


def row(label, position, max_score, kes="1", kt="1.1"):
    return [label, position, "Умение", "Блок", "Б", kes, kt, max_score]


def test_a_kes_list_over_200_characters_is_stored_whole(db):
    """ВПР обществознание 7 (2021): one task lists dozens of КЭС codes, one per codifier row."""
    procedure = ProcedureFactory(code="VPR-2021-OBSH-7", subject=subject("OBSH"), grade=7)
    codes = [f"{block}.{item}.{sub}" for block in range(1, 6) for item in range(1, 5) for sub in range(1, 4)]
    rows = [row("1", 1, 2, kes=code, kt=f"{code}.1") for code in codes] + [row("2", 2, 1)]
    tasks = codifier_import(actor=None, procedure=procedure, filename="obsh7.xlsx",
                            data=xlsx_bytes([CODIFIER_HEADER, *rows]), limit_bytes=LIMIT)
    first = procedure.tasks.get(position=1)
    assert len(first.kes_codes) > 200 and first.kes_codes == ", ".join(codes)
    assert len(first.kt_codes) > 200 and len(tasks) == 2


def test_a_field_beyond_its_limit_is_a_russian_message_and_nothing_is_written(db, tmp_path):
    procedure = ProcedureFactory()
    data = xlsx_bytes([CODIFIER_HEADER, row("1", 1, 1), row("17 (часть первая)", 2, 2)])
    with pytest.raises(ValidationError) as refused:
        codifier_import(actor=None, procedure=procedure, filename="k.xlsx", data=data, limit_bytes=LIMIT)
    assert refused.value.messages[0].startswith("Задание № 17 (часть первая) (строки 3), поле «№ в КИМ»:")
    assert not procedure.tasks.exists()
    path = tmp_path / "k.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Кодификатор не загружен:\nЗадание № 17"):
        call_command("import_codifier", str(path), "--procedure", procedure.code)
