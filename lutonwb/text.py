"""Text for readers: quoting user-supplied text safely, lists in cells, periods in words, long
text shortened at a word."""

from __future__ import annotations

import calendar
import re

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9,.\-]{0,39}$")


def shown(raw: object) -> str:
    """How a notice quotes a user-supplied value: a short plain token in quotes, else nothing of it.

    Echoing arbitrary link text would let a link put words (or markdown) of its choosing into
    the app's own notices (content spoofing), so only short codes and slugs are repeated back.
    """
    text = str(raw)
    return f"'{text}'" if _SAFE_TOKEN.fullmatch(text) else "(a value that cannot be read)"


def on_off(raw: object) -> bool | None:
    """A link's on/off value: 1 / true / yes / on open, 0 / false / no / off / empty close;
    None for anything else (the caller says so). One reading for every section key."""
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    return None


def split_list(text: str) -> list[str]:
    """';'-separated cell → list of trimmed non-empty items."""
    return [p.strip() for p in str(text or "").split(";") if p.strip()]


def period_words(label: object) -> str:
    """A period as readers write it: an ISO date ('2024-09-30', or a timestamp at midnight)
    becomes '30 September 2024'; other labels ('2022/23', '2020-22') unchanged."""
    text = str(label)
    m = _ISO_DATE.match(text.removesuffix(" 00:00:00"))
    if not m:
        return text
    return f"{int(m[3])} {calendar.month_name[int(m[2])]} {m[1]}"


def sentence(text: str) -> str:
    """`text` with its first letter capitalised (a catalogue note shown on its own in a cell)."""
    return text[:1].upper() + text[1:]


_SECTION_SIGN = re.compile(r"§\s*(\d+(?:\.\d+)*)\s*")


def section_words(section: object) -> str:
    """A document's section as readers cite it: the transcribers' file number dropped and a
    section sign written out ('000 §4 Overarching table' → 'Section 4: Overarching table')."""
    text = re.sub(r"^\d{3}\s+", "", str(section or "").strip())
    text = _SECTION_SIGN.sub(lambda m: f"Section {m[1]}: ", text, count=1)
    return sentence(text.replace(": ,", ",").strip().rstrip(":"))


_UNIT_QUALIFIER = re.compile(r"^(?P<main>[^()]*?)\s*\((?P<qual>[^()]*)\)$")
_BRACKET_END = re.compile(r"\(([^()]*)\)$")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", text.lower())


def unit_words(unit: object) -> str:
    """A unit ready to sit inside brackets: 'score (0-10)' -> 'score, 0-10' (never '((...))')."""
    u = "" if unit is None or unit != unit else str(unit).strip()
    m = _UNIT_QUALIFIER.match(u)
    return f"{m['main']}, {m['qual']}" if m and m["main"] else u


def _unit_not_in_title(title: str, main: str) -> str:
    """The part of a unit the title does not already say: '' for 'score' beside 'Average
    Progress 8 score'; 'tCO2e' for 'tCO2e per person' beside '... emissions per person'."""
    title_words, unit_words_ = _words(title), main.split()
    if unit_words_ and all(w.lower() in title_words for w in _words(main)) and _words(main):
        return ""
    while unit_words_ and title_words and _words(unit_words_[-1]) == title_words[-1:]:
        unit_words_, title_words = unit_words_[:-1], title_words[:-1]
    return " ".join(unit_words_)


def titled_with_unit(title: object, unit: object) -> str:
    """'Life expectancy at birth, males (years)': a title with its unit in brackets, said once
    and never nested. A unit the title already names is left out ('Average Progress 8 score',
    'Housing affordability ratio'); a unit's own bracket joins the title's ('Life satisfaction
    (mean score, 0-10)', never '(mean score) (score (0-10))')."""
    t = str(title).strip()
    u = "" if unit is None or unit != unit else str(unit).strip()
    m = _UNIT_QUALIFIER.match(u)
    main, qual = (m["main"], m["qual"]) if m and m["main"] else (u, "")
    main = _unit_not_in_title(t, main)
    if main:
        return f"{t} ({', '.join(p for p in (main, qual) if p)})"
    if not qual:
        return t
    end = _BRACKET_END.search(t)
    if end:  # the title's own bracket names the unit: the qualifier joins it
        return f"{t[: end.start()]}({end[1]}, {qual})"
    return f"{t} ({qual})"


def shortened(text: object, limit: int) -> str:
    """`text` in at most `limit` characters: whole when it fits, else cut at the last space that
    leaves room for an ellipsis ('…focusing on transport…', never '…transport ac'), its trailing
    punctuation dropped; a single word longer than the limit is cut inside it, with the ellipsis."""
    words = " ".join(str(text or "").split())
    if len(words) <= limit:
        return words
    head = words[: max(limit - 1, 0)]
    whole = words[len(head)] == " " or " " not in head  # head ends at a word, or is one word
    cut = head if whole else head.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"
