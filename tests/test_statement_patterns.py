"""No pattern of the statement import backtracks without bound: each runs over long hostile text
(digits, spaces, hyphens, month names, lists, capitalised words) in time linear in its length, and
so does the whole parse."""

import re
import time

import pytest

from baliwg.statements import dates, parser, resolver
from baliwg.statements.parser import parse_statement
from core import layout

SIZE = 200_000
HOSTILE = {
    "digits and hyphens": "1-2 3 - 4 -- 5 " * (SIZE // 15),
    "spaces": " " * SIZE,
    "month names": "12 October 2022 - October 12, 30 September - 2 OCTOBER and May " * (SIZE // 62),
    "a list of days": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, " * (SIZE // 31),
    "hyphenated digits": "2023-03-15-2023-03-1" * (SIZE // 20),
    "slashes": "03/07/2024/03/07/" * (SIZE // 17),
    "capitalised words": "Grand Duchy of the Fenwick and Ruritania " * (SIZE // 41),
    "co-chair wordings": "co-chaired by Fiji and Australia, the Co-Chairs, under the co-chairmanship of "
    * (SIZE // 80),
    "venues": "in Bangkok, Thailand, in Kuala Lumpur in Persons, Annual Meeting, " * (SIZE // 68),
    "counts": "twenty-five members, two of them organisations, including 38 member states " * (SIZE // 77),
    "observers": "with Canada and Fiji as observers as an observer attended as observers " * (SIZE // 70),
    "meetings": "the seventh Annual Meeting recalled the next Senior Officials' Meeting (the eighth) " * (SIZE // 84),
    "no stops": "a" * SIZE,
    "list marks": "\n".join(["1. a) (iv) - • text"] * (SIZE // 20)),
}


def _patterns():
    for module in (parser, dates, resolver, layout):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value
            elif name == "PATTERNS":
                for index, pattern in enumerate(value):
                    yield f"{module.__name__}.PATTERNS[{index}]", pattern


@pytest.mark.parametrize(("name", "pattern"), list(_patterns()), ids=[n for n, _ in _patterns()])
def test_each_pattern_is_fast_on_long_hostile_text(name, pattern):
    started = time.process_time()
    for text in HOSTILE.values():
        for _match in pattern.finditer(text):
            pass
        pattern.match(text)
    # Linear patterns take milliseconds here; one that backtracks without bound takes minutes.
    # CPU time of this process, so that other work on a shared machine does not count.
    assert time.process_time() - started < 5, name


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_the_whole_parse_of_200000_hostile_characters_is_fast(demo, kind):
    started = time.process_time()
    draft = parse_statement(HOSTILE[kind])
    draft.to_json()
    assert time.process_time() - started < 5, kind
