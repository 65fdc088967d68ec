"""Complementary suppression: no withheld group can be recovered from any combination of public numbers.

The attack of issue 16: the region's published figures minus those of every shown municipality gave the one
hidden small municipality's count and marks exactly. These tests compute every difference an outsider can form.
"""
from itertools import chain, combinations

from hypothesis import assume, given, settings, strategies as st

from rsoko.public.suppression import MIN_PUBLIC_GROUP, complementary_hidden, suppress_small_groups
from tests.public.fixtures import computed_statistics

MARKS = ("2", "3", "4", "5")


def subsets(items):
    items = list(items)
    return chain.from_iterable(combinations(items, size) for size in range(len(items) + 1))


def disclosed_groups(sizes: list[int], total: int, hidden: set[int]) -> list[set]:
    """Every set of withheld groups that `total − Σ shown subset` isolates: alone, or with under 10 pupils."""
    remainder = total - sum(sizes)
    groups = {index: size for index, size in enumerate(sizes)} | ({"rest": remainder} if remainder > 0 else {})
    shown = set(groups) - hidden - {"rest"}
    found = []
    for subtracted in subsets(shown):
        left = set(groups) - set(subtracted)
        if left and left <= (hidden | {"rest"}):
            if len(left) == 1 or sum(groups[key] for key in left) < MIN_PUBLIC_GROUP:
                found.append(left)
    return found


def test_the_one_small_municipality_takes_the_next_smallest_with_it():
    assert complementary_hidden([65, 40, 7], total=112) == {1, 2}
    assert complementary_hidden([65, 40, 70], total=175) == set()  # nothing small: nothing withheld
    assert complementary_hidden([50, 3, 4, 30], total=87) == {1, 2, 3}  # 3 + 4 pupils would still be a small group
    assert complementary_hidden([50, 40], total=95) == {1}  # 5 pupils outside any municipality are a group too
    assert complementary_hidden([3, 4], total=7) == {0, 1}


@settings(max_examples=400, derandomize=True, database=None)
@given(sizes=st.lists(st.integers(min_value=1, max_value=80), min_size=1, max_size=7),
       outside=st.integers(min_value=0, max_value=15))
def test_no_difference_of_published_counts_isolates_a_withheld_group(sizes, outside):
    total = sum(sizes) + outside
    assume(total >= MIN_PUBLIC_GROUP)  # a smaller region publishes no figure at all (selectors.region_results)
    rows = suppress_small_groups([{"code": str(i), "participants": n} for i, n in enumerate(sizes)], total=total)
    hidden = {index for index, row in enumerate(rows) if row["suppressed"]}
    assert {i for i, n in enumerate(sizes) if n < MIN_PUBLIC_GROUP} <= hidden
    assert not disclosed_groups(sizes, total, hidden)


def test_every_difference_of_the_public_results_misses_the_hidden_municipalities(world, client):
    """Through the published JSON: participants and the count of each mark (share × participants)."""
    procedure = computed_statistics(world)
    data = client.get(f"/api/v1/public/results/{procedure.code}/").json()

    def counts(figures):
        return {"participants": figures["participants"]} | {
            mark: round(figures["marks"][mark] * figures["participants"] / 100) for mark in MARKS}

    region = counts(data["region"])
    shown = [counts(row) for row in data["municipalities"] if not row["suppressed"]]
    hidden_names = {row["name"] for row in data["municipalities"] if row["suppressed"]}
    assert "Бетинский городской округ" in hidden_names and len(hidden_names) == 2
    from assessments.stats.models import StatisticRow

    truth = [StatisticRow.objects.get(procedure=procedure, form="marks", level="municipality", municipality__name=name)
             for name in hidden_names]
    for subtracted in subsets(range(len(shown))):
        difference = {key: region[key] - sum(shown[i][key] for i in subtracted) for key in region}
        for row in truth:
            hidden = {"participants": row.participants} | {mark: row.data[f"count_{mark}"] for mark in MARKS}
            assert difference != hidden, f"the difference {difference} is the hidden {row.municipality.name}"
            assert difference["participants"] != row.participants
