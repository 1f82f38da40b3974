"""Loading the fixture data set into an empty database (the embedded demo)."""

from __future__ import annotations

from pathlib import Path

from matcher.dataset import load_dataset, read_jsonl
from matcher.embedding import TextEmbedder, shipped_vectors, text_key
from service.storage import Store, table_counts


def load_fixtures_if_empty(store: Store, directory: str | Path) -> bool:
    """Load companies, needs and jobseekers from ``directory`` when no company is stored yet,
    and their history (``self_reports.jsonl``, ``outcomes.jsonl``) when present."""
    if table_counts(store, ["companies"])["companies"]:
        return False
    directory = Path(directory)
    dataset = load_dataset(directory)
    store.add_companies(dataset.companies)
    store.add_needs(dataset.needs)
    store.add_jobseekers(dataset.jobseekers)
    store.add_history(_rows(directory / "self_reports.jsonl"), _rows(directory / "outcomes.jsonl"))
    add_shipped_vectors(store, directory, dataset.needs, dataset.jobseekers)
    return True


def add_shipped_vectors(store: Store, directory: str | Path, needs, jobseekers) -> None:
    """Store the sentence embeddings the folder ships (``matcher embed DIR``) for those of
    ``needs`` and ``jobseekers`` whose texts they were computed from, so that a fresh demo
    does not compute them at its first list."""
    shipped = shipped_vectors(directory)
    if not shipped:
        return
    embedder = TextEmbedder(model=_NO_MODEL)  # reads the shipped vectors, computes none
    for kind, vectors in shipped.items():
        embedder.remember(kind, vectors)
    for kind, items in (("person", jobseekers), ("need", needs)):
        held = ((item, embedder.held_vector(kind, item)) for item in items)
        store.save_vectors(kind, {(i.id, text_key(i)): v for i, v in held if v is not None})


_NO_MODEL = object()


def _rows(path: Path) -> list[dict]:
    return read_jsonl(path, dict) if path.is_file() else []
