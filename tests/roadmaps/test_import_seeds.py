"""The four seed documents import with every item, number and deadline intact (skipped when ../shared is absent)."""
from pathlib import Path

import pytest
from django.core.management import call_command
import json
import io

from roadmaps.default_aliases import install_default_aliases
from roadmaps.choices import ExecutorMatch, RoadmapLevel
from roadmaps.importing import clean
from roadmaps.models import Assignment, Item, Roadmap
from tests.factories import MunicipalityFactory, MunicipalOfficeFactory

# ../shared beside the repository (main checkout), or two levels up from a worktree (/work/wt/<name>).
SEEDS = next((p / "shared" / "seeds" for p in Path(__file__).resolve().parents[2].parents
              if (p / "shared" / "seeds").is_dir()), Path("/nonexistent"))


def seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed document {name} is not available (../shared/seeds)")
    return path


def numbers(*groups):
    return [n for group in groups for n in group]


def section(head: int, count: int, sub: dict | None = None) -> list[str]:
    """«1.», «1.1.», … «1.count.» with sub-items after the item they belong to."""
    rows = [f"{head}."]
    for n in range(1, count + 1):
        rows.append(f"{head}.{n}.")
        rows += [f"{head}.{n}.{k}." for k in range(1, (sub or {}).get(n, 0) + 1)]
    return rows


BELGOROD_2020 = numbers(section(1, 1, {1: 4}), section(2, 21), section(3, 5))
BELGOROD_2024 = numbers(section(1, 4), section(2, 7), section(3, 6), section(4, 6))
VLADIMIR_2019 = [f"{n}." for n in range(1, 20)]
BALASHOV_2020 = numbers(section(1, 8, {8: 3}), section(2, 2, {1: 2, 2: 4}), section(3, 3, {1: 3, 2: 6, 3: 1}),
                        section(4, 7, {6: 3}), section(5, 6), section(6, 3, {1: 2, 2: 2, 3: 2}), section(7, 4),
                        section(8, 7))

# file, level, owner code (None → the ministry), numbers, sections, parsed, unparsed, missing, unmatched executors
CASES = [
    ("000_7971cff9ff8f48e4.txt", "region", None, BELGOROD_2020, 3, 31, 0, 3, ["ОГБУ «БРЦ ПМСС»"]),
    ("002_14bfe9cc178f1ed1.txt", "region", None, BELGOROD_2024, 4, 23, 0, 4, []),
    ("003_9730945c631e90e3.txt", "region", None, VLADIMIR_2019, 0, 19, 0, 0, []),
    ("004_48d9fda6711cc5cc.txt", "municipality", "mouo_a", BALASHOV_2020, 17, 58, 1, 17,
     ["МКУ «Центр информационно-методического",
      "МКУ «Центр информационно-методического сопровождения ОУ Балашовского района»",
      "МКУ «Центр информационно-методического сопровождения ОУ Балашовского района», общеобразовательные"]),
]


VLADIMIR_PLACES = ["округ Муром", "город Ковров", "ЗАТО город Радужный", "Гороховецкий район", "Юрьев-Польский район"]


@pytest.fixture
def vladimir_offices(world):
    """The Vladimir districts the 2019 plan names, each with its education office, by municipality name."""
    return {name: MunicipalOfficeFactory(municipality=MunicipalityFactory(region=world.region, name=name))
            for name in VLADIMIR_PLACES}


def run_import(path, level, owner_code):
    install_default_aliases()  # a transactional test earlier in the session may have flushed the migration's rows
    out = io.StringIO()
    args = [str(path), "--level", level, "--json"] + (["--owner", owner_code] if owner_code else [])
    call_command("import_roadmap", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name,level,owner,expected_numbers,sections,parsed,unparsed,missing,unmatched", CASES,
                         ids=[c[0] for c in CASES])
def test_seed_document_imports_every_row(world, vladimir_offices, name, level, owner, expected_numbers, sections, parsed, unparsed,
                                         missing, unmatched):
    owner_code = getattr(world, owner).code if owner else None
    report = run_import(seed(name), level, owner_code)
    assert report["items"] == len(expected_numbers)
    assert report["numbers"] == expected_numbers
    assert report["sections"] == sections
    assert (report["deadlines_parsed"], report["deadlines_unparsed"], report["deadlines_missing"]) == (parsed, unparsed, missing)
    assert report["unmatched_executors"] == unmatched
    roadmap = Roadmap.objects.get(pk=report["roadmap_id"])
    assert list(roadmap.items.order_by("position").values_list("number", flat=True)) == expected_numbers
    assert roadmap.items.filter(deadline_kind="unparsed").count() == unparsed
    # a sub-header («2.1 …» with neither deadline nor executor, heading sub-items) is a section, never an item
    assert not roadmap.items.filter(is_section=False, deadline_text="", executors_text="", children__isnull=False).exists()
    assert not Assignment.objects.filter(item__roadmap=roadmap, item__is_section=True).exists()
    source = clean(seed(name).read_text(encoding="utf-8"))
    for item in roadmap.items.all():  # every deadline kept verbatim (measures broken across pages are joined)
        assert item.deadline_text in source


def test_belgorod_2020_reads_the_document_and_its_deadlines(world):
    report = run_import(seed("000_7971cff9ff8f48e4.txt"), "region", None)
    roadmap = Roadmap.objects.get(pk=report["roadmap_id"])
    assert (roadmap.order_number, str(roadmap.order_date), roadmap.period_first_year, roadmap.period_academic) == \
        ("1039", "2020-04-16", 2020, False)
    assert roadmap.owner == world.ministry_org and roadmap.level == RoadmapLevel.REGION
    item = roadmap.items.get(number="1.1.4.")
    assert item.deadline_text == "Март-апрель 2020 г.г." and str(item.deadline_end) == "2020-04-30"
    assert item.parent.number == "1.1." and item.parent.parent.number == "1."
    assert roadmap.items.get(number="2.12.").deadline_kind == "date"
    assert roadmap.items.get(number="2.11.").deadline_recurrence == "quarterly"
    # «Департамент, БелЦОКО БелИРО»: the ministry, the centre and the institute, each once
    executors = roadmap.items.get(number="1.1.1.").executors.all()
    assert {e.organization for e in executors} == {world.ministry_org, world.centre, world.institute}
    # «БелРЦОКО, МОУО, ОО»: the centre plus every municipal office; schools stay a group
    item = roadmap.items.get(number="2.9.")
    assert set(Assignment.objects.filter(item=item).values_list("organization__code", flat=True)) == \
        {world.centre.code, world.mouo_a.code, world.mouo_b.code}
    assert item.executors.get(group_kind="school").match == ExecutorMatch.GROUP


def test_vladimir_2019_assigns_the_named_districts_only(world, vladimir_offices):
    report = run_import(seed("003_9730945c631e90e3.txt"), "region", None)
    offices = {name: office.pk for name, office in vladimir_offices.items()}

    def assigned(number):
        return set(Assignment.objects.filter(item__roadmap_id=report["roadmap_id"], item__number=number)
                   .values_list("organization_id", flat=True))
    # «МОУО о.Муром, г.Ковров»: those two offices, not every office of the region
    assert assigned("13.") == {offices["округ Муром"], offices["город Ковров"]}
    # «ЗАТО г.Радужный Гороховецкий район Юрьев-Польский район»: three districts in one cell
    assert assigned("7.") == {offices["ЗАТО город Радужный"], offices["Гороховецкий район"],
                              offices["Юрьев-Польский район"]}
    # «МОУО» alone is still every office
    assert len(assigned("19.") & set(offices.values())) == 5


def test_vladimir_2019_unknown_districts_are_reported_not_widened(world):
    report = run_import(seed("003_9730945c631e90e3.txt"), "region", None)
    assert report["unmatched_executors"] == ["Гороховецкий район", "ЗАТО г.Радужный", "Юрьев-Польский район",
                                             "г.Ковров", "о.Муром"]
    item = Item.objects.get(roadmap_id=report["roadmap_id"], number="13.")
    assert not item.assignments.filter(organization__kind="mouo").exists()


def test_vladimir_2019_keeps_people_as_text_and_continues_broken_rows(world):
    report = run_import(seed("003_9730945c631e90e3.txt"), "region", None)
    roadmap = Roadmap.objects.get(pk=report["roadmap_id"])
    assert roadmap.period_academic and roadmap.period_first_year == 2019
    item = roadmap.items.get(number="3.")
    assert item.executors_text.endswith("Г.В. Бирюкова")
    assert item.expected_result.endswith("муниципалитетах и школах по списку Рособнадзора")
    people = list(item.executors.filter(match=ExecutorMatch.PERSON).values_list("text", "organization"))
    # each official is linked to the body written before the name: the department, the centre (РИАЦОКО)
    assert people == [("А.П.Червоннова", world.ministry_org.pk), ("Г.В. Бирюкова", world.centre.pk)]
    andreeva = roadmap.items.get(number="16.").executors.get(match=ExecutorMatch.PERSON)
    assert (andreeva.text, andreeva.organization) == ("В.В.Андреева", world.institute)
    assert roadmap.items.get(number="17.").deadline_kind == "quarter"


def test_balashov_typo_in_the_year_is_unparsed_not_guessed(world):
    report = run_import(seed("004_48d9fda6711cc5cc.txt"), "municipality", world.mouo_a.code)
    item = Item.objects.get(roadmap_id=report["roadmap_id"], number="6.1.1.")
    assert (item.deadline_kind, item.deadline_text, item.deadline_end) == ("unparsed", "202/2021 учебный год", None)
    # «Управление образования» in a municipal roadmap is the owner itself
    assert Assignment.objects.filter(item__roadmap_id=report["roadmap_id"]).exclude(organization=world.mouo_a).count() == 0


def test_belgorod_2024_bare_months_before_the_order_are_next_year(world):
    """The order is of 4 September 2024: «июль-август» and «февраль» without a year mean 2025, and say so."""
    report = run_import(seed("002_14bfe9cc178f1ed1.txt"), "region", None)
    item = Item.objects.get(roadmap_id=report["roadmap_id"], number="2.7.")
    assert (str(item.deadline_start), str(item.deadline_end)) == ("2025-07-01", "2025-08-31")
    assert "следующему году" in item.deadline_note
    february = Item.objects.get(roadmap_id=report["roadmap_id"], number="3.4.")
    assert (str(february.deadline_start), str(february.deadline_end)) == ("2025-02-01", "2025-02-28")
    # «август-сентябрь» runs across the order's date: kept in 2024 and flagged for a person to check
    straddling = Item.objects.get(roadmap_id=report["roadmap_id"], number="4.1.")
    assert str(straddling.deadline_end) == "2024-09-30" and "раньше даты приказа" in straddling.deadline_note
    # «сентябрь-октябрь» after the order needs nothing
    assert Item.objects.get(roadmap_id=report["roadmap_id"], number="4.5.").deadline_note == ""
    assert [e["number"] for e in report["deadlines_to_check"]] == ["2.7.", "3.2.", "3.4.", "4.1.", "4.4."]


def test_belgorod_2024_officials_belong_to_the_ministry(world):
    report = run_import(seed("002_14bfe9cc178f1ed1.txt"), "region", None)
    item = Item.objects.get(roadmap_id=report["roadmap_id"], number="1.3.")
    people = list(item.executors.filter(match=ExecutorMatch.PERSON).values_list("text", "organization"))
    assert people == [("Клименченко Е.Н.", world.ministry_org.pk), ("Шейченко М.С.", world.ministry_org.pk)]


def test_balashov_sub_headers_are_sections(world):
    report = run_import(seed("004_48d9fda6711cc5cc.txt"), "municipality", world.mouo_a.code)
    assert report["sub_sections"] == ["2.1.", "2.2.", "3.1.", "3.2.", "3.3.", "4.6.", "6.1.", "6.2.", "6.3."]
    sub = Item.objects.get(roadmap_id=report["roadmap_id"], number="2.1.")
    assert sub.is_section and sub.children.count() == 2 and not sub.assignments.exists()
