"""Adapts the ``matcher`` library to the service: loads data, ranks, shapes and pseudonymises.

The ranking itself is the library's :func:`matcher.rank_candidates` / :func:`matcher.rank_needs`;
nothing here scores.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from matcher import Jobseeker, MatchScorer, Need, rank_needs
from matcher.engine import MatchEngine
from matcher.taxonomy import SkillVocabulary, embedded_vocabulary
from service.storage import Principal, Store, utcnow


@dataclass
class Services:
    """What the app builds once at start-up: the store, the fitted scorer and the secret; the
    two-stage engine over the active jobseekers is rebuilt when they change."""

    store: Store
    scorer: MatchScorer
    secret: str
    _engine: MatchEngine | None = None
    _engine_version: int | None = None

    def people(self, ids: list[str]) -> dict[str, Jobseeker]:
        """Jobseekers by id, from the engine when it is current (no parsing), else stored."""
        engine = self._engine
        if engine is not None and all(i in engine.row_of for i in ids):
            return {i: engine.people[engine.row_of[i]] for i in ids}
        return self.store.jobseekers_by_id(ids)

    def engine(self) -> MatchEngine:
        """The engine over the current active jobseekers."""
        return self.refresh(self.store.jobseekers_version())

    def refresh(self, version: int) -> MatchEngine:
        """The engine, rebuilt first when the jobseekers' data version is not ``version``'s."""
        if self._engine is None or version != self._engine_version:
            self._engine = MatchEngine(self.scorer, self.store.active_jobseekers())
            self._engine_version = version
        return self._engine

    def pseudonym(self, *parts: str) -> str:
        """A keyed, stable pseudonym of ``parts`` (no id can be read back from it)."""
        message = ":".join(parts).encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()[:16]

    def person_ref(self, jobseeker_id: str) -> str:
        """How the audit log names a person: a pseudonym, so erasure leaves no identifier."""
        return f"jobseeker:{self.pseudonym('audit', jobseeker_id)}"


@functools.lru_cache(maxsize=4)
def build_scorer(vocabulary_paths: tuple[str, ...], as_of) -> MatchScorer:
    """The scorer with the embedded vocabulary plus any imported ones (e.g. ESCO)."""
    vocabulary = embedded_vocabulary()
    for path in vocabulary_paths:
        vocabulary = vocabulary.merged(SkillVocabulary.load(path))
    return MatchScorer(vocabulary=vocabulary, as_of=as_of).fit()


def candidate_list(
    services: Services,
    principal: Principal,
    need: Need,
    query: dict[str, Any],
    updated_at=None,
) -> dict[str, Any]:
    """The ranked, explained candidates for ``need``, shaped for ``principal``.

    Served from the latest complete batch run when it is fresh (neither the need nor any
    jobseeker changed since the run started) and the page lies within it; computed live by the
    same two-stage engine otherwise. ``since_run`` keeps only candidates that run did not list.
    """
    limit, offset = query["limit"], query["offset"]
    run = _fresh_run(services, updated_at, query)
    previous = _listed_in(services, query.get("since_run"), need.id)
    if run is not None and previous is None and offset + limit <= run["k"]:
        items, eligible = _from_run(services, principal, need, run, query)
        source = "batch"
    else:
        items, eligible = _live(services, principal, need, query, previous)
        source = "live"
    return {
        "need_id": need.id,
        "source": source,
        "computed_at": run["finished_at"] if source == "batch" else utcnow(),
        "run_id": run["id"] if source == "batch" else None,
        "eligible": eligible,
        "limit": limit,
        "offset": offset,
        "items": items,
    }


def _fresh_run(services: Services, updated_at, query) -> dict | None:
    if updated_at is None or query["include_excluded"]:
        return None
    run, written, version = services.store.serving_state()
    services.refresh(version)
    if run is None or updated_at > run["started_at"] or (written and written > run["started_at"]):
        return None
    return run


def _listed_in(services: Services, run_id: int | None, need_id: str) -> set[str] | None:
    if run_id is None:
        return None
    services.store.batch_run(run_id)
    return {c["jobseeker_id"] for c in services.store.run_candidates(run_id, need_id)}


def _from_run(services, principal, need, run, query) -> tuple[list[dict], None]:
    page = services.store.run_candidates(run["id"], need.id, query["limit"], query["offset"])
    people = services.people([r["jobseeker_id"] for r in page])
    stored_language = run["summary"].get("explained", {}).get("language")
    items = []
    for row in page:
        person = people[row["jobseeker_id"]]
        if row["explanation"] is not None and query["language"] == stored_language:
            # Already JSON: embedded in the response as is.
            explanation = orjson.Fragment(row["explanation"])
        else:
            explanation = services.scorer.explain(
                need, person, np.asarray(row["features"]), False, query["language"]
            ).to_dict()
        item = _candidate_item(services, principal, need, person, row["rank"], row["score"])
        items.append({**item, "excluded": False, "explanation": explanation})
    return items, None


def _live(services, principal, need, query, previous) -> tuple[list[dict], int]:
    engine = services.engine()
    ranked = engine.rank(need)
    if previous is not None:
        keep = np.array([engine.ids[r] not in previous for r in ranked.rows], dtype=bool)
        ranked = type(ranked)(
            need, ranked.rows[keep], ranked.scores[keep], ranked.values[keep], ranked.excluded[keep]
        )
    matches = engine.matches(
        ranked, query["limit"], query["offset"], query["include_excluded"], query["language"]
    )
    first = query["offset"] + 1
    items = []
    for position, match in enumerate(matches):
        rank = None if match.excluded else first + position
        person = engine.people[engine.row_of[match.jobseeker_id]]
        item = _candidate_item(services, principal, need, person, rank, match.score)
        explanation = match.explanation.to_dict()
        items.append({**item, "excluded": match.excluded, "explanation": explanation})
    return items, engine.eligible(need)


def _candidate_item(services, principal, need, person: Jobseeker, rank, score) -> dict:
    """A candidate's rank, score and who they are (pseudonymous for a company)."""
    identified = principal.role != "company"
    candidate = {
        "id": person.id if identified else None,
        "ref": services.pseudonym("candidate", need.id, person.id),
        "name": person.name if identified else None,
        "headline": person.headline,
        "municipality": person.municipality,
    }
    return {"rank": rank, "score": score, "candidate": candidate}


def need_list(services: Services, person: Jobseeker, query: dict[str, Any]) -> dict[str, Any]:
    """The needs that fit ``person`` best, explained."""
    needs = {n.id: n for n in services.store.open_needs()}
    limit, offset = query["limit"], query["offset"]
    matches = rank_needs(
        person,
        list(needs.values()),
        limit + offset,
        scorer=services.scorer,
        include_excluded=query["include_excluded"],
        language=query["language"],
    )
    items = []
    for position, m in enumerate(matches):
        if position < offset:
            continue
        need = needs[m.need_id]
        items.append(
            {
                "need_id": need.id,
                "company_id": need.company_id,
                "title": need.title,
                "kind": need.kind,
                "municipality": need.municipality,
                "rank": None if m.excluded else position + 1,
                "score": m.score,
                "excluded": m.excluded,
                "explanation": m.explanation.to_dict(),
            }
        )
    return {
        "jobseeker_id": person.id,
        "source": "live",
        "computed_at": utcnow(),
        "limit": limit,
        "offset": offset,
        "items": items,
    }
