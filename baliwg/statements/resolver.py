"""Finding the registry's states, organisations, bodies, themes, sectors and focus areas in text.

Every official name, short name, acronym and alias is folded ('Việt Nam' -> 'viet nam') and
matched word by word, longest first, so 'the United Nations Office on Drugs and Crime' is UNODC
and 'Bali Process Working Group on ...' is not mistaken for the Bali Process itself. Acronyms
match only in capitals, so the word 'us' is not the United States. A footnote mark glued to a
name ('Thailand1', 'Thailand*', 'Thailand¹') does not hide it.
"""

import re
import unicodedata
from dataclasses import dataclass

from core.text import fold
from meetings.models import Body, FocusArea, MemberState, Organisation, Sector, Theme

MAX_WORDS = 16
FOOTNOTED = re.compile(r"(?<![a-z'-])[a-z][a-z'-]*\d+")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)

# Adjectives that name a state in front of an agency: "the Indonesian Ministry of Foreign Affairs".
DEMONYMS = {
    "afghan": "AF",
    "american": "US",
    "australian": "AU",
    "bangladeshi": "BD",
    "bhutanese": "BT",
    "bruneian": "BN",
    "cambodian": "KH",
    "chinese": "CN",
    "emirati": "AE",
    "fijian": "FJ",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iraqi": "IQ",
    "japanese": "JP",
    "jordanian": "JO",
    "korean": "KR",
    "lao": "LA",
    "malaysian": "MY",
    "maldivian": "MV",
    "mongolian": "MN",
    "myanmar": "MM",
    "nauruan": "NR",
    "nepalese": "NP",
    "nepali": "NP",
    "new zealand": "NZ",
    "pakistani": "PK",
    "palauan": "PW",
    "philippine": "PH",
    "filipino": "PH",
    "samoan": "WS",
    "singaporean": "SG",
    "sri lankan": "LK",
    "syrian": "SY",
    "thai": "TH",
    "timorese": "TL",
    "tongan": "TO",
    "turkish": "TR",
    "vietnamese": "VN",
    "ni-vanuatu": "VU",
    "papua new guinean": "PG",
    "i-kiribati": "KI",
}


@dataclass(frozen=True)
class Found:
    """A registry entry named in a text, with where and how it was written."""

    kind: str  # "state", "organisation", "body"
    obj: object
    start: int
    end: int
    written: str


def words(text: str) -> list[tuple[str, int, int, str]]:
    """(folded word, start, end, as written) for each word; a glued footnote mark is dropped."""
    out = []
    for match in WORD.finditer(text):
        written = match.group()
        if written.isascii():
            folded = written.lower()  # the common case, without the cost of Unicode folding
        else:
            folded = fold(unicodedata.normalize("NFKC", written)).replace("’", "'")
        if folded[-1].isdigit() and FOOTNOTED.fullmatch(folded):  # "thailand1": a footnote mark
            folded = folded.rstrip("0123456789")
        out.append((folded, match.start(), match.end(), written))
    return out


def _key(name: str) -> tuple[str, ...]:
    return tuple(folded for folded, *_ in words(name))


def _is_acronym(name: str) -> bool:
    return " " not in name and len(name) <= 10 and name.upper() == name and any(c.isalpha() for c in name)


class Resolver:
    """Lookup tables over the registry, built once per statement."""

    def __init__(self):
        self.names: dict[tuple, tuple[str, object, bool]] = {}
        for state in MemberState.objects.prefetch_related("aliases"):
            self._add("state", state, [state.name, state.short_name, *(a.name for a in state.aliases.all())])
        for org in Organisation.objects.prefetch_related("aliases").select_related("state"):
            self._add("organisation", org, [org.name, org.acronym, *(a.name for a in org.aliases.all())])
        for body in Body.objects.prefetch_related("aliases"):
            self._add("body", body, [body.name, body.short_name, body.acronym, *(a.name for a in body.aliases.all())])
        # The lengths of the names starting with each word, longest first: a word that starts no
        # name costs one look-up, so finding names stays linear in the text.
        lengths: dict[str, set] = {}
        for key in self.names:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {word: sorted(ls, reverse=True) for word, ls in lengths.items()}
        self.states_by_code = {s.iso_code: s for kind, s, _ in self.names.values() if kind == "state"}
        self.themes = list(Theme.objects.all())
        self.sectors = list(Sector.objects.all())
        self.focus_areas = list(FocusArea.objects.all())

    def _add(self, kind, obj, names):
        for name in filter(None, names):
            key = _key(name)
            if key and len(key) <= MAX_WORDS:
                # A name used twice keeps its first owner: official names are added before aliases.
                self.names.setdefault(key, (kind, obj, _is_acronym(name)))

    def find(self, text: str) -> list[Found]:
        """Every registry entry named in the text, left to right, longest name first."""
        tokens = words(text)
        found, index = [], 0
        while index < len(tokens):
            for length in self.lengths.get(tokens[index][0], ()):
                if index + length > len(tokens):
                    continue
                key = tuple(t[0] for t in tokens[index : index + length])
                entry = self.names.get(key)
                if entry is None:
                    continue
                kind, obj, acronym = entry
                written = text[tokens[index][1] : tokens[index + length - 1][2]]
                if acronym and not tokens[index][3].isupper():
                    continue
                found.append(Found(kind, obj, tokens[index][1], tokens[index + length - 1][2], written))
                index += length
                break
            else:
                index += 1
        return found

    def resolve(self, phrase: str):
        """The single registry entry a whole phrase names ('the Government of Viet Nam'), or None."""
        found = self.find(phrase)
        return found[0] if len(found) == 1 else None

    def demonym_state(self, phrase: str):
        """The state whose adjective opens an agency's name: 'Indonesian Ministry ...' -> Indonesia."""
        code = demonym_code(phrase)
        return self.states_by_code.get(code) if code else None

    def tags(self, text: str, candidates) -> list:
        """Themes, sectors or focus areas a phrase names: every significant word of the name (or
        its stem) appears in it ('policing' names 'Police')."""
        stems = {_stem(w) for w, *_ in words(text.replace("-", " "))}
        return [tag for tag in candidates if _significant(tag.name) and _significant(tag.name) <= stems]


def demonym_code(phrase: str) -> str | None:
    """The ISO code of the state whose adjective opens a name ('the Thai Ministry of ...' -> 'TH')."""
    folded = " ".join(t[0] for t in words(phrase))
    for adjective, code in sorted(DEMONYMS.items(), key=lambda item: -len(item[0])):
        if re.match(rf"(the )?{re.escape(adjective)}\b", folded):
            return code
    return None


STOPWORDS = {"of", "and", "the", "by", "for", "in", "on", "to", "a", "an", "with", "related"}


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ities", "ing", "ies", "ion", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _significant(name: str) -> frozenset:
    return frozenset(_stem(w) for w, *_ in words(name.replace("-", " ")) if w not in STOPWORDS)
