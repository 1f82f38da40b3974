"""Ready now, or ready after a training, as the API serves it (:mod:`matcher.pathways`): for
a vacancy, its ready candidates and the people an open recruitment training or
apprenticeship would make ready; for a person, the same paths from their side."""

from __future__ import annotations

from typing import Any

from matcher.domain import LEARNING_KINDS, Jobseeker, Need
from matcher.pathways import best_per_person, pathways, scores_now
from service.matching import Services
from service.storage import Principal

# The open trainings and apprenticeships a vacancy's page weighs, those most like it: each is
# ranked live, and a region may have thousands open.
MAX_TRAININGS = 40


def vacancy_paths(
    services: Services, principal: Principal, vacancy: Need, limit: int
) -> dict[str, Any]:
    """The vacancy's best ``limit`` candidates ready now, and the best ``limit`` people who
    would be ready after one of the open trainings or apprenticeships most like it
    (:data:`MAX_TRAININGS`; audit-logged)."""
    engine = services.engine()
    ranked = engine.rank(vacancy)
    ids = [engine.ids[r] for r in ranked.rows]
    now = scores_now(ids, ranked.scores, ranked.excluded, vacancy.id)
    in_pool = {engine.ids[r]: engine.people[r] for r in ranked.rows}
    routes = []
    for training in engine.closest_learning(vacancy, services.open_needs(), MAX_TRAININGS):
        taught = engine.rank(training)
        for row in taught.rows[~taught.excluded]:
            if engine.ids[row] in in_pool:
                routes.append((engine.people[row], training, vacancy))
    paths = best_per_person(pathways(services.scorer, routes, now))[:limit]
    ready = [
        {"jobseeker_id": person, "score": round(float(score), 6)}
        for person, score, out in zip(ids, ranked.scores, ranked.excluded, strict=True)
        if not out
    ][:limit]
    services.store.audit(principal, "pathways.read", f"need:{vacancy.id}")
    return {"ready_now": _named(services, ready), "after_training": _described(services, paths)}


def person_paths(
    services: Services, principal: Principal, person: Jobseeker, limit: int
) -> dict[str, Any]:
    """The trainings and apprenticeships that would make ``person`` ready for a vacancy they
    can reach, best score after the step first (audit-logged)."""
    ranked = services.engine().rank_person(person, services.open_needs())
    trainings = [
        n
        for n, out in zip(ranked.needs, ranked.excluded, strict=True)
        if n.kind in LEARNING_KINDS and not out
    ]
    vacancies = [n for n in ranked.needs if n.kind == "vacancy"]
    now = {
        (person.id, n.id): None if out else float(s)
        for n, s, out in zip(ranked.needs, ranked.scores, ranked.excluded, strict=True)
    }
    routes = [(person, t, v) for t in trainings for v in vacancies]
    paths = pathways(services.scorer, routes, now)[:limit]
    services.store.audit(principal, "pathways.read", services.person_ref(person.id))
    return {"after_training": _described(services, paths)}


def _named(services: Services, items: list[dict]) -> list[dict]:
    people = services.people([i["jobseeker_id"] for i in items])
    return [{**i, "name": getattr(people.get(i["jobseeker_id"]), "name", "")} for i in items]


def _described(services: Services, paths) -> list[dict]:
    needs = services.open_needs().by_id
    out = []
    for path in paths:
        training, vacancy = needs[path.training_id], needs[path.vacancy_id]
        out.append(
            {
                **path.to_dict(),
                "training": {"id": training.id, "kind": training.kind, "title": training.title},
                "vacancy_title": vacancy.title,
            }
        )
    return _named(services, out)
