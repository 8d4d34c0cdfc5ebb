"""The one de-identification pipeline: publication and ``manage.py deidentify`` both call it."""

from __future__ import annotations

from collections.abc import Iterable

from .dates import find_ages, find_birth_dates
from .documents import find_documents
from .kinship import discover_names
from .names import find_names, find_pseudonyms
from .normalize import fold, normalize
from .numbers import find_numbers
from .places import find_addresses, find_institutions, find_rooms
from .spans import (
    ADDRESS,
    AGE,
    BANK_CARD,
    BED,
    BIRTH_DATE,
    DOCUMENT,
    EMAIL,
    ID_NUMBER,
    INSTITUTION,
    NAME,
    PHONE,
    PLATE,
    QQ,
    SCHOOL_CLASS,
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
    DOCUMENT: "[证件号]",
    PLATE: "[车牌号]",
    BED: "[床位]",
    SCHOOL_CLASS: "[班级]",
    # Birth dates and ages are replaced by their band (1960年代, 七十多岁);
    # these tokens stand in only where no band can be read.
    BIRTH_DATE: "[出生日期]",
    AGE: "[年龄]",
}
INSTITUTION_REPLACEMENTS = {"medical": "某医院", "school": "某学校", "employer": "某单位"}


def deidentify(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> Result:
    """Remove direct identifiers from ``text``.

    ``names`` and ``addresses`` are what the case file knows about the
    household; they are found in all their usual variants. Findings are
    spans into ``text`` as given.
    """
    normalized = normalize(text)
    folded = normalized.text
    known_names = [fold(name).strip() for name in names if name and name.strip()]
    known_names += [name for name in discover_names(folded) if name not in known_names]

    # Detection runs on the normalised text; every candidate is mapped back
    # onto the original before overlapping candidates are merged.
    sectors: dict[tuple[int, int], str] = {}
    bands: dict[tuple[int, int], str] = {}
    candidates: list[Finding] = list(find_numbers(folded))
    candidates += find_documents(folded)
    candidates += find_names(folded, known_names)
    candidates += find_pseudonyms(folded)
    candidates += find_addresses(folded, addresses)
    candidates += find_rooms(folded)
    for finding, sector in find_institutions(folded):
        candidates.append(finding)
        sectors[normalized.span(finding.start, finding.end)] = sector
    for finding, band in [*find_birth_dates(folded), *find_ages(folded)]:
        candidates.append(finding)
        bands[normalized.span(finding.start, finding.end)] = band

    findings = merge([_original(normalized, finding) for finding in candidates])
    return Result(_replace(text, findings, sectors, bands), findings)


def _original(normalized, finding: Finding) -> Finding:
    if len(finding) <= 0:
        return finding
    return Finding(finding.kind, *normalized.span(finding.start, finding.end))


def _replace(
    text: str,
    findings: list[Finding],
    sectors: dict[tuple[int, int], str],
    bands: dict[tuple[int, int], str],
) -> str:
    pieces, position = [], 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(_token(finding, sectors, bands))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def _token(
    finding: Finding, sectors: dict[tuple[int, int], str], bands: dict[tuple[int, int], str]
) -> str:
    if finding.kind in (BIRTH_DATE, AGE):
        return bands.get((finding.start, finding.end), REPLACEMENTS[finding.kind])
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
