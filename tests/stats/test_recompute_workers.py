"""A region archive's recomputation in worker processes stores exactly what the serial one stores (PostgreSQL)."""
import multiprocessing
import threading
from types import SimpleNamespace

from django.db import connection, transaction
from django.test import override_settings
import pytest

from assessments.archive import archive_import
from assessments.models import Procedure
from assessments.stats import services
from assessments.stats.models import (Deficit, ObjectivityIndex, ObjectivitySign, RiskPupil, SchoolListEntry,
                                      StatisticRow)
from rsoko import workers
from tests.assessments.test_import_archive import as_files, region_archive
from tests.builtin_rows import restore_builtin_rows

pytestmark = pytest.mark.django_db(transaction=True)
TABLES = [StatisticRow, RiskPupil, Deficit, ObjectivitySign, ObjectivityIndex, SchoolListEntry]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the workers are forked only on PostgreSQL")
    restore_builtin_rows()  # a previous transactional test's flush removed the catalog


def stored() -> dict:
    """Every row of the recomputed tables without its id, in a fixed order: equal snapshots mean the same rows.
    (The workers store their procedures as they finish, so ids follow that order, not the serial one.)"""
    return {model.__name__: sorted((row | {"id": None} for row in model.objects.values()), key=repr)
            for model in TABLES}


def test_worker_processes_store_the_same_rows_as_the_serial_recomputation(world, monkeypatch):
    archive_import(actor=None, files=as_files(region_archive(world)))
    procedure_ids = list(Procedure.objects.filter(versions__isnull=False).distinct().values_list("pk", flat=True))
    assert len(procedure_ids) >= 3
    serial = services.procedures_recompute(procedure_ids=procedure_ids, processes=1)
    expected = stored()
    assert expected["StatisticRow"] and expected["ObjectivitySign"]

    pools = []
    in_workers = services.recompute_in_workers
    monkeypatch.setattr(services, "recompute_in_workers", lambda *args: pools.append(args[1]) or in_workers(*args))
    parallel = services.procedures_recompute(procedure_ids=procedure_ids, processes=2)
    assert pools == [2]
    assert parallel == serial
    assert stored() == expected
    connection.ensure_connection()  # the parent's session survived its workers' exit
    assert Procedure.objects.filter(pk__in=procedure_ids).count() == len(procedure_ids)


def test_workers_are_used_only_where_forking_is_safe(monkeypatch):
    with override_settings(WORKER_PROCESSES=2):
        monkeypatch.setattr(threading, "active_count", lambda: 1)
        assert workers.processes() == 2
        with transaction.atomic():  # workers would not see the uncommitted rows
            assert workers.processes() == 1
        monkeypatch.setattr(threading, "active_count", lambda: 3)  # a threaded server
        assert workers.processes() == 1
        monkeypatch.setattr(threading, "active_count", lambda: 1)
        monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
        assert workers.processes() == 1  # a Celery prefork child may not start processes
    monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=False))
    with override_settings(WORKER_PROCESSES=1):
        assert workers.processes() == 1


def test_results_files_read_by_worker_processes_equal_those_read_here(world, monkeypatch):
    """What the archive import stores comes from each file's ResultsRead: the workers' must equal the serial ones
    (a protocol with its registry rows, exports of 2020 and 2021, an unreadable file), in the same order."""
    import pandas as pd

    from assessments.archive import RESULTS, FileOutcome, Recognised, results_reader

    files = as_files(region_archive(world) | {"2021/vpr2021_ma5.xlsx": b"PK\x03\x04 not a workbook"})
    pending = [Recognised(file, FileOutcome(file.name, role=RESULTS)) for file in files
               if "codifier" not in file.name.lower() and "одификатор" not in file.name and "/" in file.name]
    assert len(pending) == 5
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    pools, pool = [], workers.worker_pool
    monkeypatch.setattr(workers, "worker_pool", lambda count: pools.append(count) or pool(count))
    reads = {}
    for count in (1, 2):
        with override_settings(WORKER_PROCESSES=count), results_reader(pending) as reader:
            reads[count] = [next(reader) for _ in pending]
    for serial, forked in zip(reads[1], reads[2]):
        assert (serial.error, serial.layout_errors) == (forked.error, forked.layout_errors)
        assert (serial.raw is None) == (forked.raw is None)
        if serial.raw is not None:
            pd.testing.assert_frame_equal(serial.raw.frame, forked.raw.frame)
            assert serial.raw.cells.tolist() == forked.raw.cells.tolist()
            assert ([serial.raw.format, serial.raw.header, serial.raw.tasks, serial.raw.columns, serial.raw.warnings]
                    == [forked.raw.format, forked.raw.header, forked.raw.tasks, forked.raw.columns, forked.raw.warnings])
        assert serial.registry_sheets == forked.registry_sheets
    assert pools == [2]
    assert sum(bool(r.error) for r in reads[2]) == 1
    assert any(r.registry_sheets for r in reads[2])

