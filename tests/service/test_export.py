"""Candidate lists exported as CSV and XLSX: the same candidates as the JSON list, with the
explanation in columns, as each reader may see them, and audit-logged as exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from service.export import COLUMNS, XLSX, to_csv


def read_csv(body: bytes) -> list[list[str]]:
    text = body.decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def as_list(client, world, token, **query):
    url = f"/v1/needs/{world.need_a}/candidates"
    return client.get(url, query_string={"limit": 5, **query}, headers=world.headers(token))


@pytest.mark.parametrize(
    ("how", "mimetype", "read"),
    [
        ({"headers": {"Accept": "text/csv"}}, "text/csv", read_csv),
        ({"query": {"format": "csv"}}, "text/csv", read_csv),
        ({"headers": {"Accept": XLSX}}, XLSX, read_xlsx),
        ({"query": {"format": "xlsx"}}, XLSX, read_xlsx),
    ],
)
def test_a_candidate_list_exports_the_same_ranking_with_its_explanation(
    client, world, how, mimetype, read
):
    listed = as_list(client, world, world.recruiter).get_json()["items"]
    headers = {**world.headers(world.recruiter), **how.get("headers", {})}
    url = f"/v1/needs/{world.need_a}/candidates"
    response = client.get(url, query_string={"limit": 5, **how.get("query", {})}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read(response.data)
    features = [f["name"] for f in listed[0]["explanation"]["features"]]
    assert header == [*COLUMNS, *(f"feature:{name}" for name in features)]
    assert [row[2] for row in rows] == [item["candidate"]["id"] for item in listed]
    for row, item in zip(rows, listed, strict=True):
        assert float(row[5]) == pytest.approx(item["score"])
        matched = item["explanation"]["matched_skills"]
        assert all(m["need_skill"] in row[9] for m in matched)
        by_feature = {f["name"]: f["contribution"] for f in item["explanation"]["features"]}
        for name, value in zip(features, row[len(COLUMNS) :], strict=True):
            assert float(value) == pytest.approx(by_feature[name])
    exports = world.store.audit_log(page=1, page_size=10, action="candidates.export").items
    assert exports[0]["target"] == f"need:{world.need_a}"
    assert exports[0]["detail"]["format"] == ("csv" if mimetype == "text/csv" else "xlsx")


@pytest.mark.parametrize("accept", [None, "application/json", "*/*", "text/html, */*;q=0.8"])
def test_json_stays_the_default(client, world, accept):
    headers = {"Accept": accept} if accept else {}
    url = f"/v1/needs/{world.need_a}/candidates"
    response = client.get(url, headers={**world.headers(world.recruiter), **headers})
    assert response.mimetype == "application/json"
    assert world.store.audit_log(page=1, page_size=10, action="candidates.export").total == 0


def test_a_company_never_exports_a_ranking(client, world):
    """A company reads the shortlists sent to it; the full ranking is not its to export."""
    assert as_list(client, world, world.token_a, format="csv").status_code == 403
    other = client.get(
        f"/v1/needs/{world.need_b}/candidates?format=csv", headers=world.headers(world.token_a)
    )
    assert other.status_code in (403, 404)
    assert world.store.audit_log(page=1, page_size=10, action="candidates.export").total == 0


def test_text_that_would_run_as_a_formula_is_written_as_text():
    header, row = read_csv(to_csv([["name", "score"], ["=HYPERLINK(1)", 0.5]]))
    assert row == ["'=HYPERLINK(1)", "0.5"]
