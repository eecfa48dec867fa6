"""Scoring the parser against a corpus of statements with their expected facts (tests/import_corpus).

The rule (also in the corpus's README and at the top of scripts/import_eval.py):
- Only the keys an expected file gives are checked; a key it leaves out is not. `null` means "the
  statement does not say", and a parser that reads something there has invented it.
- A single value (body, kind, number, a date, format, venue, a declared count) is one check: right
  when equal, missed when the parser gave nothing, wrong when it gave another value (an invented
  venue when the statement names none, or names another).
- A list of parties (states, organisations, observers) is one check per expected name (right or
  missed) plus one per name the parser added (invented). Co-chairs the same, and their order must
  match as well: one more check, right when the found co-chairs are in the statement's order.
- Exercises and work-plan items: one check for how many there are, then one per given key of each.
- `unresolved`: one check per expected name, right when the draft reports it (whole) in `unresolved`.
- `flags`: one check per expected flag plus one per extra flag; `inferred`: one check per key.
The score is right / checked over the whole corpus.
"""

from dataclasses import dataclass, field

SCALARS = ("body",)
MEETING_SCALARS = ("kind", "number", "start_date", "end_date", "dates", "format", "venue_city", "venue_country")
COUNTS = ("participants", "states", "organisations")
PARTY_LISTS = ("states", "organisations", "observers", "joint_bodies")
INVENTION_WATCHED = {"co_chairs", "observers", "venue_city", "venue_country"}


@dataclass
class FieldResult:
    field: str
    right: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)  # (expected, got) for a value; the extra names for a list

    @property
    def checked(self) -> int:
        return self.right + len(self.missed) + len(self.wrong)


@dataclass
class StatementResult:
    name: str
    fields: list = field(default_factory=list)
    refused: bool = False

    @property
    def right(self) -> int:
        return sum(f.right for f in self.fields)

    @property
    def checked(self) -> int:
        return sum(f.checked for f in self.fields)

    def invented(self, name: str) -> list:
        return [w for f in self.fields if f.field == name for w in f.wrong if _is_invention(f, w)]


def _is_invention(result: FieldResult, wrong) -> bool:
    if isinstance(wrong, tuple):  # a single value: invented when it was not the expected one and not empty
        return wrong[1] is not None
    return True  # an extra name in a list


def _value(result: FieldResult, expected, got) -> FieldResult:
    if expected == got:
        result.right += 1
    elif got is None or got == []:
        result.missed.append(expected)
    else:
        result.wrong.append((expected, got))
    return result


def _names(result: FieldResult, expected: list, got: list) -> FieldResult:
    for name in expected:
        if name in got:
            result.right += 1
        else:
            result.missed.append(name)
    result.wrong.extend(name for name in got if name not in expected)
    return result


def score(name: str, expected: dict, got: dict) -> StatementResult:
    """Compare one draft's to_json() with its expected facts."""
    out = StatementResult(name)
    fields = out.fields
    for key in SCALARS:
        if key in expected:
            fields.append(_value(FieldResult(key), expected[key], got.get(key)))
    meeting, got_meeting = expected.get("meeting", {}), got.get("meeting", {})
    for key in MEETING_SCALARS:
        if key in meeting:
            fields.append(_value(FieldResult(key), meeting[key], got_meeting.get(key)))
    for key in COUNTS:
        if key in meeting.get("declared_counts", {}):
            fields.append(
                _value(
                    FieldResult(f"declared_{key}"),
                    meeting["declared_counts"][key],
                    got_meeting.get("declared_counts", {}).get(key),
                )
            )
    if "co_chairs" in expected:
        result = _names(FieldResult("co_chairs"), expected["co_chairs"], got.get("co_chairs", []))
        found = [c for c in got.get("co_chairs", []) if c in expected["co_chairs"]]
        order = FieldResult("co_chairs_order")
        _value(order, [c for c in expected["co_chairs"] if c in found], found)
        fields.extend([result, order])
    for key in PARTY_LISTS:
        if key in expected:
            fields.append(_names(FieldResult(key), expected[key], got.get(key) or []))
    for key in ("exercises", "workplan_items"):
        if key in expected:
            got_list = got.get(key, [])
            fields.append(_value(FieldResult(f"{key}_count"), len(expected[key]), len(got_list)))
            for index, item in enumerate(expected[key]):
                got_item = got_list[index] if index < len(got_list) else {}
                for attribute, value in item.items():
                    fields.append(_value(FieldResult(f"{key}[{index}].{attribute}"), value, got_item.get(attribute)))
    if "unresolved" in expected:
        reported = [u["text"] for u in got.get("unresolved", [])]
        result = FieldResult("unresolved")
        for entry in expected["unresolved"]:
            if entry["text"] in reported:
                result.right += 1
            else:
                result.missed.append(entry["text"])
        fields.append(result)
    if "flags" in expected:
        fields.append(_names(FieldResult("flags"), expected["flags"], got.get("flags", [])))
    for key, value in expected.get("inferred", {}).items():
        fields.append(_value(FieldResult(f"inferred.{key}"), value, got.get("inferred", {}).get(key)))
    return out


@dataclass
class Totals:
    results: list

    @property
    def right(self) -> int:
        return sum(r.right for r in self.results)

    @property
    def checked(self) -> int:
        return sum(r.checked for r in self.results)

    @property
    def score(self) -> float:
        return self.right / self.checked if self.checked else 0.0

    def invented(self, name: str) -> int:
        return sum(len(r.invented(name)) for r in self.results)

    @property
    def invented_venues(self) -> int:
        # A city and its country invented together are one invented venue.
        return sum(bool(r.invented("venue_city") or r.invented("venue_country")) for r in self.results)

    @property
    def refused(self) -> list:
        return [r.name for r in self.results if r.refused]


def evaluate_corpus(corpus, filters=(), seed: str = "00_seventh_annual_meeting") -> tuple[Totals, bool | None]:
    """Parse every statement of the corpus (or those whose name contains a filter) and score it.
    Returns the totals and whether the seed came out exact (None when it was not run)."""
    import json

    from .parser import parse_statement

    results, seed_exact = [], None
    for path in sorted(corpus.glob("*.txt")):
        if filters and not any(f in path.stem for f in filters):
            continue
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        try:
            draft = parse_statement(path.read_text(encoding="utf-8"))
            got = draft.to_json()
            # Only an unreadable text is refused; a draft missing its body or date goes to review flagged.
            refused = not draft.readable
        except Exception:  # a crash is a refusal: every fact of the statement is missed
            got, refused = {}, True
        result = score(path.stem, expected, got)
        result.refused = refused
        results.append(result)
        if path.stem == seed:
            seed_exact = all(got.get(key) == value for key, value in expected.items())
    return Totals(results), seed_exact
