"""Finds and repairs drift between the database and an index.

Drift is a row missing from the index, a document whose row is gone (or no
longer belongs), or a document whose content differs from what the row
prepares to now. Repair records outbox entries for each and drains them,
so the normal versioned path does the writing.
"""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from elasticsearch.helpers import scan

from . import indices, registry
from .client import get_client
from .indexer import drain
from .outbox import record_changes


@dataclass
class Drift:
    missing: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    stale: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.missing or self.extra or self.stale)

    def count(self):
        return len(self.missing) + len(self.extra) + len(self.stale)


def _normalized(body):
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True))


def _indexed(spec):
    get_client().indices.refresh(index=indices.read_alias(spec.name))
    hits = scan(
        get_client(),
        index=indices.read_alias(spec.name),
        query={"query": {"match_all": {}}},
        size=2000,
    )
    return {hit["_id"]: hit["_source"] for hit in hits}


def drift(spec):
    indexed = _indexed(spec)
    found = Drift()
    expected = set()
    for source in spec.sources:
        for row in source.queryset().iterator(chunk_size=2000):
            pk = source.row_key(row)
            doc_id = source.doc_id(pk)
            expected.add(doc_id)
            if doc_id not in indexed:
                found.missing.append((source, pk))
            elif _normalized(source.prepare(row)) != _normalized(indexed[doc_id]):
                found.stale.append((source, pk))
    for doc_id in indexed.keys() - expected:
        source = next((s for s in spec.sources if doc_id.startswith(s.prefix)), None)
        if source:
            found.extra.append((source, source.pk_of(doc_id)))
    return found


def repair(spec):
    """Repair the drift of ``spec``; returns what was found."""
    found = drift(spec)
    by_model = {}
    for source, pk in found.missing + found.extra + found.stale:
        by_model.setdefault(source.model, []).append(pk)
    for model, pks in by_model.items():
        record_changes(model, pks)
    drain()
    return found


def specs_named(names):
    return [registry.spec(name) for name in names] if names else list(registry.specs())
