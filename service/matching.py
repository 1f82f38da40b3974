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

from matcher import Jobseeker, Match, MatchScorer, Need, rank_candidates, rank_needs
from matcher.taxonomy import SkillVocabulary, embedded_vocabulary
from service.storage import Principal, Store, utcnow


@dataclass
class Services:
    """What the app builds once at start-up: the store, the fitted scorer and the secret."""

    store: Store
    scorer: MatchScorer
    secret: str

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
    people: list[Jobseeker] | None = None,
) -> dict[str, Any]:
    """The ranked, explained candidates for ``need``, shaped for ``principal``."""
    people = services.store.active_jobseekers() if people is None else people
    limit, offset = query["limit"], query["offset"]
    matches = rank_candidates(
        need,
        people,
        limit + offset,
        scorer=services.scorer,
        include_excluded=query["include_excluded"],
        language=query["language"],
    )
    eligible = sum(not services.scorer.unmet(need, p) for p in people)
    by_id = {p.id: p for p in people}
    included = [m for m in matches if not m.excluded][offset:]
    excluded = [m for m in matches if m.excluded][offset:] if query["include_excluded"] else []
    items = [
        _candidate_item(services, principal, need, m, by_id[m.jobseeker_id], offset + i + 1)
        for i, m in enumerate(included)
    ]
    items += [
        _candidate_item(services, principal, need, m, by_id[m.jobseeker_id], None) for m in excluded
    ]
    return {
        "need_id": need.id,
        "source": "live",
        "computed_at": utcnow(),
        "run_id": None,
        "eligible": eligible,
        "limit": limit,
        "offset": offset,
        "items": items,
    }


def _candidate_item(
    services, principal, need, match: Match, person: Jobseeker, rank
) -> dict[str, Any]:
    identified = principal.role != "company"
    candidate = {
        "id": person.id if identified else None,
        "ref": services.pseudonym("candidate", need.id, person.id),
        "name": person.name if identified else None,
        "headline": person.headline,
        "municipality": person.municipality,
    }
    return {
        "rank": rank,
        "score": match.score,
        "excluded": match.excluded,
        "candidate": candidate,
        "explanation": match.explanation.to_dict(),
    }


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
