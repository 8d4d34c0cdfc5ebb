"""Which database rows feed which Elasticsearch index.

Every index the platform keeps is declared here by an ``IndexSpec``: its base
name, its mapping (an elasticsearch-dsl ``Document``), and for each model
that feeds it how to select the rows that belong in it and how to turn one
into a document. The outbox, the indexer, ``rebuild`` and ``reconcile`` all
read this registry, so adding an index is one declaration.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from elasticsearch_dsl import Document


@dataclass(frozen=True)
class Source:
    """One model feeding an index."""

    model: type[Model]
    # The rows that belong in the index; a saved row outside it is removed.
    # Model instances, or -- when ``fields`` is set -- ``.values(*fields)``
    # dicts, which cost a fraction of an instance to load.
    queryset: Callable[[], QuerySet]
    # The document body for one row (a plain dict of the mapping's fields).
    prepare: Callable[[Model | dict], dict]
    # Document ids must be unique across the sources of one index.
    prefix: str = ""
    # The values each row carries (with "pk"); empty: rows are model instances.
    fields: tuple[str, ...] = ()

    def row_key(self, row):
        """The primary key of one row of ``queryset()``."""
        return row["pk"] if self.fields else row.pk

    def row_of(self, instance):
        """The row ``queryset()`` would give for ``instance``, saved or not
        (``organization__jurisdiction_id`` follows the relation)."""
        if not self.fields:
            return instance
        return {name: _follow(instance, name) for name in self.fields}

    def doc_id(self, pk) -> str:
        return f"{self.prefix}{pk}"

    def pk_of(self, doc_id: str) -> str:
        return doc_id.removeprefix(self.prefix)


def _follow(instance, path):
    value = instance
    for name in path.split("__"):
        if value is None:  # a nullable relation not set (a government fund's organization)
            return None
        value = getattr(value, name)
    return value


@dataclass(frozen=True)
class IndexSpec:
    name: str
    document: type[Document]
    sources: tuple[Source, ...] = field(default_factory=tuple)

    def source_for(self, model) -> Source | None:
        return next((s for s in self.sources if s.model is model), None)


_specs: dict[str, IndexSpec] = {}


def register(spec: IndexSpec) -> IndexSpec:
    _specs[spec.name] = spec
    return spec


def specs() -> Iterable[IndexSpec]:
    return _specs.values()


def spec(name: str) -> IndexSpec:
    return _specs[name]


def sources_for_model(model) -> list[tuple[IndexSpec, Source]]:
    """Every (index, source) pair that a change to ``model`` must reach."""
    return [(s, src) for s in _specs.values() for src in s.sources if src.model is model]
