"""The ministry loads official scales from its own table: each row with its source, bad rows reported."""
from django.core.management import call_command
from django.core.management.base import CommandError
import pytest

from assessments.models import Procedure, ReferenceScale

HEADER = "Вид;Год;Предмет;Класс;Максимальный балл;«3» с;«4» с;«5» с;Источник\n"


def load(tmp_path, text, *args):
    path = tmp_path / "scales.csv"
    path.write_bytes(text.encode("utf-8"))
    call_command("import_reference_scales", str(path), *args)


def test_rows_load_bad_ones_are_named_and_the_scale_is_applied_by_default(db, tmp_path, capsys):
    load(tmp_path, HEADER
         + "ВПР;2022;Математика;4;20;6;10;15;ФИОКО, рекомендации ВПР-2022\n"
         + "ВПР;2021;MA;4;20;6;10;15;ФИОКО, ВПР-2021\n"
         + "ВПР;2022;Русский язык;4;38;14;24;40;ФИОКО\n"
         + "ВПР;2022;Биология;5;29;12;18;24;\n")
    out = capsys.readouterr().out
    assert "Эталонных шкал: добавлено 1, обновлено 1, без изменений 0. Строк с ошибками — 2" in out
    assert "Лист «scales», строка 4: Отметка «5» начинается с 40 баллов, а максимальный первичный балл — 38." in out
    assert "строка 5, столбец «Источник»: не заполнен." in out
    assert ReferenceScale.objects.get(year=2022, subject__code="MA", grade=4).source == "ФИОКО, рекомендации ВПР-2022"
    call_command("add_procedure", "--kind", "ВПР", "--year", "2022", "--subject", "MA", "--grade", "4")
    assert Procedure.objects.get(code="VPR-2022-MA-4").scale.boundaries == {"3": 6, "4": 10, "5": 15}


def test_an_unknown_header_is_explained(db, tmp_path):
    with pytest.raises(CommandError, match="Не найдена строка заголовка"):
        load(tmp_path, "a;b\n1;2\n")
