"""Findings, the pipeline's result, and how overlapping detections merge."""

from __future__ import annotations

from dataclasses import dataclass

ID_NUMBER = "id_number"
PHONE = "phone"
BANK_CARD = "bank_card"
EMAIL = "email"
WECHAT = "wechat"
QQ = "qq"
NAME = "name"
ADDRESS = "address"
INSTITUTION = "institution"
DOCUMENT = "document"
PLATE = "plate"
BIRTH_DATE = "birth_date"
AGE = "age"
BED = "bed"
SCHOOL_CLASS = "school_class"

KINDS = (
    ID_NUMBER,
    PHONE,
    BANK_CARD,
    EMAIL,
    WECHAT,
    QQ,
    NAME,
    ADDRESS,
    INSTITUTION,
    DOCUMENT,
    PLATE,
    BIRTH_DATE,
    AGE,
    BED,
    SCHOOL_CLASS,
)

# When two detections cover the same characters, the longer one wins; on a
# tie, the more specific one. Checksummed and keyword-anchored detections
# are more specific than a bare digit shape, patterns more than word lists.
SPECIFICITY = {
    EMAIL: 90,
    ID_NUMBER: 80,
    BANK_CARD: 70,
    DOCUMENT: 68,
    PLATE: 67,
    WECHAT: 65,
    QQ: 60,
    PHONE: 50,
    BIRTH_DATE: 45,
    ADDRESS: 40,
    BED: 38,
    SCHOOL_CLASS: 36,
    INSTITUTION: 30,
    AGE: 25,
    NAME: 20,
}


@dataclass(frozen=True)
class Finding:
    """One identifier: ``kind`` and its span ``[start, end)`` in the original text."""

    kind: str
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Result:
    """The published form of a text and the identifiers removed from it."""

    text: str
    findings: list[Finding]


def merge(candidates: list[Finding]) -> list[Finding]:
    """Sorted, non-overlapping findings from possibly overlapping candidates.

    Overlapping candidates collapse into one finding covering their union
    (never leave a fragment of an identifier behind) whose kind is that of
    the longest, then most specific, candidate. Address fragments that touch
    (a road number, then the building and room) become one address.
    """
    clusters: list[list[Finding]] = []
    cluster_end = -1
    for candidate in sorted(candidates, key=lambda f: (f.start, -f.end)):
        if len(candidate) <= 0:
            continue
        if clusters and candidate.start < cluster_end:
            clusters[-1].append(candidate)
            cluster_end = max(cluster_end, candidate.end)
        else:
            clusters.append([candidate])
            cluster_end = candidate.end
    return _join_touching_addresses([_collapse(cluster) for cluster in clusters])


def _collapse(cluster: list[Finding]) -> Finding:
    winner = max(cluster, key=lambda f: (len(f), SPECIFICITY[f.kind], -f.start))
    return Finding(winner.kind, cluster[0].start, max(f.end for f in cluster))


def _join_touching_addresses(findings: list[Finding]) -> list[Finding]:
    joined: list[Finding] = []
    for finding in findings:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == ADDRESS == finding.kind
            and previous.end == finding.start
        ):
            joined[-1] = Finding(ADDRESS, previous.start, finding.end)
        else:
            joined.append(finding)
    return joined
