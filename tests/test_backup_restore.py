"""A pg_dump backup restored into an empty database gives back the same statistics, row for row.

Runs on PostgreSQL (CI sets DATABASE_URL); on SQLite it is skipped, unless RSOKO_REQUIRE_SERVICES=1 makes
that a failure. The data is committed (transactional test) so that pg_dump, another process, sees it.
"""
import pytest
from django.db import connection

from assessments.stats.services import region_year_recompute
from monitoring.services import indicators_refresh
from rsoko import backup_check
from tests.builtin_rows import restore_builtin_rows
from tests.conftest import require_services
from tests.stats.conftest import stored_region

# What the pages, the API and the reports read: they must come back identical, and not empty.
PRECOMPUTED = ["stats_statisticrow", "stats_objectivitysign", "stats_objectivityindex", "stats_schoollistentry",
               "stats_riskpupil", "stats_deficit", "monitoring_indicatorvalue", "assessments_participantresult"]


def postgres_or_skip():
    problem = "" if connection.vendor == "postgresql" else "the database is not PostgreSQL (set DATABASE_URL)"
    problem = problem or (f"{backup_check.client_tools_missing()} not found (apt-get install postgresql-client)"
                          if backup_check.client_tools_missing() else "")
    if not problem:
        return
    if require_services():
        pytest.fail(f"RSOKO_REQUIRE_SERVICES=1 but the backup check cannot run: {problem}")
    pytest.skip(problem)


@pytest.fixture
def analysed_year():
    """ВПР 4 of 2020 and 2021 on 80 synthetic schools (two years: ШНОР needs both), with everything the
    recomputation stores."""
    postgres_or_skip()
    restore_builtin_rows()  # an earlier transactional test's flush removed the catalog and the criteria
    _, _, procedures = stored_region(years=(2020, 2021), grades=(4,))
    for year in (2020, 2021):
        region_year_recompute(year=year)
    indicators_refresh("2021")
    return procedures


@pytest.mark.django_db(transaction=True)
def test_a_restored_dump_holds_the_same_statistics_row_for_row(analysed_year, tmp_path):
    database = connection.settings_dict
    source = backup_check.fingerprints(database)
    empty = [table for table in PRECOMPUTED if source[table][0] == 0]
    assert not empty, f"nothing to compare in {empty}"
    restored_name = f"{database['NAME']}_restored"
    try:
        assert backup_check.dump(database, tmp_path / "rsoko.dump") > 0
        backup_check.restore(database, tmp_path / "rsoko.dump", restored_name)
        restored = backup_check.fingerprints(database, restored_name)
    finally:
        backup_check.drop(database, restored_name)
    assert backup_check.differences(source, restored) == []
    assert {key for key in source if key.startswith("sequence:")}, "sequences are compared as well"


def test_a_changed_row_is_reported_as_a_difference():
    source = {"stats_statisticrow": (3, "aa"), "sequence:stats_statisticrow_id_seq": (3,)}
    restored = {"stats_statisticrow": (3, "ab"), "sequence:stats_statisticrow_id_seq": (3,), "extra": (0, "")}
    assert backup_check.differences(source, restored) == [
        "extra: лишняя в восстановленной базе", "stats_statisticrow: (3, 'aa') ≠ (3, 'ab')"]
