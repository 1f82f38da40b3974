"""Probable duplicates of a record about to be created, answered as a 409 to merge."""

from __future__ import annotations

from matcher.domain import Jobseeker, Need
from matcher.duplicates import Duplicate, duplicates, same_need, same_person
from matcher.taxonomy import ConceptMapper
from service.errors import problem
from service.matching import Services
from service.storage_merges import jobseekers_like, needs_like


def mapper(services: Services) -> ConceptMapper:
    """The scorer's concept mapper, which reads skills in Finnish, Swedish and English."""
    return services.scorer.skills_.mapper_


def person_duplicates(services: Services, person: Jobseeker) -> list[Duplicate]:
    """Stored jobseekers that are probably ``person``, the likeliest first."""
    find = mapper(services)
    return duplicates(
        [same_person(find, person, old) for old in jobseekers_like(services.store, person)]
    )


def need_duplicates(services: Services, need: Need) -> list[Duplicate]:
    """Stored open needs that are probably ``need`` (in any language), the likeliest first."""
    find = mapper(services)
    return duplicates([same_need(find, need, old) for old in needs_like(services.store, need)])


def duplicate_problem(found: list[Duplicate], what: str):
    """409: the record was not created, because it probably duplicates ``found``."""
    detail = (
        f"Not created: probably the same {what} as a stored one. Merge them, or send again "
        "with allow_duplicate=true."
    )
    return problem(409, "Conflict", detail, duplicates=[d.to_dict() for d in found])
