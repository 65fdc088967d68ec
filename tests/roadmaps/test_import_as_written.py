"""Roadmaps import as written: sub-headers are sections, named districts narrow «МОУО», officials belong to a body,
a month without a year before the order is next year. Fixtures copy the seed orders' layouts (tabs, numbering)."""
from datetime import date

import pytest

from roadmaps.deadlines import Kind, after_order, parse_deadline, Period
from roadmaps.default_aliases import install_default_aliases
from roadmaps.executors import find_places
from roadmaps.importing import parse_text
from roadmaps.models import Assignment, Item
from roadmaps.services import roadmap_import, roadmap_import_preview
from tests.factories import MunicipalityFactory, MunicipalOfficeFactory

# Balashov 2020 layout: a municipal order, sub-headers «2.1.» with neither deadline nor executor
BALASHOV_LIKE = """Приказ

01.10.2020г.

№317

ДОРОЖНАЯ КАРТА
по организации мероприятий в 2020/2021 учебном году

№ п/п\tМероприятия\tСроки\tОтветственные исполнители
1.\tМероприятия по ОКО в 2020/2021 учебном году\t\t
1.1.\tВПР в 5-9 классах\t14 сентября – 12 октября 2020 года\tУправление образования ОО
2.\tНормативно-правовое обеспечение\t\t
2.1.\tРазработка и утверждение Положений, Порядков\t\t
2.1.1.\tМуниципальная дорожная карта по оказанию помощи ШНОР\tОктябрь 2020\tУправление образования
2.1.2.\tДорожная карта по развитию муниципальной системы\tсентябрь 2020 года\tУправление образования
2.2.\tПодготовка справки без срока\t\t
"""

# Vladimir 2019 layout: districts and officials in the executors' cell
VLADIMIR_LIKE = """План мероприятий по обеспечению объективности на 2019-2020 учебный год

<i>№ п/ п</i>\t<i>Наименование мероприятия</i>\t<i>Сроки исполнения</i>\t<i>Ответственный исполнитель</i>\t<i>Ожидаемый результат</i>
1.\tПроверка результатов ВПР\tДо 20 сентября 2019 года\tГБУ ВО РИАЦОКО, Г.В. Бирюкова\tУточнение
2.\tТиражирование опыта районов\tОктябрь 2019 года\tЗАТО г.Радужный Гороховецкий район Юрьев-Польский район\tОпыт
3.\tТиражирование опыта помощи школам\tДекабрь 2019года\tМОУО о.Муром, г.Ковров\tОпыт
4.\tИнформационные письма\tВ течение года\tМОУО\tПисьма
5.\tПодготовка приказа\tМарт 2020года\tЗаместитель директора департамента образования - Запруднова Е.В.\tПриказ
"""

# Belgorod 2024 layout: the order of 4 September, a plan «на 2024 год» with months written without a year
BELGOROD_LIKE = """ПРИКАЗ

«04» сентября 2024 года

№ 294

Комплекс мероприятий, на 2024 год

№ п/п\tМероприятия\tОтветственные за проведение мероприятий\tСроки проведения мероприятий
1.\tМеры по объективности\t\t
1.1.\tАнализ результатов ГИА\tМухартов А.А., Чаусова Т.В., МОУО, ОО\tиюль-август
1.2.\tИнструктивное письмо\tШейченко М.С.\tфевраль
1.3.\tДекомпозиция результатов\tКлименченко Е.Н.\tавгуст-сентябрь
1.4.\tМетодические рекомендации\tШейченко М.С.\tсентябрь-октябрь
1.5.\tКонференция\tКлименченко Е.Н.\tмарт 2025 года
"""


def test_sub_headers_with_sub_items_are_sections_and_a_bare_leaf_stays_an_item():
    document = parse_text(BALASHOV_LIKE)
    kinds = {row.number: row.is_section for row in document.rows}
    assert kinds == {"1.": True, "1.1.": False, "2.": True, "2.1.": True, "2.1.1.": False, "2.1.2.": False,
                     "2.2.": False}


def test_places_are_read_and_genitive_names_inside_a_title_are_not():
    assert [p[2] for p in find_places("ЗАТО г.Радужный Гороховецкий район Юрьев-Польский район")] == \
        ["Радужный", "Гороховецкий", "Юрьев-Польский"]
    assert [p[2] for p in find_places("МОУО о.Муром, г.Ковров")] == ["Муром", "Ковров"]
    assert find_places("МКУ «Центр сопровождения ОУ Балашовского района»") == []
    assert find_places("А.П.Червоннова") == []


@pytest.mark.parametrize("text,order,expected_end,note", [
    ("февраль", date(2024, 9, 4), date(2025, 2, 28), "следующему году"),
    ("июль-август", date(2024, 9, 4), date(2025, 8, 31), "следующему году"),
    ("август-сентябрь", date(2024, 9, 4), date(2024, 9, 30), "раньше даты приказа"),
    ("сентябрь-октябрь", date(2024, 9, 4), date(2024, 10, 31), ""),
    ("февраль 2024 года", date(2024, 9, 4), date(2024, 2, 29), ""),  # a written year is never moved
    ("15 марта", date(2024, 9, 4), date(2025, 3, 15), "следующему году"),
    ("в течение года", date(2024, 9, 4), date(2024, 12, 31), ""),
])
def test_a_month_without_a_year_before_the_order(text, order, expected_end, note):
    deadline = after_order(parse_deadline(text, Period(2024)), order)
    assert deadline.end == expected_end
    assert (note in deadline.note) if note else deadline.note == ""


def test_without_an_order_date_nothing_moves():
    deadline = after_order(parse_deadline("февраль", Period(2024)), None)
    assert deadline.end == date(2024, 2, 29) and deadline.note == ""
    assert after_order(parse_deadline("202/2021 учебный год", Period(2020, True)), date(2020, 10, 1)).kind == Kind.UNPARSED


def import_text(text, level="region", owner=None):
    install_default_aliases()
    preview = roadmap_import_preview(name="plan.txt", data=text.encode("utf-8"), level=level, owner=owner)
    return preview, roadmap_import(preview=preview)


def test_balashov_layout_imports_sub_headers_without_assignments(world):
    preview, roadmap = import_text(BALASHOV_LIKE, "municipality", world.mouo_a)
    assert preview.report()["sub_sections"] == ["2.1."]
    sub = roadmap.items.get(number="2.1.")
    assert sub.is_section and not sub.assignments.exists() and sub.children.count() == 2
    assert roadmap.items.get(number="2.2.").is_section is False  # no sub-items: an item missing its deadline


def test_vladimir_layout_assigns_named_districts_and_links_officials(world):
    offices = {name: MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name=name))
               for name in ["округ Муром", "город Ковров", "ЗАТО город Радужный", "Гороховецкий район",
                            "Юрьев-Польский район"]}
    preview, roadmap = import_text(VLADIMIR_LIKE)
    assert preview.report()["unmatched_executors"] == []

    def assigned(number):
        return set(Assignment.objects.filter(item__roadmap=roadmap, item__number=number)
                   .values_list("organization__municipality__name", flat=True))
    assert assigned("3.") == {"округ Муром", "город Ковров"}
    assert assigned("2.") == {"ЗАТО город Радужный", "Гороховецкий район", "Юрьев-Польский район"}
    assert len(assigned("4.")) == 7  # «МОУО» alone: all offices (two of the world and five above)
    person = Item.objects.get(roadmap=roadmap, number="1.").executors.get(match="person")
    assert person.organization == world.centre
    deputy = Item.objects.get(roadmap=roadmap, number="5.").executors.get(match="person")
    assert (deputy.text, deputy.organization) == ("Запруднова Е.В.", world.ministry_org)
    assert offices  # used above by name


def test_a_town_is_its_own_district_and_two_equal_candidates_are_not_guessed(world):
    MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name="город Ковров"))
    MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name="Ковровский район"))
    MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name="округ Муром"))
    MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name="Муромский округ (Муром)"))
    preview, roadmap = import_text(VLADIMIR_LIKE)
    assert "о.Муром" in preview.report()["unmatched_executors"]
    # «г.Ковров» is the town, not «Ковровский район»; which Муром is meant is not guessed
    assert set(Assignment.objects.filter(item__roadmap=roadmap, item__number="3.")
               .values_list("organization__municipality__name", flat=True)) == {"город Ковров"}


def test_belgorod_layout_moves_bare_months_after_the_order_and_shows_the_note(world, client_for):
    preview, roadmap = import_text(BELGOROD_LIKE)
    assert [e["number"] for e in preview.report()["deadlines_to_check"]] == ["1.1.", "1.2.", "1.3."]
    item = roadmap.items.get(number="1.2.")
    assert (item.deadline_end, item.executors.get().organization) == (date(2025, 2, 28), world.ministry_org)
    assert roadmap.items.get(number="1.5.").deadline_end == date(2025, 3, 31)
    page = client_for("ministry").get(f"/roadmaps/{roadmap.pk}/").content.decode()
    assert "отнесён к следующему году" in page
    api = client_for("ministry").get(f"/api/v1/roadmap-items/{item.pk}/").json()
    assert "следующему году" in api["deadline"]["note"]
