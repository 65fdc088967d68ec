"""Bulk JSON kept as written (`json`, not `jsonb`, on PostgreSQL) and derived rows without key checks in the
database: what still holds them together."""
from django.db import connection
import pytest

from assessments.models import ParticipantResult, Procedure
from assessments.stats import services
from assessments.stats.loading import load_procedure
from assessments.stats.models import Deficit, RiskPupil, StatisticRow
from rsoko.fields import TextJSONField
from tests.stats.factories import add_results, analysed_procedure, make_procedure


def column_type(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                       [table, column])
        return cursor.fetchone()[0]


def test_task_scores_and_statistics_are_plain_json_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores every JSON as text")
    assert column_type(ParticipantResult._meta.db_table, "task_scores") == "json"
    assert column_type(StatisticRow._meta.db_table, "data") == "json"
    assert column_type(ParticipantResult._meta.db_table, "not_attempted") == "jsonb"  # compared with =, stays jsonb


def test_plain_json_reads_back_as_python_values_through_the_orm_and_the_bulk_path(world):
    procedure = analysed_procedure(world)
    region = StatisticRow.objects.get(procedure=procedure, form="marks", level="region")
    assert isinstance(region.data, dict) and region.data["participants"] == 42
    tasks = StatisticRow.objects.get(procedure=procedure, form="tasks", level="region")
    assert isinstance(tasks.data, list) and [line["label"] for line in tasks.data] == ["1", "2", "3"]
    result = ParticipantResult.objects.filter(procedure=procedure).first()
    assert isinstance(result.task_scores, list) and len(result.task_scores) == 3
    assert load_procedure(procedure).task_scores.shape == (42, 3)


def test_a_value_written_by_the_orm_reads_back_equal(world):
    procedure = make_procedure(code="VPR-2021-MA-4-json")
    row = StatisticRow.objects.create(procedure=procedure, form="marks", level="region",
                                      data={"текст": "a/b\\c\t«»", "n": [1, None, 2.5]})
    assert StatisticRow.objects.get(pk=row.pk).data == {"текст": "a/b\\c\t«»", "n": [1, None, 2.5]}
    assert isinstance(StatisticRow._meta.get_field("data"), TextJSONField)


def test_a_procedure_deleted_while_its_figures_were_computed_gets_no_rows(world):
    procedure = make_procedure(code="VPR-2021-MA-4-gone")
    add_results(procedure, world.school_a1, 14, skill=0.6, seed=9)
    figures = services.procedure_figures(load_procedure(procedure))
    assert figures.rows
    Procedure.objects.filter(pk=procedure.pk).delete()
    services.procedure_store(procedure, figures)
    assert not StatisticRow.objects.filter(procedure_id=procedure.pk).exists()
    assert not RiskPupil.objects.filter(procedure_id=procedure.pk).exists()


def test_deleting_a_procedure_still_deletes_its_derived_rows(world):
    procedure = make_procedure(code="VPR-2021-MA-4-cascade")
    add_results(procedure, world.school_a1, 14, skill=0.3, seed=7)
    services.procedure_recompute(procedure_id=procedure.pk)
    assert StatisticRow.objects.filter(procedure=procedure).exists()
    assert RiskPupil.objects.filter(procedure=procedure).exists()
    procedure_id = procedure.pk
    procedure.delete()
    for model in (StatisticRow, RiskPupil, Deficit):
        assert not model.objects.filter(procedure_id=procedure_id).exists()
