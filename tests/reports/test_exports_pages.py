"""Every list page with a table answers ?export=xlsx|csv with its rows, scoped and formula-safe."""
import io

import pytest
from openpyxl import load_workbook

from tests.stats.factories import stored_statistics


def xlsx_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in book.active.iter_rows()]


@pytest.mark.parametrize("url, header", [
    ("/registry/municipalities/", "Муниципалитет"),
    ("/procedures/", "Код"),
    ("/analytics/", "Код"),
    ("/analytics/federal-list/", "Год"),
    ("/results/batches/", "Когда"),
])
def test_list_pages_export_their_table(world, client_for, url, header):
    stored_statistics(world)
    response = client_for("coordinator").get(url + "?export=xlsx")
    assert response.status_code == 200, url
    rows = xlsx_rows(response)
    assert rows[0][0] == header


def test_the_municipality_export_is_scoped(world, client_for):
    rows = xlsx_rows(client_for("coordinator").get("/registry/municipalities/?export=xlsx"))
    names = {row[0] for row in rows[1:]}
    assert world.mun_a.name in names and world.mun_b.name not in names


def test_the_procedure_overview_export_carries_the_dashboard_figures(world, client_for):
    procedure = stored_statistics(world)
    rows = xlsx_rows(client_for("ministry").get("/analytics/?export=xlsx"))
    line = next(row for row in rows if row[0] == procedure.code)
    assert line[2:5] == [42, 90.0, 60.0]
