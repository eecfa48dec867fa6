"""Words for numbers and names, shared by titles, slugs and the statement import."""

import re
import unicodedata

_UNITS = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS_CARDINAL = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
_TENS_ORDINAL = {
    2: "twentieth",
    3: "thirtieth",
    4: "fortieth",
    5: "fiftieth",
    6: "sixtieth",
    7: "seventieth",
    8: "eightieth",
    9: "ninetieth",
}


def ordinal_word(number: int) -> str:
    """'seventh' for 7, 'twenty-first' for 21; numerals with a suffix past 99 ('101st')."""
    if 1 <= number < 20:
        return _UNITS[number]
    if 20 <= number < 100:
        tens, units = divmod(number, 10)
        return _TENS_ORDINAL[tens] if units == 0 else f"{_TENS_CARDINAL[tens]}-{_UNITS[units]}"
    return ordinal_numeral(number)


def ordinal_numeral(number: int) -> str:
    """'7th', '21st', '112th'."""
    teen = 10 <= number % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


ORDINAL_WORDS = {ordinal_word(n): n for n in range(1, 100)}


def fold(text: str) -> str:
    """A name folded for matching: no accents, no case, single spaces ('Việt  Nam' -> 'viet nam')."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _is_contiguous(days) -> bool:
    return all((later - earlier).days == 1 for earlier, later in zip(days, days[1:], strict=False))


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def format_days(days) -> str:
    """'12 October 2022', '10–11 October 2022', '30 September – 2 October 2022', '21 and 23 September 2021'."""
    days = sorted(days)
    if not days:
        return ""
    first, last = days[0], days[-1]
    if len(days) == 1:
        return f"{first.day} {first:%B %Y}"
    if _is_contiguous(days):
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{last.day} {last:%B %Y}"
        if first.year == last.year:
            return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
        return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    if all((day.year, day.month) == (first.year, first.month) for day in days):
        return f"{_join([str(day.day) for day in days])} {first:%B %Y}"
    return _join([f"{day.day} {day:%B %Y}" for day in days])


_LIST_LABEL = re.compile(r"^\s*\(?(?P<label>[a-z]|[ivx]{1,4}|\d{1,2})[).]\s+(?=\S)")


def split_list_label(title: str) -> tuple[str, str]:
    """("a", "Training on ...") from "a) Training on ...": a list letter pasted into a title is
    the item's label, kept apart so that no page shows it twice ("a) a) Training")."""
    match = _LIST_LABEL.match(title or "")
    if not match:
        return "", (title or "").strip()
    return match.group("label"), title[match.end() :].strip()
