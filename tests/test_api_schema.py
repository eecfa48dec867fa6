"""Every response the API serves, checked against the schema it serves at /api/v1/openapi.json.

Real responses of every endpoint (lists, filtered lists, every detail, a bad page) on the demo data,
whose records have nulls where a field may be empty (a state with no parent, an organisation with
no state, a co-chair with no agency, a meeting held jointly with none, an item with no parent).
"""

import re

import pytest
from openapi_schema_validator import OAS30Validator

API = "/api/v1/"
ENDPOINTS = ["states", "organisations", "bodies", "meetings", "exercises", "workplan-items"]


@pytest.fixture
def spec(client):
    return client.get(API + "openapi.json").json()


def check(spec, client, url: str, path: str, status: int = 200) -> dict:
    """The response to `url` has `status` and validates against the schema of `path` for that status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    operation = spec["paths"][path]["get"]
    assert str(status) in operation["responses"], f"{path} does not document a {status}"
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    # The components travel with the schema, so its "#/components/..." references resolve.
    OAS30Validator({**schema, "components": spec["components"]}).validate(response.json())
    return response.json()


def detail_path(spec, endpoint: str) -> str:
    return next(p for p in spec["paths"] if re.fullmatch(rf"{API}{endpoint}/\{{\w+\}}/", p))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_response_of_an_endpoint_matches_the_served_schema(client, demo, spec, endpoint):
    listing = check(spec, client, f"{API}{endpoint}/?page_size=200", f"{API}{endpoint}/")
    assert listing["results"]
    for record in listing["results"]:
        check(spec, client, f"{API}{endpoint}/{record['id']}/", detail_path(spec, endpoint))
    check(spec, client, f"{API}{endpoint}/?page=999", f"{API}{endpoint}/", status=400)


def test_the_records_checked_have_nulls_where_the_schema_allows_them(client, demo, spec):
    states = client.get(f"{API}states/?page_size=200").json()["results"]
    organisations = client.get(f"{API}organisations/?page_size=200").json()["results"]
    bodies = client.get(f"{API}bodies/").json()["results"]
    meeting = client.get(f"{API}meetings/wgd-seventh-annual-meeting-2022/").json()
    assert any(s["parent_id"] is None for s in states)
    assert any(o["area_id"] is None for o in organisations)
    assert any(b["parent_id"] is None for b in bodies)
    assert meeting["joint_with"] is None
    assert all(c["agency_id"] is None for c in meeting["co_chairs"])


@pytest.mark.parametrize(
    "query,expected",
    [("format=hybrid", 1), ("format=virtual", 0), ("year=2022", 1), ("year=2022&format=hybrid", 1)],
)
def test_the_documented_meeting_filters_work_including_format(client, demo, spec, query, expected):
    payload = check(spec, client, f"{API}meetings/?{query}", f"{API}meetings/")
    assert payload["count"] == expected


def test_the_schema_documents_year_as_a_whole_number_and_format_as_a_filter(spec):
    parameters = {p["name"]: p for p in spec["paths"][f"{API}meetings/"]["get"]["parameters"]}
    assert parameters["year"]["schema"]["type"] == "integer"
    assert set(parameters["format"]["schema"]["enum"]) == {"in_person", "virtual", "hybrid"}
