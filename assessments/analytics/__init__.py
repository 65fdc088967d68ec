"""The computational core of result analytics: pure pandas/numpy/scipy functions, no ORM, no I/O.

The lead wires these functions to the database (precomputed tables), Celery and the pages; everything
here takes plain frames and returns tidy frames whose rows can be stored one-to-one.

Input contract (one procedure instance, present participants only)
------------------------------------------------------------------
``results`` — pandas DataFrame, one row per PRESENT participant:

    school_id        int
    municipality_id  int
    class_name       str    ("" when unknown; normalised by the upload pipeline)
    sex              str
    journal_mark     float  2–5, NaN when the journal has no mark
    primary_score    float  the stored primary score
    mark             float  2–5 by the procedure's scale, NaN for pass/fail kinds
    settlement_type  str    (context only)
    participant_code str    optional; needed only by ``risk.risk_group_pupils``

``task_scores`` — 2-D numpy int array (n_participants × n_tasks) aligned with the rows of ``results``
(row i of the array is row i of the frame, by position); column j is the task at ``tasks.iloc[j]``.
A not-attempted task («X») scores 0 here.

``tasks`` — DataFrame, one row per task in position order: ``position`` (int), ``label`` (str, as printed),
``max_score`` (int), ``level`` («Б»/«П»/«В»), ``skill`` (str), ``block`` (str).

``boundaries`` — the scale: first primary score of each mark, e.g. ``{"3": 6, "4": 10, "5": 15}``;
``max_score`` — the test's maximum primary score (int).

Cross-procedure rules (cohort 4 → 5, ШНОР) take per-school aggregates; see ``objectivity.cohort_frame``
and ``shnor.school_results``.

Group levels
------------
Every statistic takes ``level`` ∈ ``LEVELS`` = region, municipality, school, class. Output rows carry
``level`` and the key columns ``municipality_id``, ``school_id``, ``class_name`` (missing where the level
has no such key: region rows have none, municipality rows only ``municipality_id`` …).

Modules
-------
``contract``    ``check_inputs``: the input contract checked, Russian messages;
``statistics``  the seven forms (marks, journal comparison, distribution, tasks, planned results,
                tasks by mark group) and dynamics across years, with sample-size flags;
``objectivity`` signs of non-objective results: the official three, heaping at cut scores, raised
                marks, the region objectivity index and a calibrated evaluation with FDR control;
``shnor``       schools with low results and the bank of schools with high results;
``risk``        pupils below the basic level and subject deficits;
``assessments.synthetic`` a synthetic region with planted non-objective schools (tests, bench, demo).
"""
from .groups import LEVELS

SIGN_WORDING = "признаки необъективности, требующие дополнительного анализа"

__all__ = ["LEVELS", "SIGN_WORDING"]
