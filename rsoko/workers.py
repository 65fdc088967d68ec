"""Worker processes for the heavy, independent steps of a large job (a region's archive: reading its files, and
each procedure's analytics), so both cores of the server work. The results are handed back in the order of the
inputs: the archive's files are checked and stored by the caller in that order. A procedure's analytics are stored
by the worker itself, in a transaction of its own (each worker has its own database session).

Forking is safe only in some processes, so `processes()` falls back to one (the caller then runs serially):
- PostgreSQL only: SQLite's file locks and the test databases in memory do not survive a fork;
- not inside a transaction: the workers have connections of their own and would not see uncommitted rows;
- not in a Celery prefork child: it is a daemonic process, which may not start children (so the web upload of an
  archive goes to the `heavy` queue, whose worker runs tasks in its main process with the solo pool:
  settings.HEAVY_JOB_QUEUE, docker-compose's worker-heavy);
- not in a multi-threaded process (gunicorn's threads, an eager Celery task inside a web request): a fork copies
  locks other threads may hold.
`WORKER_PROCESSES=1` turns the workers off everywhere.
"""
from contextlib import contextmanager
import multiprocessing
import multiprocessing.util
import threading

from django.conf import settings
from django.db import connection, connections

# The parent's database connections as the fork copied them: kept referenced (never closed or freed) in the
# child, since closing one would end the parent's session on the shared socket. Workers leave through os._exit.
INHERITED: list = []


def processes() -> int:
    wanted = getattr(settings, "WORKER_PROCESSES", 1)
    if (wanted < 2 or connection.vendor != "postgresql" or connection.in_atomic_block
            or multiprocessing.current_process().daemon or threading.active_count() > 1):
        return 1
    return wanted


def forget_inherited_connections() -> None:
    """Runs first in each worker: every alias opens a connection of its own when first used, and the worker
    closes its own connections when the pool lets it go (not the inherited ones: see INHERITED)."""
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None:
            INHERITED.append(wrapper.connection)
            wrapper.connection = None
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


@contextmanager
def worker_pool(count: int):
    """A pool of `count` forked workers (the parent's imports and settings without pickling them)."""
    pool = multiprocessing.get_context("fork").Pool(count, initializer=forget_inherited_connections)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def ordered(pool, function, items: list, ahead: int):
    """function(item) for each item, computed by the pool and yielded in the items' order; at most `ahead`
    results wait at a time (a region's parsed files would not all fit in memory at once)."""
    pending = []
    for item in items:
        pending.append(pool.apply_async(function, (item,)))
        if len(pending) > ahead:
            yield pending.pop(0).get()
    for result in pending:
        yield result.get()
