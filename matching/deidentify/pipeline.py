"""The one de-identification pipeline: publication and ``manage.py deidentify`` both call it."""

from __future__ import annotations

from collections.abc import Iterable

from .kinship import discover_names
from .names import find_names, find_pseudonyms
from .normalize import fold
from .numbers import find_numbers
from .places import find_addresses, find_institutions
from .spans import (
    ADDRESS,
    BANK_CARD,
    EMAIL,
    ID_NUMBER,
    INSTITUTION,
    NAME,
    PHONE,
    QQ,
    WECHAT,
    Finding,
    Result,
    merge,
)

REPLACEMENTS = {
    ID_NUMBER: "[身份证号]",
    PHONE: "[电话]",
    BANK_CARD: "[银行卡号]",
    EMAIL: "[邮箱]",
    WECHAT: "[微信号]",
    QQ: "[QQ号]",
    NAME: "某某",
    ADDRESS: "[住址]",
}
INSTITUTION_REPLACEMENTS = {"medical": "某医院", "school": "某学校", "employer": "某单位"}


def deidentify(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> Result:
    """Remove direct identifiers from ``text``.

    ``names`` and ``addresses`` are what the case file knows about the
    household; they are found in all their usual variants. Findings are
    spans into ``text`` as given.
    """
    folded = fold(text)
    known_names = [fold(name).strip() for name in names if name and name.strip()]
    known_names += [name for name in discover_names(folded) if name not in known_names]

    sectors: dict[tuple[int, int], str] = {}
    candidates: list[Finding] = list(find_numbers(folded))
    candidates += find_names(folded, known_names)
    candidates += find_pseudonyms(folded)
    candidates += find_addresses(folded, addresses)
    for finding, sector in find_institutions(folded):
        candidates.append(finding)
        sectors[(finding.start, finding.end)] = sector

    findings = merge(candidates)
    return Result(_replace(text, findings, sectors), findings)


def _replace(text: str, findings: list[Finding], sectors: dict[tuple[int, int], str]) -> str:
    pieces, position = [], 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(_token(finding, sectors))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def _token(finding: Finding, sectors: dict[tuple[int, int], str]) -> str:
    if finding.kind != INSTITUTION:
        return REPLACEMENTS[finding.kind]
    # A merged span may be wider than any one institution detection; the
    # longest detection inside it says what kind of place it is.
    inside = [
        (end - start, sector)
        for (start, end), sector in sectors.items()
        if finding.start <= start and end <= finding.end
    ]
    return INSTITUTION_REPLACEMENTS[max(inside)[1] if inside else "employer"]
