"""Fresh ids for a copy of a case (bench/growth_clone.py), the same in every database: a copy's
case id in intake is its case id in reporting. A UUID, a petitioner id (``p-<20 hex>``) and an
identity digest (64 hex) each keep their random tail and take a prefix naming the copy. A case
id (``20261201-<10 hex>``) keeps its tail and takes the copy's date (bench/growth_dates.py: its
date placeholder is named ``c20261201``), so it reads as the id of a case of that day. The
originals' tails are unique and each copy has its own prefix or date, so the copies' ids are
unique too."""

from __future__ import annotations

import re

# Every id but a digest holds a dash: searching for the dash first runs ~10x faster than a
# pattern starting with a class of characters. What stands before the dash is checked after.
DASHED = re.compile(r"-(?:[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{20}"
                    r"|[0-9a-f]{10})(?![0-9A-Za-z_])")
DIGEST = re.compile(r"[0-9a-f]{64}")  # a whole value: petitioner_identities.digest
# Whose a row is: its first case id, else its first petitioner id (cheap: every row of the
# database is looked at, most of them open cases' that are not copied).
CASE_ID = re.compile(r"(?<![0-9A-Za-z_])[0-9]{8}-[0-9a-f]{10}(?![0-9A-Za-z_])")
PERSON_ID = re.compile(r"(?<![0-9A-Za-z_])p-[0-9a-f]{20}(?![0-9A-Za-z_])")
HEX, DIGITS = frozenset("0123456789abcdef"), frozenset("0123456789")
UUID_TAIL, PERSON_TAIL, CASE_TAIL = 28, 21, 11  # lengths of what DASHED matches


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _id_prefix(text: str, dash: int, tail: int) -> tuple[str, int, int] | None:
    """The kind of the id whose dash is at ``dash`` and the span its copy rewrites."""
    head = text[dash - 8:dash] if dash >= 8 else ""
    if tail == UUID_TAIL and head and set(head) <= HEX and _starts_word(text, dash - 8):
        return "u", dash - 8, dash
    if tail == CASE_TAIL and head and set(head) <= DIGITS and _starts_word(text, dash - 8):
        return "c", dash - 8, dash
    if tail == PERSON_TAIL and dash >= 1 and text[dash - 1] == "p" \
            and _starts_word(text, dash - 1):
        return "p", dash + 1, dash + 7
    return None


def template(text: str) -> str | None:
    """``text`` with each id's prefix a %-placeholder (None when it holds no id)."""
    if DIGEST.fullmatch(text):
        return "%(d)s" + text[8:]
    pieces, last = [], 0
    for match in DASHED.finditer(text):
        found = _id_prefix(text, match.start(), len(match.group()))
        if found is None:
            continue
        kind, start, end = found
        name = f"c{text[start:end]}" if kind == "c" else kind  # a case id's: its date
        pieces += [text[last:start].replace("%", "%%"), f"%({name})s"]
        last = end
    if not pieces:
        return None
    return "".join(pieces) + text[last:].replace("%", "%%")


def owner(row: str) -> str | None:
    """The first case id in a row's text, else its first petitioner id."""
    found = CASE_ID.search(row) or PERSON_ID.search(row)
    return None if found is None else found.group()


def prefixes(copy: int) -> dict[str, str]:
    return {"u": f"c{copy:07x}", "p": f"c{copy:05x}", "d": f"c{copy:07x}"}
