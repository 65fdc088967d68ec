"""Issue 17: analytics pages a coordinator or a school head opens when not every procedure has data there."""
import re

from assessments.stats.models import ObjectivitySign, StatisticRow

from .factories import add_results, analysed_procedure, make_procedure


def test_the_procedure_list_answers_when_a_procedure_has_no_data_in_the_users_area(world, client_for):
    analysed_procedure(world)
    elsewhere = make_procedure(code="VPR-2021-MA-5", year=2021)  # results only in the other municipality
    add_results(elsewhere, world.school_b1, 14, skill=0.6, seed=9)
    from assessments.stats.services import procedure_recompute

    procedure_recompute(procedure_id=elsewhere.pk)
    for persona in ("coordinator", "school_head"):
        page = client_for(persona).get("/analytics/")
        assert page.status_code == 200, persona
        assert "VPR-2021-MA-5" in [row["procedure"].code for row in page.context["rows"]], persona


def test_each_evidence_chart_of_a_school_draws_its_own_procedure(world, client_for):
    first = analysed_procedure(world)
    second = make_procedure(code="VPR-2021-MA-5", year=2021)
    for seed, school in enumerate((world.school_a1, world.school_a2, world.school_b1), start=20):
        add_results(second, school, 14, skill=0.4, seed=seed)
    from assessments.stats.services import procedure_recompute

    procedure_recompute(procedure_id=second.pk)
    for procedure in (first, second):
        ObjectivitySign.objects.update_or_create(
            year=2021, procedure=procedure, school=world.school_a1, criterion="official_mean_ci",
            defaults={"version": 1, "evaluated": True, "flagged": True, "explanation": "Пояснение"})
    assert StatisticRow.objects.filter(form="distribution", level="school", school=world.school_a1).count() == 2
    html = client_for("ministry").get(f"/analytics/objectivity/{world.school_a1.code}/").content.decode()
    charts = re.findall(r'data-chart="([^"]*)"', html)
    assert len(charts) == 2 and len(set(charts)) == 2 and all(c != "-data" for c in charts), charts
    for chart in charts:
        assert f'id="{chart}"' in html  # each chart finds its own options


def test_procedures_are_named_in_lists_not_coded(world, client_for):
    import re

    procedure = analysed_procedure(world)
    assert str(procedure) == procedure.name == "ВПР, математика, 4 класс, 2021"
    upload = client_for("coordinator").get("/results/upload/").content.decode()
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", upload)
    assert "ВПР, математика, 4 класс, 2021" in options and not any(o.startswith("VPR-") for o in options)


def test_planned_results_read_as_a_codifier_words_them_never_as_numbered_placeholders():
    from assessments.synthetic import DEFAULT_SPECS, generate_region

    region = generate_region(seed=1, n_schools=12, years=(2021,), specs=DEFAULT_SPECS[:2], planted_per_kind=0)
    skills = {skill for sp in region.procedures for skill in sp.tasks["skill"]}
    blocks = {block for sp in region.procedures for block in sp.tasks["block"]}
    assert not any(re.fullmatch(r"(Умение|Блок) \d+", text) for text in skills | blocks), skills | blocks
    assert "Писать текст под диктовку, соблюдая орфографические и пунктуационные нормы" in skills


def test_the_school_list_filter_is_named_in_russian_in_the_api_schema(world, client_for):
    schema = client_for("ministry").get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    words = re.findall(r"(?:description|title|summary)['\"]?:\s*['\"]?([^'\"\n]*)", schema)
    assert not [text for text in words if re.search(r"\bKinds?\b", text)], "«Kind» shown to API users"
