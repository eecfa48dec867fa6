"""Words for numbers and names, shared by titles, slugs and the statement import."""

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
