"""Adapts the ``matcher`` library to the service: loads data, ranks, shapes and pseudonymises.

The ranking itself is the library's two-stage :class:`matcher.engine.MatchEngine`; nothing
here scores.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import logging
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher import Jobseeker, MatchScorer, Need
from matcher.artifacts import ModelRefused, load_model
from matcher.batch import unpacked_explanation
from matcher.domain import relabelled
from matcher.embedding import SLICE, TextEmbedder
from matcher.engine import MatchEngine, OpenNeeds, RankedPerson
from matcher.geo import municipalities
from matcher.search import ProfileQuery
from matcher.taxonomy import SkillVocabulary, default_vocabulary
from service import storage_shortlists
from service.metrics import MATCHES_SERVED
from service.storage import Page, Principal, Store, run_features, utcnow
from service.storage_search import search_jobseekers

log = logging.getLogger("kohtaanto")
# How long a write may spend computing the sentence embeddings of what it wrote.
EMBED_SECONDS = 15.0


@dataclass
class Services:
    """What the app builds once at start-up: the store, the fitted scorer and the secret; the
    two-stage engine over the active jobseekers is rebuilt when they change, and the open
    needs prepared for a jobseeker's query when a need changes."""

    store: Store
    scorer: MatchScorer
    secret: str
    scoring: ScoringChoice | None = None
    # Days a hire or a start keeps a person out of new lists (config PLACEMENT_DAYS).
    placement_days: int = 180
    # Each cache is one (data version, value) pair, replaced whole, so that a thread never
    # sees one version's value under another's number.
    _engine: tuple[int, MatchEngine] | None = None
    _open_needs: tuple[int, OpenNeeds] | None = None
    # The people changed since a run began: (run id, data version seen, their ids).
    _changed: tuple[int, int, frozenset[str]] | None = None
    _labels: dict[str, ConceptLabels] = field(default_factory=dict)

    @classmethod
    def configured(cls, settings: Mapping[str, Any], store: Store) -> Services:
        """The services over ``store`` that the configuration asks for."""
        scoring = configured_scoring(settings)
        return cls(
            store,
            # Vectors computed once per text and kept in the database, for every process.
            scoring.scorer.with_embedder(TextEmbedder(store=store)),
            settings["SECRET_KEY"],
            scoring=scoring,
            placement_days=settings["PLACEMENT_DAYS"],
        )

    def people(self, ids: list[str]) -> dict[str, Jobseeker]:
        """Jobseekers by id, from the engine when it is current (no parsing), else stored."""
        engine = self._engine[1] if self._engine else None
        if engine is not None and all(i in engine.row_of for i in ids):
            return {i: engine.people[engine.row_of[i]] for i in ids}
        return self.store.jobseekers_by_id(ids)

    def engine(self) -> MatchEngine:
        """The engine over the current active jobseekers."""
        return self.refresh(self.store.jobseekers_version())

    def refresh(self, version: int) -> MatchEngine:
        """The engine at the jobseekers' data ``version`` or later.

        Built once; after that, updated with the rows written since its own version (each
        worker reads the version per request, so a write is seen by every worker's next
        request), never rebuilt for a write.
        """
        held = self._engine
        if held is None:
            # The version first: the people read after it are at least as new.
            version = self.store.jobseekers_version()
            held = (version, MatchEngine(self.scorer, self.store.active_jobseekers()))
        elif held[0] < version:
            held = self._updated(*held)
        self._engine = held
        return held[1]

    def _updated(self, version: int, engine: MatchEngine) -> tuple[int, MatchEngine]:
        """``engine`` (at ``version``) with the jobseekers written since."""
        changes = self.store.jobseeker_changes(version)
        removed = list(changes.inactive)
        if changes.active is None:
            return changes.version, engine.updated(changes.people, removed)
        kept = changes.active | {p.id for p in changes.people}
        removed += [i for i in engine.row_of if i not in kept]
        # Rows were deleted (an erasure, a merge): fold at once, so that no deleted person
        # stays in the worker's memory, nor the vector of their text.
        if self.scorer.meaning_.active:
            gone = [engine.people[engine.row_of[i]] for i in removed if i in engine.row_of]
            self.scorer.meaning_.embedder_.forget(gone)
        return changes.version, engine.updated(changes.people, removed).folded()

    def changed_since(self, run: dict, version: int) -> frozenset[str] | None:
        """The ids of the jobseekers written since ``run`` began, as of the jobseekers'
        data ``version`` or later (None for a run that did not record where it began):
        only the rows written since the version seen last are read, none while it holds."""
        start = run["summary"].get("jobseekers_version")
        if start is None:
            return None
        held = self._changed
        if held is None or held[0] != run["id"]:
            held = (run["id"], start, frozenset())
        if held[1] < version:
            held = (run["id"], version, held[2] | self.store.jobseekers_changed_since(held[1]))
            self._changed = held
        return held[2]

    def embed(self, people: Sequence[Jobseeker] = (), needs: Sequence[Need] = ()) -> None:
        """Compute and store the sentence embeddings of what was just written, so that the
        next list reads them instead of computing them; at most ``EMBED_SECONDS`` of it (a
        large bulk leaves the rest to the first list, which stores it as it goes). The rows
        are written already: a failure here is logged, and the list computes the vectors."""
        if not self.scorer.meaning_.active:
            return
        embedder = self.scorer.meaning_.embedder_
        deadline = time.monotonic() + EMBED_SECONDS
        try:
            for embed, items in ((embedder.needs, list(needs)), (embedder.people, list(people))):
                for start in range(0, len(items), SLICE):
                    if time.monotonic() > deadline:
                        return
                    embed(items[start : start + SLICE])
        except Exception:  # the vectors are a cache of what the rows say
            log.exception("computing sentence embeddings after a write failed")

    def open_needs(self) -> OpenNeeds:
        """The open needs, prepared for jobseekers' queries (again when a need changed)."""
        version = self.store.needs_version()
        if self._open_needs is None or self._open_needs[0] != version:
            needs = self.store.open_needs()
            # Their vectors read (or computed) at once, not one query per need scored.
            self.scorer.prepare_needs(needs)
            self._open_needs = (version, self.engine().open_needs(needs))
        return self._open_needs[1]

    def concept_labels(self, language: str) -> ConceptLabels:
        """The scorer's concept labels in ``language``, each looked up once per worker (a
        list read in another language than its run's relabels about a hundred concepts)."""
        labels = self._labels.get(language)
        if labels is None:
            labels = self._labels[language] = ConceptLabels(self.scorer, language)
        return labels

    def pseudonym(self, *parts: str) -> str:
        """A keyed, stable pseudonym of ``parts`` (no id can be read back from it)."""
        message = ":".join(parts).encode()
        # The one-shot digest: the same value as hmac.new(...).hexdigest(), a few times as
        # fast (every candidate of every list served is named so).
        return hmac.digest(self.secret.encode(), message, "sha256").hex()[:16]

    def candidate_ref(self, viewer: str, need_id: str, jobseeker_id: str, query: str = "") -> str:
        """How a candidate list names a person to ``viewer`` (:func:`viewer_of`): one
        pseudonym per viewer and need (and per ``query`` for a need that is not stored), so
        that two readers, two needs or two ad-hoc queries cannot link their lists."""
        return self.pseudonym("candidate", viewer, need_id, query, jobseeker_id)

    def person_ref(self, jobseeker_id: str) -> str:
        """How the audit log names a person: a pseudonym, so erasure leaves no identifier."""
        return f"jobseeker:{self.pseudonym('audit', jobseeker_id)}"


class ConceptLabels(dict):
    """Concept id → its label in one language (None when unknown), filled as asked."""

    def __init__(self, scorer: MatchScorer, language: str) -> None:
        super().__init__()
        self.scorer, self.language = scorer, language

    def __missing__(self, concept: str) -> str | None:
        label = self[concept] = self.scorer.concept_label(concept, self.language)
        return label


@dataclass(frozen=True)
class ScoringChoice:
    """The fitted scorer the service uses, and what it scores with: the default weights or
    the configured model, with the reason when a configured model was refused."""

    scorer: MatchScorer
    active: str
    model: dict | None = None
    refused: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"active": self.active, "model": self.model, "refused": self.refused}


@functools.lru_cache(maxsize=4)
def build_scorer(
    vocabulary_paths: tuple[str, ...], as_of, model_path: str | None = None, esco: bool = True
) -> ScoringChoice:
    """The scorer with the region's vocabulary, the shipped ESCO (unless ``esco`` is false)
    and any further imported ones, scoring with the model at ``model_path`` when its metadata
    fits the code, else the default weights (and the refusal is logged and reported)."""
    vocabulary = default_vocabulary(esco)
    for path in vocabulary_paths:
        vocabulary = vocabulary.merged(SkillVocabulary.load(path))
    scorer = MatchScorer(vocabulary=vocabulary, as_of=as_of).fit()
    if not model_path:
        return ScoringChoice(scorer, scorer.version_)
    try:
        model, metadata = load_model(model_path, scorer.feature_names_, scorer.feature_versions_)
    except ModelRefused as error:
        log.warning("model refused, scoring with the default weights: %s", error)
        return ScoringChoice(scorer, scorer.version_, refused=str(error))
    scorer = MatchScorer(
        vocabulary=vocabulary, as_of=as_of, weights_version=metadata["name"], model=model
    ).fit()
    return ScoringChoice(scorer, metadata["name"], model=metadata)


def configured_scoring(settings: Mapping[str, Any], *, with_model: bool = True) -> ScoringChoice:
    """The scoring the configuration asks for: its vocabularies, reference date and (unless
    ``with_model`` is false) model."""
    as_of = dt.date.fromisoformat(settings["AS_OF"]) if settings["AS_OF"] else None
    model = settings["MODEL"] if with_model else None
    return build_scorer(tuple(settings["VOCABULARY_PATHS"]), as_of, model, settings["ESCO"])


def read_candidates(
    services: Services,
    principal: Principal,
    need: Need,
    query: dict[str, Any],
    updated_at,
    export: str | None = None,
) -> dict[str, Any]:
    """A stored need's candidate list as :func:`candidate_list` gives it, audit-logged and
    counted: what every reader of a candidate list (API or page) goes through. A list read
    to be ``export``-ed as a file (``csv``, ``xlsx``) is audited as an export in that format."""
    result = candidate_list(services, principal, need, query, updated_at)
    detail = {
        "source": result["source"],
        "limit": query["limit"],
        "offset": query["offset"],
        "returned": len(result["items"]),
    }
    if export:
        detail["format"] = export
    action = "candidates.export" if export else "candidates.read"
    services.store.audit(principal, action, f"need:{need.id}", detail)
    MATCHES_SERVED.labels(result["source"]).inc(len(result["items"]))
    return result


def read_needs_for(
    services: Services, principal: Principal, person: Jobseeker, query: dict[str, Any]
) -> dict[str, Any]:
    """The needs that fit ``person`` (:func:`need_list`), audit-logged and counted."""
    result = need_list(services, person, query)
    services.store.audit(
        principal,
        "needs_for_jobseeker.read",
        services.person_ref(person.id),
        {"returned": len(result["items"])},
    )
    MATCHES_SERVED.labels(result["source"]).inc(len(result["items"]))
    return result


def read_profile(services: Services, principal: Principal, jobseeker_id: str) -> tuple:
    """A jobseeker and their record, the read audit-logged (the person as a pseudonym)."""
    found = services.store.jobseeker(jobseeker_id)
    services.store.audit(principal, "jobseeker.read", services.person_ref(jobseeker_id))
    return found


def read_profiles(services: Services, principal: Principal, query: dict[str, Any]) -> Page:
    """A page of jobseekers found by ``query`` (:func:`search_jobseekers`; a skill in any
    language, a language at a level), the read audit-logged: the filters by name only, the
    people listed by their pseudonyms, never their data."""
    query = dict(query)
    wanted = ProfileQuery(
        query.pop("skill", ""), query.pop("language", None), query.pop("min_level", None)
    )
    keep = wanted.matcher(services.scorer.skills_.mapper_) if wanted != ProfileQuery() else None
    page = search_jobseekers(services.store, keep=keep, **query)
    people = [services.person_ref(person.id) for person, _ in page.items]
    filters = sorted(k for k in query if k not in ("page", "page_size"))
    filters += [k for k, v in vars(wanted).items() if v]
    detail = {"page": page.page, "returned": len(people), "people": people, "filters": filters}
    services.store.audit(principal, "jobseekers.read", "jobseekers", detail)
    return page


def record_outcome(
    services: Services,
    principal: Principal,
    need_id: str,
    jobseeker_id: str,
    outcome: str,
    note: str,
) -> dict[str, Any]:
    """Store what happened with a candidate (a hire or a start also places the person for
    a while: :func:`storage_shortlists.record_outcome`), and audit it (the person as a
    pseudonym)."""
    recorded = storage_shortlists.record_outcome(
        services.store, need_id, jobseeker_id, outcome, note, services.placement_days, principal
    )
    services.store.audit(
        principal,
        "outcome.record",
        f"need:{need_id}",
        {"outcome": outcome, "person": services.person_ref(jobseeker_id)},
    )
    return recorded


def decide(
    services: Services,
    principal: Principal,
    need_id: str,
    jobseeker_id: str,
    action: str,
    reason: str,
) -> dict[str, Any] | None:
    """Pin, hide or clear a candidate (the store audits it, the person as a pseudonym)."""
    return services.store.set_decision(
        need_id, jobseeker_id, action, reason, principal, services.person_ref(jobseeker_id)
    )


def candidate_list(
    services: Services,
    principal: Principal,
    need: Need,
    query: dict[str, Any],
    updated_at=None,
) -> dict[str, Any]:
    """The ranked, explained candidates for ``need``, shaped for ``principal``.

    Served from the latest complete batch run when it is fresh (neither the need nor any
    jobseeker changed since the run started, made by the same scorer) and the page lies within
    it; computed live by the same two-stage engine otherwise. ``since_run`` keeps only
    candidates that run did not list. The recruiters' decisions come first: pinned candidates
    head the list and hidden ones are left out (``show_hidden`` keeps them, marked), as are
    people placed now (hired, or in an apprenticeship or a training) unless pinned.
    ``updated_at`` is None for a need that is not stored (ad-hoc matching).
    """
    if query.get("unmet"):
        query = {**query, "include_excluded": True}
    limit, offset = query["limit"], query["offset"]
    view = CandidateView.of(services, principal, need, updated_at is not None, query["language"])
    decisions = services.store.decisions(need.id) if updated_at is not None else {}
    pinned = [j for j, d in decisions.items() if d["action"] == "pin"]
    hidden = {j for j, d in decisions.items() if d["action"] == "hide"}
    # Only staff may look behind a hide; a company's list never shows hidden people.
    see_hidden = query.get("show_hidden") and principal.role != "company"
    skip = set(pinned) | (set() if see_hidden else hidden)
    pins = pinned[offset : offset + limit]
    page = {"limit": limit - len(pins), "offset": max(0, offset - len(pinned))}
    run, changed = _fresh_run(services, updated_at, query)
    previous = _listed_in(services, query.get("since_run"), need.id)
    items = None
    if run is not None and previous is None:
        if changed:
            items = _brought_up_to_date(view, run, changed, query, page, skip)
        else:
            # The whole list in one statement: its people are the only ones whose placement
            # matters (never everyone placed), and the page is cut from it.
            rows = storage_shortlists.run_list(services.store, run["id"], need.id, utcnow().date())
            skip = skip | {r["jobseeker_id"] for r in rows if r["placed"]}
            if _within(page, skip, run["k"]):
                items = _from_run(view, run, query, page, skip, rows)
    source, eligible = "batch", None
    if items is None:
        drop = skip | (previous or set())
        (items, eligible), source = _live(view, query, page, drop), "live"
    # A recruiter's reason may say something about the person: not for the company.
    shown = decisions if principal.role != "company" else {}
    # From a run: whether a person changed since it began (and was scored again for it).
    marks = [None] * len(pins) + [None if source == "live" else i in changed for i, _ in items]
    items = _pinned_items(view, pins, query["language"]) + items
    items = [
        {**item, "newer_than_run": mark, "decision": shown.get(person_id)}
        for (person_id, item), mark in zip(items, marks, strict=True)
    ]
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


def placed_now(services: Services, ids: Iterable[str]) -> dict[str, dict]:
    """Those of ``ids`` placed today (employed, in an apprenticeship or a training), by id."""
    return storage_shortlists.placed(services.store, utcnow().date(), ids)


def _within(page: dict, skip: set[str], k: int) -> bool:
    """Whether a run's top ``k`` holds the page even when ``skip`` people are left out."""
    return page["offset"] + page["limit"] + len(skip) <= k


def _fresh_run(services: Services, updated_at, query) -> tuple[dict | None, frozenset[str]]:
    """The latest run when it can serve this need's list (made by the same scorer, the need
    unchanged since it began), and the people changed since it began."""
    if updated_at is None or query["include_excluded"]:
        return None, frozenset()
    run, written, version = services.store.serving_state()
    services.refresh(version)
    if run is None or not _same_scorer(run["scorer"], services.scorer):
        return None, frozenset()
    if updated_at > run["started_at"]:
        return None, frozenset()
    changed = services.changed_since(run, version)
    if changed is None:
        # A run that did not record where it began serves only while no one changed.
        stale = written and written > run["started_at"]
        return (None if stale else run), frozenset()
    return run, changed


def _same_scorer(recorded: dict | None, scorer: MatchScorer) -> bool:
    """Whether a run was made by a scorer like ``scorer``: same features, weights, vocabulary
    and model (a run that does not say is never taken to be)."""
    fingerprint = scorer.description_["fingerprint"]
    return recorded is not None and recorded.get("fingerprint") == fingerprint


def _listed_in(services: Services, run_id: int | None, need_id: str) -> set[str] | None:
    if run_id is None:
        return None
    services.store.batch_run(run_id)
    return {c["jobseeker_id"] for c in services.store.run_candidates(run_id, need_id)}


def _brought_up_to_date(view: CandidateView, run, changed, query, page, skip) -> list | None:
    """A page of the run's list of the need brought up to date with the ``changed`` people
    (:meth:`MatchEngine.brought_up_to_date`); None when the run cannot tell (no stage-1
    cut, another pool) or the page lies beyond what is certain."""
    services, need = view.services, view.need
    engine = services.engine()
    cut = services.store.run_cut(run["id"], need.id)
    if cut is None or run["summary"].get("pool") != engine.pool:
        return None
    rows = {r["jobseeker_id"]: r for r in services.store.run_candidates(run["id"], need.id)}
    listed = [(i, r["score"]) for i, r in rows.items()]
    now = engine.brought_up_to_date(need, listed, run["k"], cut, changed)
    skip = skip | set(placed_now(services, now.ids))
    kept = [(i, s) for i, s in zip(now.ids, now.scores, strict=True) if i not in skip]
    whole = len(listed) < run["k"] and len(now.ids) < run["k"]
    if not whole and _end(page) > len(kept):
        return None
    chosen = kept[page["offset"] : _end(page)]
    fresh = {engine.ids[r]: position for position, r in enumerate(now.fresh.rows)}
    people = services.people([i for i, _ in chosen])
    items = []
    for rank, (person_id, score) in enumerate(chosen, start=page["offset"] + 1):
        person = people[person_id]
        if person_id in fresh:
            at = fresh[person_id]
            match = services.scorer.explained(
                need, person, now.fresh.scores[at], now.fresh.values[at], False, query["language"]
            )
            explanation = match.explanation.to_dict()
        else:
            explanation = _run_explanation(services, run, need, person, rows[person_id], query)
        items.append((person_id, view.item(person, rank, score, False, explanation)))
    return items


def _run_explanation(services: Services, run, need, person, row, query) -> dict:
    """A run candidate's explanation: as stored, else from its stored feature values."""
    stored_language = run["summary"].get("explained", {}).get("language")
    explanation = _stored(services, row["explanation"], stored_language, query["language"])
    if explanation is None:
        explanation = services.scorer.explain(
            need, person, run_features(row), False, query["language"]
        ).to_dict()
    return explanation


def _from_run(
    view: CandidateView, run, query, page, skip, listed: Sequence[Mapping]
) -> list[tuple]:
    """A page of a run's whole ``listed`` rows, without the ``skip``-ped people."""
    services, need = view.services, view.need
    rows = [r for r in listed if r["jobseeker_id"] not in skip][page["offset"] : _end(page)]
    people = services.people([r["jobseeker_id"] for r in rows])
    items = []
    for position, row in enumerate(rows, start=page["offset"] + 1):
        person = people[row["jobseeker_id"]]
        explanation = _run_explanation(services, run, need, person, row, query)
        items.append((person.id, view.item(person, position, row["score"], False, explanation)))
    return items


def _stored(services: Services, raw: bytes | None, stored: str, language: str) -> dict | None:
    """A stored explanation, when it can be shown without scoring again: with its reasons as
    data (a run written before they were holds sentences, explained again from its stored
    feature values), and written in the ``language`` asked for or with the ids of its
    concepts, named again in that language."""
    if raw is None:
        return None
    explanation = unpacked_explanation(raw)
    suggestion = explanation.get("suggestion")
    old = isinstance(suggestion, str) or any(
        isinstance(p, str) for p in explanation.get("unmet_preferences", ())
    )
    if old or (language != stored and "concept_ids" not in explanation):
        return None
    if language == stored:
        explanation.pop("concept_ids", None)
        return explanation
    return relabelled(explanation, services.concept_labels(language).__getitem__)


def _end(page: dict) -> int:
    return page["offset"] + page["limit"]


def _pinned_items(view: CandidateView, ids: list[str], language: str) -> list[tuple]:
    """Pinned candidates, scored and explained one by one (a pin may even be excluded)."""
    people = view.services.people(ids)
    items = []
    for person_id in ids:
        match = view.services.scorer.match(view.need, people[person_id], language)
        explanation = match.explanation.to_dict()
        item = view.item(
            people[person_id],
            None,
            match.score,
            match.excluded,
            explanation,
            match.score_with_remedy,
        )
        items.append((person_id, item))
    return items


def _live(view: CandidateView, query, page, drop) -> tuple[list[tuple], int]:
    engine = view.services.engine()
    ranked = engine.rank(view.need)
    drop = drop | set(placed_now(view.services, engine.ids[ranked.rows].tolist()))
    unmet = query.get("unmet")
    if drop or unmet:
        keep = np.array([engine.ids[r] not in drop for r in ranked.rows], dtype=bool)
        if unmet:
            keep &= _lacking(view, engine, ranked, unmet)
        ranked = type(ranked)(
            view.need,
            ranked.rows[keep],
            ranked.scores[keep],
            ranked.values[keep],
            ranked.excluded[keep],
            ranked.remedied[keep],
        )
    matches = engine.matches(
        ranked, page["limit"], page["offset"], query["include_excluded"], query["language"]
    )
    first = page["offset"] + 1
    items = []
    for position, match in enumerate(matches):
        rank = None if match.excluded else first + position
        person = engine.people[engine.row_of[match.jobseeker_id]]
        explanation = match.explanation.to_dict()
        item = view.item(
            person, rank, match.score, match.excluded, explanation, match.score_with_remedy
        )
        items.append((person.id, item))
    return items, engine.eligible(view.need)


def explained(explanation: dict, language: str) -> dict:
    """``explanation`` with its reasons rendered in ``language`` (:mod:`service.web.explain`)."""
    # Imported here: the pages' package imports this module (through the API's helpers).
    from service.web.explain import explained as rendered

    return rendered(explanation, language)


def _lacking(view: CandidateView, engine: MatchEngine, ranked, field: str) -> np.ndarray:
    """Which of ``ranked`` are near-misses lacking the requirement ``field`` (``languages``
    takes every language, ``languages.sv`` one) as this reader names it: a company names a
    health or eligibility requirement only as ``requirement``."""
    lacking = np.zeros(len(ranked.rows), dtype=bool)
    for i in np.flatnonzero(ranked.excluded):
        person = engine.people[ranked.rows[i]]
        unmet = view.services.scorer.unmet(view.need, person)
        lacking[i] = lacks({view.requirement_field(r.field) for r in unmet}, field)
    return lacking


def lacks(fields: set[str], field: str) -> bool:
    """Whether unmet requirements named ``fields`` include ``field`` (``languages`` is any
    language)."""
    return any(f == field or f.startswith(f"{field}.") for f in fields)


def viewer_of(principal: Principal) -> str:
    """Whose view of candidates a principal has: their company's, or the staff's."""
    return f"company:{principal.company_id}" if principal.role == "company" else "staff"


# Unmet hard requirements that tell of a person's health (work ability) or eligibility (work
# permit): a company reads the neutral requirement instead, and no suggestion.
SENSITIVE_REQUIREMENTS = frozenset({"work_demands", "work_permit"})
# Features whose values tell the same (work ability against the need's demands; eligibility
# for a wage subsidy): left out of a company's explanation.
SENSITIVE_FEATURES = frozenset({"demands_compatible", "wage_subsidy_fit"})
NEUTRAL_REQUIREMENT = {"field": "requirement", "code": "requirement_of_need", "params": {}}


@dataclass(frozen=True)
class CandidateView:
    """One reader's view of one need's candidates.

    Staff see who each candidate is and the whole explanation. A company sees a pseudonym
    keyed by its company and the need (and the query, for an ad-hoc need), the municipality,
    and an explanation without the person's own words or health and eligibility detail.
    """

    services: Services
    principal: Principal
    need: Need
    query_key: str = ""
    language: str = "en"

    @classmethod
    def of(cls, services: Services, principal: Principal, need: Need, stored: bool, language: str):
        """The view of ``need``'s candidates, explained in ``language``; an ad-hoc (not
        ``stored``) need's refs are new with every query."""
        key = "" if stored else secrets.token_hex(16)
        return cls(services, principal, need, key, language)

    @property
    def company(self) -> bool:
        return self.principal.role == "company"

    def requirement_field(self, field: str) -> str:
        """An unmet requirement's field as this reader may read it."""
        return (
            NEUTRAL_REQUIREMENT["field"]
            if self.company and field in SENSITIVE_REQUIREMENTS
            else field
        )

    def facts(self, person: Jobseeker) -> dict[str, Any]:
        """What a recruiter compares candidates by besides the explanation: when the person
        can start, their languages (for a company only those the need asks for) and how far
        they live from the need's municipality."""
        asked = {s.language for s in self.need.languages}
        languages = [
            {"language": s.language, "level": s.level}
            for s in person.languages
            if not self.company or s.language in asked
        ]
        return {
            "available_from": person.available_from,
            "languages": languages,
            "distance_km": distance_km(self.need.municipality, person.municipality),
        }

    def item(
        self, person: Jobseeker, rank, score, excluded: bool, explanation, remedied=None
    ) -> dict:
        """A candidate's rank, score (and for a near-miss the score with the requirements
        met), who they are and why, as this reader may see them."""
        ref = self.services.candidate_ref(
            viewer_of(self.principal), self.need.id, person.id, self.query_key
        )
        if self.company:
            candidate = {"id": None, "ref": ref, "name": None, "headline": None}
            explanation = for_company(explanation)
        else:
            candidate = {"id": person.id, "ref": ref, "name": person.name}
            candidate["headline"] = person.headline
        explanation = explained(explanation, self.language)
        candidate["municipality"] = person.municipality
        candidate.update(self.facts(person))
        return {
            "rank": rank,
            "score": score,
            "score_with_remedy": remedied,
            "candidate": candidate,
            "excluded": excluded,
            "explanation": explanation,
        }


@functools.lru_cache(maxsize=65536)
def distance_km(a: str, b: str) -> int | None:
    """Whole kilometres between two municipalities' centres (None for a name not known)."""
    places = municipalities()
    if a not in places or b not in places:
        return None
    return round(places.distance_km(a, b))


def for_company(explanation: dict) -> dict:
    """An explanation as a company may read it: matched skills named by the need's words and
    the vocabulary, not the person's, health or eligibility reasons made neutral, and the
    features that tell of them left out (so the contributions shown sum to the score less
    theirs)."""
    reasons = explanation["unmet_requirements"]
    unmet = [r for r in reasons if r["field"] not in SENSITIVE_REQUIREMENTS]
    neutral = len(unmet) < len(reasons)
    return {
        **explanation,
        "features": [f for f in explanation["features"] if f["name"] not in SENSITIVE_FEATURES],
        "matched_skills": [{**m, "evidence": None} for m in explanation["matched_skills"]],
        "unmet_requirements": unmet + ([dict(NEUTRAL_REQUIREMENT)] if neutral else []),
        "suggestion": None if neutral else _without_sensitive(explanation["suggestion"]),
    }


def _without_sensitive(suggestion: dict | None) -> dict | None:
    """A suggestion a company may read: none when it names a left-out feature."""
    if suggestion and suggestion.get("params", {}).get("feature") in SENSITIVE_FEATURES:
        return None
    return suggestion


def need_list(services: Services, person: Jobseeker, query: dict[str, Any]) -> dict[str, Any]:
    """The needs that fit ``person`` best, explained: both stages of the engine, from the
    other side (the reachable open needs most like the person, then every feature)."""
    limit, offset = query["limit"], query["offset"]
    engine, open_needs = services.engine(), services.open_needs()
    ranked = engine.rank_person(person, open_needs)
    near = query["include_excluded"]
    if query.get("unmet"):
        ranked, near = _needs_lacking(services, ranked, query["unmet"]), True
    matches = engine.need_matches(ranked, limit, offset, near, query["language"])
    items = []
    for position, m in enumerate(matches, start=offset + 1):
        need = open_needs.by_id[m.need_id]
        items.append(
            {
                "need_id": need.id,
                "company_id": need.company_id,
                "title": need.title,
                "kind": need.kind,
                "municipality": need.municipality,
                "rank": None if m.excluded else position,
                "score": m.score,
                "score_with_remedy": m.score_with_remedy,
                "excluded": m.excluded,
                "explanation": explained(m.explanation.to_dict(), query["language"]),
            }
        )
    return {
        "jobseeker_id": person.id,
        "source": "live",
        "computed_at": utcnow(),
        "limit": limit,
        "offset": offset,
        "items": items,
        "shortlisted": _shortlisted(services, person, open_needs, limit),
    }


def _needs_lacking(services: Services, ranked: RankedPerson, field: str) -> RankedPerson:
    """Only the needs whose unmet hard requirements for the person include ``field``."""
    keep = np.array(
        [
            bool(out)
            and lacks({r.field for r in services.scorer.unmet(need, ranked.person)}, field)
            for need, out in zip(ranked.needs, ranked.excluded, strict=True)
        ],
        dtype=bool,
    )
    return RankedPerson(
        ranked.person,
        [need for need, kept in zip(ranked.needs, keep, strict=True) if kept],
        ranked.scores[keep],
        ranked.values[keep],
        ranked.excluded[keep],
    )


def _shortlisted(services: Services, person: Jobseeker, needs: OpenNeeds, limit: int):
    """Where the latest complete run listed ``person``: its open needs whose candidate list
    holds them, best score first (None before any run)."""
    run = services.store.latest_run()
    if run is None:
        return None
    entries = [
        {**entry, "title": needs.by_id[entry["need_id"]].title}
        for entry in services.store.run_needs_for(run["id"], person.id)
        if entry["need_id"] in needs.by_id
    ]
    return {"run_id": run["id"], "finished_at": run["finished_at"], "items": entries[:limit]}
