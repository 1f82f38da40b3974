"""Two-stage matching at scale: sparse candidate generation, then the full explained rerank.

Stage 1 represents needs and people as sparse vectors (skill concepts, sectors and hashed
words) and keeps, per need, the ``pool`` people with the largest dot products among those who
can reach the need's municipality — a top-k sparse product (``sparse_dot_topn``), never a dense
matrix. Stage 2 scores those candidates with every feature of :class:`MatchScorer`.

The live query for one need and the nightly batch call the same two functions over the same
matrices, so their answers are identical. A jobseeker's best needs are found the same way
from the other side: stage 1 keeps the ``pool`` open needs most similar to the person among
those they can reach (:class:`OpenNeeds`, prepared once), stage 2 scores those.
"""

from __future__ import annotations

import heapq
import itertools
import os
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from sparse_dot_topn import sp_matmul_topn

from matcher.domain import LEARNING_KINDS, Jobseeker, Match, Need
from matcher.features.base import PersonTable
from matcher.geo import municipalities
from matcher.lexical import prune
from matcher.ranking import Ranking, check_limit, order
from matcher.scoring import MatchScorer, Population

DEFAULT_POOL = 200
# Needs of one place from which the batch ranks them together (stage 1's sparse product over
# their reachable people's transposed vectors) rather than one by one: transposing costs
# about as much as ten needs' exact stage-1 scores.
SHARED_STAGE_ONE = 10
# The n-grams of a person's text that stage 1 keeps (a need keeps twice as many): its
# sparse product costs in proportion, while stage 2 compares the whole texts.
STAGE1_NGRAMS = 48
# A person described only in prose keeps four times as many: their words are their whole
# profile (on the ESCO descriptions set, NDCG@10 0.363 with twice as many, 0.374 with four
# times, 0.375 with eight).
PROSE_NGRAMS = 4 * STAGE1_NGRAMS


@dataclass(frozen=True)
class RankedPerson:
    """Stage-2 result for one jobseeker: the candidate needs best first, their scores and
    features."""

    person: Jobseeker
    needs: list[Need]
    scores: np.ndarray
    values: np.ndarray
    excluded: np.ndarray


class OpenNeeds:
    """Open needs prepared once for many jobseeker queries (:meth:`MatchEngine.open_needs`):
    sorted by id, with their stage-1 vectors and their places.

    Whether a person can reach a need depends on the need only through its municipality and
    remoteness, so reach is decided once per place, not once per need. ``learning`` marks the
    apprenticeships and trainings, where a skill gap is expected.
    """

    def __init__(self, needs: Sequence[Need], vectors: sp.csr_matrix) -> None:
        self.needs = list(needs)
        self.ids = np.array([n.id for n in self.needs], dtype=object)
        self.by_id = {n.id: n for n in self.needs}
        # Column access: a person's vector touches few concepts and words.
        self.by_term = vectors.tocsc()
        places: dict[tuple[str, bool], list[int]] = defaultdict(list)
        for position, need in enumerate(self.needs):
            places[(need.municipality, need.remote)].append(position)
        self.places = {key: np.array(rows, dtype=np.int64) for key, rows in places.items()}
        self.learning = np.array([n.kind in LEARNING_KINDS for n in self.needs], dtype=bool)

    def __len__(self) -> int:
        return len(self.needs)


@dataclass(frozen=True)
class RankedNeed:
    """Stage-2 result for one need: candidate rows best first, their scores and features."""

    need: Need
    rows: np.ndarray
    scores: np.ndarray
    values: np.ndarray
    excluded: np.ndarray
    #: The scores with every hard requirement met (how near-misses are ordered).
    remedied: np.ndarray
    #: Who stage 1 handed over (when the ranking tells it, see :meth:`MatchEngine.rank`).
    cut: StageOneCut | None = None


@dataclass(frozen=True)
class Proposal:
    """Stage 1's choice for one need in a batch: its ``rows`` and their exact ``scores``;
    and, when the sparse product's proposals decided it, those (``proposed``, sorted), their
    exact scores and the floor (the kernel score of the last proposal, 0 when every person
    with a positive score was proposed): no one else scores above it."""

    rows: np.ndarray
    scores: np.ndarray
    proposed: np.ndarray | None = None
    proposed_scores: np.ndarray | None = None
    floor: float = 0.0


#: A place in stage 1's order: (score, id); a higher score first, then the smaller id.
Floor = tuple[float, str]


@dataclass(frozen=True)
class StageOneCut:
    """Who stage 1 handed to stage 2 for a need, told so that a later engine can say of any
    person unchanged since whether they were among them (a person's stage-1 score and reach
    depend on the person and the need alone).

    ``floor`` is the last person kept among those who can reach the need, None when every
    positive score was kept; ``completed`` whether eligible people were added
    (:meth:`MatchEngine._completion`), and ``completed_floor`` the last of those, None when
    every eligible person was.
    """

    floor: Floor | None
    completed: bool = False
    completed_floor: Floor | None = None


@dataclass(frozen=True)
class UpToDate:
    """A run's list of a need as a full ranking now would give it (:meth:`MatchEngine.
    brought_up_to_date`): the ``ids`` and ``scores`` of its eligible people best first, as
    far as the order is certain, and the stage-2 result of the people scored again
    (``fresh``), whose rows the listed ones may be."""

    ids: list[str]
    scores: list[float]
    fresh: RankedNeed


class MatchEngine:
    """Jobseekers prepared once for many queries: stage-1 vectors and the scoring population.

    Parameters
    ----------
    scorer : MatchScorer
        A fitted scorer (its vocabulary and weights are used for both stages).
    people : sequence of Jobseeker
        The active jobseekers; they are held sorted by id so every engine over the same people
        has the same row order.
    pool : int
        Candidates kept per need by stage 1 (the rerank's input size).
    n_threads : int or None
        Threads for the sparse top-k product; all cores when None.
    sector_weight, text_weight : float
        Weights of the sector and word blocks against the concept block in stage 1.
    prose_text_weight : float
        The word block's weight for a person described only in prose, whose concepts are
        read off sentences (weak evidence) while their words are the whole profile.
    meaning_weight : float
        The weight of the meaning regions (:meth:`~matcher.features.meaning.MeaningFit.
        regions`) against the rest of a stage-1 vector, which is of unit length; 0 leaves
        the regions out.
    prepared : Population, tuple of (Population, csr_matrix), or None
        The people's population, and their stage-1 vectors, when already prepared, in id
        order (``people`` is then ignored).
    """

    def __init__(
        self,
        scorer: MatchScorer,
        people: Sequence[Jobseeker],
        pool: int = DEFAULT_POOL,
        n_threads: int | None = None,
        sector_weight: float = 0.5,
        text_weight: float = 0.6,
        prose_text_weight: float = 10.0,
        meaning_weight: float = 0.3,
        prepared: Population | tuple[Population, sp.csr_matrix] | None = None,
    ) -> None:
        self.scorer = scorer
        self.pool = pool
        # sparse_dot_topn's -1 means "physical cores minus one": one thread on two cores.
        self.n_threads = n_threads or os.cpu_count() or 1
        self.sector_weight = sector_weight
        self.text_weight = text_weight
        self.prose_text_weight = prose_text_weight
        self.meaning_weight = meaning_weight
        if isinstance(prepared, Population):
            prepared = (prepared, None)
        if prepared is not None:
            people = prepared[0].people
        self.people = sorted(people, key=lambda p: p.id)
        self.ids = np.array([p.id for p in self.people], dtype=object)
        self.row_of = {p.id: i for i, p in enumerate(self.people)}
        self.lexicon = scorer.text_.space_
        if prepared is None:
            prepared = (scorer.population(self.people), None)
        self.population, vectors = prepared
        self.vectors = self._person_vectors() if vectors is None else vectors
        # Column access for exact stage-1 scores: a need touches few concepts and words.
        self._by_concept = self.vectors.tocsc()
        self._reach: dict[tuple[int, bool], np.ndarray] = {}
        self._transposed: dict[bytes, sp.csr_matrix] = {}

    def __len__(self) -> int:
        return len(self.people)

    def params(self) -> dict:
        """The engine's parameters (to build another like it)."""
        return {
            "pool": self.pool,
            "n_threads": self.n_threads,
            "sector_weight": self.sector_weight,
            "text_weight": self.text_weight,
            "prose_text_weight": self.prose_text_weight,
            "meaning_weight": self.meaning_weight,
        }

    def folded(self) -> MatchEngine:
        """This engine as one plain engine (it is one)."""
        return self

    def updated(self, changed: Sequence[Jobseeker], removed: Iterable[str] = ()) -> MatchEngine:
        """This engine with ``changed`` people put in (new ones, or new versions replacing
        the held ones) and the people with ``removed`` ids left out: every answer equals
        that of an engine built over the new set of people, but only the changed people are
        prepared (see :class:`UpdatedEngine`)."""
        return UpdatedEngine(self, changed, removed).settled()

    # -- stage 1 ------------------------------------------------------------------------------

    def _person_vectors(self) -> sp.csr_matrix:
        if not self.people:
            return self._no_vectors()
        return self._vectors_of(self.population)

    def _no_vectors(self) -> sp.csr_matrix:
        width = self._words_at() + self.lexicon.n_features + self._region_count()
        return sp.csr_matrix((0, width), dtype=np.float32)

    def _region_count(self) -> int:
        """The columns of the meaning regions (none without a model, or at weight 0)."""
        return len(self.scorer.meaning_.centres_) if self.meaning_weight else 0

    def _words_at(self) -> int:
        """The first column of the word block of a stage-1 vector."""
        return len(self.scorer.skills_.concept_index_) + self._sector_count()

    def _vectors_of(self, population: Population) -> sp.csr_matrix:
        skills = population.skills
        concepts = _unit(skills.support + 0.5 * skills.interests)
        sectors = _unit(skills.sectors + 0.5 * skills.interest_sectors)
        prose = population.table.prose
        weights = np.where(prose, self.prose_text_weight, self.text_weight).astype(np.float32)
        keep = np.where(prose, PROSE_NGRAMS, STAGE1_NGRAMS)
        words = sp.diags(weights) @ prune(population.text, keep)
        return self._stack(concepts, sectors, words, population.meaning)

    def _sector_count(self) -> int:
        return len(self.scorer.skills_.sector_index_)

    def need_vectors(self, needs: Sequence[Need]) -> sp.csr_matrix:
        """Stage-1 vectors of ``needs``."""
        if not needs:
            return self._no_vectors()
        fit = self.scorer.skills_
        profiles = [fit.need_skills(n) for n in needs]
        concepts = _unit(fit._matrix([p.weights for p in profiles]))
        sectors = np.vstack([p.sectors for p in profiles])
        words = prune(self.lexicon.needs(needs), 2 * STAGE1_NGRAMS)
        # The needs' embeddings only where the regions read them (else none are computed).
        meaning = self.scorer.meaning_.needs(needs) if self._region_count() else None
        return self._stack(concepts, sectors, self.text_weight * words, meaning)

    def _stack(self, concepts, sectors, words, meaning) -> sp.csr_matrix:
        """The blocks side by side (``words`` already weighted) as a unit vector, then the
        regions of the embeddings ``meaning`` (:meth:`~matcher.features.meaning.MeaningFit.
        people` or ``needs``) weighted against it; rows of unit length."""
        blocks = [concepts, self.sector_weight * sp.csr_matrix(sectors), words]
        text = _unit(sp.hstack(blocks, format="csr").astype(np.float32))
        if not self._region_count():
            return text
        regions = self.meaning_weight * self.scorer.meaning_.regions(meaning)
        return _unit(sp.hstack([text, regions], format="csr").astype(np.float32))

    def reachable(self, need: Need) -> np.ndarray:
        """Rows of the people who can reach ``need``: within their commute limit, willing to
        relocate, or both remote."""
        places = municipalities()
        key = (places.index(need.municipality), need.remote)
        if key not in self._reach:
            # The location family's own hard requirement, so stage 1 never drops anyone
            # stage 2 would keep; it depends on the need only through ``key``.
            beyond = self.scorer.family("location").need_unmet(need, self.population.table)
            self._reach[key] = np.flatnonzero(~beyond)
        return self._reach[key]

    def candidates(
        self, needs: Sequence[Need], vectors: sp.csr_matrix | None = None
    ) -> list[np.ndarray]:
        """Stage 1 for many needs (the batch): per need, the rows of its ``pool`` best
        candidates among the people who can reach it (``vectors``: the needs' stage-1
        vectors, when already made).

        A top-k sparse product proposes twice the pool; the proposals are then scored exactly
        as :meth:`candidates_for` scores everyone, and cut the same way, so the batch and a
        live query pick the same people. Where near-ties could reach past the proposals, the
        need falls back to the live computation.
        """
        return [proposal.rows for proposal in self._proposals(needs, vectors)]

    def _proposals(
        self, needs: Sequence[Need], vectors: sp.csr_matrix | None = None
    ) -> list[Proposal]:
        """Stage 1 for many needs as :meth:`candidates` gives it, with what the sparse
        product proposed (:class:`Proposal`)."""
        groups: dict[tuple, list[int]] = defaultdict(list)
        for position, need in enumerate(needs):
            groups[(need.municipality, need.remote)].append(position)
        nothing = np.zeros(0, dtype=np.int64)
        out = [Proposal(nothing, np.zeros(0))] * len(needs)
        vectors = self.need_vectors(needs) if vectors is None else vectors
        for positions in groups.values():
            rows = self.reachable(needs[positions[0]])
            if not len(rows):
                continue
            top = sp_matmul_topn(
                vectors[positions],
                self._columns(rows),
                top_n=2 * self.pool,
                sort=True,
                n_threads=self.n_threads,
            )
            for i, position in enumerate(positions):
                proposed = rows[top.indices[top.indptr[i] : top.indptr[i + 1]]]
                floor = top.data[top.indptr[i + 1] - 1] if len(proposed) == 2 * self.pool else 0.0
                out[position] = self._cut(vectors[position], proposed, floor, needs[position])
        return out

    def candidates_for(self, need: Need, vector: sp.csr_matrix | None = None) -> np.ndarray:
        """Stage 1 for one need (the live query): every reachable person scored exactly."""
        vector = self.need_vectors([need]) if vector is None else vector
        return self._exact_best(self._scores(vector), self.reachable(need))

    def _exact_best(self, scores: np.ndarray, rows: np.ndarray, with_zero: bool = False):
        """The ``pool`` best of ``rows`` by their exact stage-1 ``scores`` (everyone's, see
        :meth:`_scores`; :func:`_best`)."""
        return _best(rows, scores[rows], self.pool, with_zero, self._tie_keys(rows))[0]

    def _scores(self, vector) -> np.ndarray:
        """Everyone's exact stage-1 score against ``vector``, by row."""
        # Everyone's, then gathered by the caller: a dense gather costs far less than
        # picking thousands of rows out of a sparse matrix.
        columns = self._by_concept[:, vector.indices]
        return _rounded(columns @ vector.data.astype(np.float64))

    def _reachable_scores(self, vector, reachable: np.ndarray) -> np.ndarray:
        """The exact stage-1 scores against ``vector`` of the ``reachable`` rows, by row, as
        :meth:`_scores` gives them; when stage 1 has their vectors transposed at hand, only
        theirs are computed (the others read 0), column by column in the same order, so bit
        for bit equal."""
        transposed = self._transposed.get(reachable.tobytes())
        if transposed is None:
            return self._scores(vector)
        scores = np.zeros(len(self.people))
        rows = transposed[vector.indices]
        scores[reachable] = _rounded(rows.T @ vector.data.astype(np.float64))
        return scores

    def _tie_keys(self, rows: np.ndarray) -> np.ndarray:
        """What breaks stage-1 ties between ``rows``: their order by id (rows are)."""
        return rows

    def _take(self, rows: np.ndarray) -> Population:
        """The scoring population of the people at ``rows``."""
        return self.population.take(rows)

    def _excluded(self, need: Need, within_reach: bool = False) -> np.ndarray:
        """Per row, whether a hard requirement of ``need`` (other than a skill) excludes
        the person; ``within_reach``: for a mask read only at the rows of :meth:`reachable`,
        which meet the location's requirement by definition, so it is left out."""
        but = ("location",) if within_reach else ()
        return self.scorer.excluded(need, self.population.table, but)

    def _table(self, rows: np.ndarray) -> PersonTable:
        """The rule table of the people at ``rows``."""
        return self.population.table.take(rows)

    def _cut(self, vector, proposed: np.ndarray, floor: float, need: Need) -> Proposal:
        """The best ``pool`` of the proposed rows by exact score; the live computation when a
        person left out of the proposals (kernel score at most ``floor``) could tie."""
        proposed = np.sort(proposed)
        scores = self._row_scores(vector, proposed)
        best, cutoff = _best(proposed, scores, self.pool)
        if floor > 0 and len(best) == self.pool and cutoff <= floor + 1e-6:
            rows = self.candidates_for(need, vector)
            return Proposal(rows, self._row_scores(vector, rows))
        return Proposal(best, scores[np.searchsorted(proposed, best)], proposed, scores, floor)

    def _columns(self, rows: np.ndarray) -> sp.csr_matrix:
        """The transposed vectors of ``rows``; the last two are kept, since consecutive needs
        of a batch mostly share their place."""
        key = rows.tobytes()
        cache = self._transposed
        if key not in cache:
            if len(cache) >= 2:
                cache.pop(next(iter(cache)))
            cache[key] = self.vectors[rows].T.tocsr()
        else:  # the most recently used is kept longest
            cache[key] = cache.pop(key)
        return cache[key]

    # -- stage 2 ------------------------------------------------------------------------------

    def rerank(
        self, need: Need, rows: np.ndarray, population: Population | None = None
    ) -> RankedNeed:
        """Stage 2: every feature for the candidate ``rows`` (sorted; ``population``: theirs,
        when taken already); best first, ties by id."""
        rows = np.sort(rows)
        population = self._take(rows) if population is None else population
        values, excluded = self.scorer.need_features(need, population)
        prose = population.table.prose
        scores = self.scorer.need_scores(need, values, excluded, prose)
        remedied = self.scorer.remedied_scores(need, values, prose)
        chosen = order(
            scores, excluded, self.ids[rows], len(rows), include_excluded=True, remedied=remedied
        )
        return RankedNeed(
            need, rows[chosen], scores[chosen], values[chosen], excluded[chosen], remedied[chosen]
        )

    def rank(
        self, need: Need, vector: sp.csr_matrix | None = None, eligible_only: bool = False
    ) -> RankedNeed:
        """Both stages for one need (the live query), with stage 1's cut; ``vector``: the
        need's stage-1 vector, when made; ``eligible_only``: see :meth:`_ranked`."""
        scores = self._scores(self.need_vectors([need]) if vector is None else vector)
        rows = self._exact_best(scores, self.reachable(need))
        return self._ranked(need, rows, scores[rows], scores, eligible_only=eligible_only)

    def _ranked(
        self,
        need: Need,
        rows,
        row_scores,
        scores=None,
        vector=None,
        proposal: Proposal | None = None,
        eligible_only: bool = False,
    ) -> RankedNeed:
        """Stage 2 for stage 1's ``rows`` (stage-1 scores ``row_scores``), completed, with
        the cut that made it; ``scores`` are everyone's stage-1 scores when computed,
        ``vector`` the need's stage-1 vector when made, ``proposal`` what the batch's sparse
        product proposed. With ``eligible_only`` the people whom a hard requirement excludes
        are left out of stage 2 (a batch keeps only the eligible: their order and the cut
        are the same)."""
        rows = np.sort(rows)
        cut = StageOneCut(self._floor(rows, row_scores))
        # Whether to complete is known from the hard requirements alone: the completed rows
        # then go through stage 2 once, with the others.
        unmet, skill_unmet, population = self._unmet(need, rows)
        eligible = ~(unmet | skill_unmet)
        added = self._completion(need, int(eligible.sum()), scores, vector, proposal)
        if eligible_only and not eligible.all():
            rows, population = rows[eligible], None
        if added is None:
            return replace(self.rerank(need, rows, population), cut=cut)
        best, best_scores = added
        cut = replace(cut, completed=True, completed_floor=self._floor(best, best_scores))
        return replace(self.rerank(need, np.union1d(rows, best)), cut=cut)

    def _unmet(self, need: Need, rows: np.ndarray):
        """Per row of ``rows``, whether a hard requirement other than a skill is unmet and
        whether a must-have skill is; and their population when it had to be taken (for
        must-have skills: else their rule table is enough, and costs far less)."""
        if not need.must_have_skills:
            unmet = self.scorer.excluded(need, self._table(rows))
            return unmet, np.zeros(len(rows), dtype=bool), None
        population = self._take(rows)
        unmet = self.scorer.excluded(need, population.table)
        return unmet, self.scorer.skills_.need_unmet(need, population.skills), population

    def _completion(self, need: Need, included: int, scores=None, vector=None, proposal=None):
        """The eligible rows added to a ranking with ``included`` eligible people, with their
        stage-1 scores; None when none are added.

        A ranking is completed when fewer than ``pool`` of its people meet every hard
        requirement while more people who do exist: stage 1 ranks everyone who can reach the
        need, so people failing another requirement can crowd out the eligible. The best
        ``pool`` eligible people by stage-1 score (zero included) are added; ``scores`` are
        everyone's stage-1 scores for the need when already computed (else ``vector``, its
        stage-1 vector, when made; ``proposal``: what the batch's sparse product proposed,
        which decides it alone when enough of it is eligible)."""
        if included >= self.pool:
            return None
        if proposal is not None and proposal.proposed is not None:
            decided = self._completion_among(need, proposal)
            if decided is not None:
                return decided
        rows = self.reachable(need)
        eligible = rows[~self._excluded(need, within_reach=True)[rows]]
        if len(eligible) <= included:
            return None
        if scores is None:
            vector = self.need_vectors([need]) if vector is None else vector
            scores = self._reachable_scores(vector, rows)
        best = self._exact_best(scores, eligible, with_zero=True)
        return best, scores[best]

    def _completion_among(self, need: Need, proposal: Proposal):
        """The completion as :meth:`_completion` computes it over everyone who can reach the
        need, taken from stage 1's proposals alone; None when they cannot decide it: unless
        the ``pool`` best eligible proposals all score above the proposals' floor, someone
        left out of them (who can reach the need by construction) could belong."""
        proposed, scores = proposal.proposed, proposal.proposed_scores
        eligible = ~self.scorer.excluded(need, self._table(proposed), but=("location",))
        keys = self._tie_keys(proposed)[eligible]
        best, cutoff = _best(proposed[eligible], scores[eligible], self.pool, True, keys)
        if len(best) < self.pool or cutoff <= proposal.floor + 1e-6:
            return None
        return best, scores[np.searchsorted(proposed, best)]

    def _floor(self, kept: np.ndarray, scores: np.ndarray) -> Floor | None:
        """The last of ``kept`` (a stage-1 choice, with their ``scores``) in stage 1's order;
        None when fewer than ``pool`` were kept, that is every candidate was."""
        if len(kept) < self.pool:
            return None
        lowest = float(scores.min())
        return lowest, str(max(self.ids[kept[scores == lowest]]))

    def brought_up_to_date(
        self,
        need: Need,
        listed: Sequence[tuple[str, float]],
        k: int,
        cut: StageOneCut,
        changed: Container[str],
    ) -> UpToDate:
        """A run's list of ``need`` as both stages over this engine's people would give it
        now, scoring again only the people ``changed`` since the run began and those stage 1
        hands over now but did not then.

        ``listed`` is the run's list, its ``k`` best eligible people as (id, score) best
        first; ``cut`` who its stage 1 handed over. A person unchanged keeps their stage-1
        score and their stage-2 values (they depend on the pair alone), so the run's
        entries stand. Whoever the run handed over but did not list ranks below its last
        entry, so the answer is certain down to that entry (to the end when the run listed
        fewer than ``k``). Ties at the stored precision between a person scored now and one
        from the run go by id.
        """
        scores = self._scores(self.need_vectors([need]))
        handed, before = self._handed(need, scores, cut)
        ids = self.ids[handed].tolist()
        again = np.array([not b or i in changed for i, b in zip(ids, before, strict=True)])
        fresh = self.rerank(need, handed[again] if again.any() else handed[:0])
        kept = {i for i, a in zip(ids, again, strict=True) if not a}
        included = ~fresh.excluded
        scored = zip(
            self.ids[fresh.rows[included]], stored_scores(fresh.scores[included]), strict=True
        )
        # Both lists are best first: merged, the run's own order between its people stands.
        key = _stored_order
        entries = list(heapq.merge([e for e in listed if e[0] in kept], scored, key=key))
        if len(listed) >= k:
            entries = [e for e in entries if key(e) <= key(listed[-1])]
        entries = entries[:k]
        return UpToDate([i for i, _ in entries], [s for _, s in entries], fresh)

    def _handed(self, need: Need, scores: np.ndarray, cut: StageOneCut):
        """The rows stage 1 hands over for ``need`` now (everyone's stage-1 ``scores``), and
        for each whether it would have been handed over under ``cut`` (if unchanged)."""
        first = self._exact_best(scores, self.reachable(need))
        unmet, skill_unmet, _ = self._unmet(need, first)
        added = self._completion(need, int((~(unmet | skill_unmet)).sum()), scores)
        handed = first if added is None else np.union1d(first, added[0])
        at, ids = scores[handed], self.ids[handed]
        before = (at > 0) & _within(at, ids, cut.floor)
        if cut.completed:
            # The people added are eligible; of the first, those meeting every requirement
            # but a must-have skill (the completion's own test).
            eligible = ~np.isin(handed, first[unmet])
            before |= eligible & _within(at, ids, cut.completed_floor)
        return handed, before

    def top(
        self, need: Need, *, limit: int, explain: bool = False, language: str = "en"
    ) -> Ranking:
        """The ranking contract (:class:`matcher.ranking.Ranker`): the ``limit`` best people
        for ``need`` by both stages, excluded ones left out, explained when asked."""
        ranked = self.rank(need)
        chosen = np.flatnonzero(~ranked.excluded)[: check_limit(limit)]
        explanations = None
        if explain:
            explanations = [m.explanation for m in self.matches(ranked, limit, language=language)]
        return Ranking(
            [str(i) for i in self.ids[ranked.rows[chosen]]],
            [round(float(s), 6) for s in ranked.scores[chosen]],
            explanations,
        )

    def rank_many(
        self, needs: Sequence[Need], eligible_only: bool = False
    ) -> Iterable[RankedNeed]:
        """Both stages for many needs (the batch), yielding one result per need in order,
        each with stage 1's cut (the same as :meth:`rank` gives); ``eligible_only``: the
        people a hard requirement excludes may be left out (see :meth:`_ranked`).

        Consecutive needs of one place share stage 1's sparse product over the people who
        can reach them, and its transposed vectors then serve their completions; a place
        with fewer needs than :data:`SHARED_STAGE_ONE` is ranked need by need, as live,
        which costs less than transposing its people's vectors."""
        vectors = self.need_vectors(needs)
        for start, end in _places(needs):
            part, part_vectors = needs[start:end], vectors[start:end]
            if end - start < SHARED_STAGE_ONE:
                for i, need in enumerate(part):
                    yield self.rank(need, part_vectors[i], eligible_only)
                continue
            for i, proposal in enumerate(self._proposals(part, part_vectors)):
                yield self._ranked(
                    part[i],
                    proposal.rows,
                    proposal.scores,
                    vector=part_vectors[i],
                    proposal=proposal,
                    eligible_only=eligible_only,
                )

    def _row_scores(self, vector: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
        """The exact stage-1 scores of ``rows`` against one need's ``vector``."""
        dense = np.zeros(vector.shape[1])
        dense[vector.indices] = vector.data
        return _rounded(self.vectors[rows] @ dense)

    def matches(
        self,
        ranked: RankedNeed,
        limit: int,
        offset: int = 0,
        include_excluded: bool = False,
        language: str = "en",
    ) -> list[Match]:
        """Explained matches from a ranked need: included ones from ``offset``, then excluded."""
        return [
            self.scorer.explained(
                ranked.need,
                self.people[ranked.rows[i]],
                ranked.scores[i],
                ranked.values[i],
                ranked.excluded[i],
                language,
            )
            for i in _page(ranked.excluded, limit, offset, include_excluded)
        ]

    # -- a jobseeker's needs ------------------------------------------------------------------

    def open_needs(self, needs: Sequence[Need]) -> OpenNeeds:
        """``needs`` prepared for :meth:`rank_person` (build once per set of open needs)."""
        needs = sorted(needs, key=lambda n: n.id)
        return OpenNeeds(needs, self.need_vectors(needs))

    def rank_person(self, person: Jobseeker, needs: OpenNeeds) -> RankedPerson:
        """Both stages for one jobseeker: the ``pool`` reachable needs most similar to them,
        scored with every feature, best first, ties by need id."""
        population, vector = self._person(person)
        positions = self.needs_for(population, vector, needs)
        population = replace(population, skills=population.skills.dense())
        chosen = [needs.needs[p] for p in positions]
        width = len(self.scorer.feature_names_)
        values, excluded = np.zeros((len(chosen), width)), np.zeros(len(chosen), dtype=bool)
        # The needs' texts and sentence embeddings at once, not one need at a time: each
        # call pays the vectorisers' or the lookup's overhead (a millisecond per phrase).
        self.scorer.keep_texts(chosen)
        meaning = self.scorer.meaning_.needs(chosen) if self.scorer.meaning_.active else None
        for i, need in enumerate(chosen):
            row, out = self.scorer.need_features(
                need, population, None if meaning is None else meaning[i]
            )
            values[i], excluded[i] = row[0], out[0]
        scores, remedied = self._person_scores(chosen, values, excluded, population.table.prose)
        best = order(scores, excluded, needs.ids[positions], len(chosen), True, remedied=remedied)
        return RankedPerson(
            person, [chosen[i] for i in best], scores[best], values[best], excluded[best]
        )

    def _person_scores(self, needs: Sequence[Need], values, excluded, prose) -> tuple:
        """The scores of one person's rows of ``values`` (one per need of ``needs``), and
        those with every hard requirement met: the needs of one kind at once."""
        scores, remedied = np.zeros(len(needs)), np.zeros(len(needs))
        kinds = np.array([need.kind for need in needs], dtype=object)
        for kind in dict.fromkeys(kinds.tolist()):
            rows = np.flatnonzero(kinds == kind)
            need, alike = needs[rows[0]], np.repeat(prose, len(rows))
            scores[rows] = self.scorer.need_scores(need, values[rows], excluded[rows], alike)
            remedied[rows] = self.scorer.remedied_scores(need, values[rows], alike)
        return scores, remedied

    def closest_learning(self, need: Need, needs: OpenNeeds, limit: int) -> list[Need]:
        """The ``limit`` apprenticeships and trainings of ``needs`` (``need`` left out) whose
        stage-1 vectors are most like ``need``'s, those that teach what it asks (any when
        fewer share a term with it; ties by need id), in id order."""
        vector = self.need_vectors([need])
        scores = _rounded(needs.by_term[:, vector.indices] @ vector.data.astype(np.float64))
        among = np.flatnonzero(needs.learning & (needs.ids != need.id))
        chosen = _best(among, scores[among], limit, with_zero=True)[0]
        return [needs.needs[p] for p in chosen]

    def _person(self, person: Jobseeker) -> tuple[Population, sp.csr_matrix]:
        """A jobseeker's scoring population of one and stage-1 vector: the prepared row when
        the engine holds this very version of them."""
        row = self.row_of.get(person.id)
        if row is not None and self.people[row] == person:
            return self.population.take(np.array([row])), self.vectors[row]
        population = self.scorer.population([person])
        return population, self._vectors_of(population)

    def needs_for(
        self, population: Population, vector: sp.csr_matrix, needs: OpenNeeds
    ) -> np.ndarray:
        """Stage 1 for one jobseeker: positions (in ``needs``), in position order, of the
        needs they can reach that are either among the ``pool`` with the largest dot
        products, or among the ``pool`` apprenticeships and trainings with the largest (ties
        by position, that is by need id).

        Needs the person shares no term with are kept where the pool has room: a need can
        fit on other grounds than the skills a person already has (the path, their
        interests, the rules). Apprenticeships and trainings get a pool of their own because
        the person with basic education only, for whom an apprenticeship is often the answer,
        is the one who shares the fewest terms with anything.
        """
        location = self.scorer.family("location")
        reached = [
            rows
            for rows in needs.places.values()
            if not location.need_unmet(needs.needs[rows[0]], population.table)[0]
        ]
        if not reached:
            return np.zeros(0, dtype=np.int64)
        positions = np.sort(np.concatenate(reached))
        scores = needs.by_term[:, vector.indices] @ vector.data.astype(np.float64)
        scores = _rounded(scores[positions])
        similar = _best(positions, scores, self.pool, with_zero=True)[0]
        learning = needs.learning[positions]
        to_learn = _best(positions[learning], scores[learning], self.pool, with_zero=True)[0]
        return np.union1d(similar, to_learn)

    def need_matches(
        self,
        ranked: RankedPerson,
        limit: int,
        offset: int = 0,
        include_excluded: bool = False,
        language: str = "en",
    ) -> list[Match]:
        """Explained matches from a ranked person: included needs from ``offset``, then
        excluded ones."""
        return [
            self.scorer.explained(
                ranked.needs[i],
                ranked.person,
                ranked.scores[i],
                ranked.values[i],
                ranked.excluded[i],
                language,
            )
            for i in _page(ranked.excluded, limit, offset, include_excluded)
        ]

    def eligible(self, need: Need) -> int:
        """How many of all the people meet every hard requirement of ``need``."""
        return int((~self._excluded(need)).sum())


def _places(needs: Sequence[Need]) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each run of consecutive needs of one place (and remoteness)."""
    start = 0
    for _, run in itertools.groupby(needs, key=lambda need: (need.municipality, need.remote)):
        end = start + sum(1 for _ in run)
        yield start, end
        start = end


def _best(
    rows: np.ndarray,
    scores: np.ndarray,
    pool: int,
    with_zero: bool = False,
    keys: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Rows with a positive score (any score ``with_zero``), the ``pool`` best by (score,
    then ``keys``, by default the row), in row order; and the lowest score kept."""
    keys = rows if keys is None else keys
    keep = scores >= 0 if with_zero else scores > 0
    if keep.sum() > pool:
        # Only scores at or above the pool-th best can be kept (ties included): sort those.
        keep &= scores >= np.partition(scores[keep], -pool)[-pool]
    rows, scores, keys = rows[keep], scores[keep], keys[keep]
    if len(rows) > pool:
        chosen = np.lexsort((keys, -scores))[:pool]
        rows, scores = rows[chosen], scores[chosen]
    order = np.argsort(rows)
    return rows[order], float(scores.min()) if len(scores) else 0.0


def _within(scores: np.ndarray, ids: np.ndarray, floor: Floor | None) -> np.ndarray:
    """Which of these people (stage-1 ``scores``, ``ids``) stand at or before ``floor`` in
    stage 1's order (everyone when there is no floor)."""
    if floor is None:
        return np.ones(len(scores), dtype=bool)
    score, last = floor
    ties = np.array([i <= last for i in ids], dtype=bool)
    return (scores > score) | ((scores == score) & ties)


def stored_scores(scores: np.ndarray) -> list[float]:
    """Scores at the precision a run stores them (a list brought up to date compares its
    people scored now with those stored at it)."""
    return [round(float(s), 6) for s in scores]


def _stored_order(entry: tuple[str, float]) -> tuple[float, str]:
    """Where an (id, stored score) entry stands in a list: best score first, then by id."""
    return -entry[1], entry[0]


def _page(excluded: np.ndarray, limit: int, offset: int, include_excluded: bool) -> list[int]:
    """Positions of a page of a ranked list: included ones from ``offset``, then (when asked)
    excluded ones from the same offset."""
    positions = np.flatnonzero(~excluded)[offset : offset + limit].tolist()
    if include_excluded:
        positions += np.flatnonzero(excluded)[offset : offset + limit].tolist()
    return positions


def _rounded(scores) -> np.ndarray:
    """Stage-1 scores in float64 rounded to 1e-9, so that two summation orders agree."""
    return np.round(np.asarray(scores, dtype=np.float64).ravel(), 9)


def _unit(matrix):
    """Rows scaled to unit length (an empty matrix stays empty)."""
    if not matrix.shape[0]:
        return sp.csr_matrix(matrix)
    if sp.issparse(matrix) and matrix.format == "csr":
        # What ``normalize`` does to a CSR matrix, without its input validation: that costs
        # more than the arithmetic for the one-need matrices of a live query.
        unit = matrix.copy()
        inplace_csr_row_normalize_l2(unit)
        return unit
    return normalize(matrix)


# An updated engine folds its changed people into one engine once they are this many (and at
# least this share of the people): folding copies every row, a change prepares one person.
FOLD_AT = 500
FOLD_SHARE = 0.02


class UpdatedEngine(MatchEngine):
    """A prepared engine (the base) with some of its people left out and the changed ones
    held beside it, so that a write costs the preparation of the people it changed, not of
    everyone.

    Rows number the base's people first (those left out are never reachable nor eligible),
    then the people held beside it, in id order. Every answer equals that of a
    :class:`MatchEngine` built over the same people: stage-1 ties are broken by id across
    both parts, and stage-2 values depend on each pair alone. Once the people beside are
    many, they are folded into a new base by copying prepared rows (:meth:`folded`);
    nothing is prepared again.
    """

    def __init__(
        self,
        base: MatchEngine,
        changed: Sequence[Jobseeker],
        removed: Iterable[str] = (),
        beside: MatchEngine | None = None,
        alive: np.ndarray | None = None,
    ) -> None:
        self.scorer, self.base, self.lexicon = base.scorer, base, base.lexicon
        for name, value in base.params().items():
            setattr(self, name, value)
        gone = {p.id for p in changed} | set(removed)
        self.alive = np.ones(len(base), dtype=bool) if alive is None else alive.copy()
        self.alive[[base.row_of[i] for i in gone if i in base.row_of]] = False
        kept = [] if beside is None else [p for p in beside.people if p.id not in gone]
        self.tail = _beside(base, beside, kept, changed)
        # Read through, not copied: a copy writes the reference count of every base person and
        # id, which in a worker forked from a preloaded server copies every page they lie on
        # (a first read after a write took 190 ms instead of 30 at 100,000 people).
        self.people = _Joined(base.people, self.tail.people)
        self.ids = _Joined(base.ids, self.tail.ids)
        self.row_of = _RowsById(base.row_of, self.alive, self.tail.row_of, len(base))
        self._reach: dict[tuple[str, bool], np.ndarray] = {}
        self._keys: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.tail)

    def updated(self, changed: Sequence[Jobseeker], removed: Iterable[str] = ()) -> MatchEngine:
        """As :meth:`MatchEngine.updated`, from this engine's base."""
        return UpdatedEngine(self.base, changed, removed, self.tail, self.alive).settled()

    def settled(self) -> MatchEngine:
        """This engine, folded once the people beside the base are many."""
        if len(self.tail) >= max(FOLD_AT, FOLD_SHARE * len(self.base)):
            return self.folded()
        return self

    def folded(self) -> MatchEngine:
        """One plain engine over the same people, made by copying prepared rows."""
        alive = np.flatnonzero(self.alive)
        kept = (self.base.population.take(alive), self.base.vectors[alive])
        return _joined(self.base, [kept, (self.tail.population, self.tail.vectors)])

    # -- the two parts as one ---------------------------------------------------------------

    def reachable(self, need: Need) -> np.ndarray:
        """As :meth:`MatchEngine.reachable`, over both parts."""
        key = (need.municipality, need.remote)
        if key not in self._reach:
            base = self.base.reachable(need)
            self._reach[key] = np.concatenate(
                [base[self.alive[base]], self.tail.reachable(need) + len(self.base)]
            )
        return self._reach[key]

    def _scores(self, vector) -> np.ndarray:
        return np.concatenate([self.base._scores(vector), self.tail._scores(vector)])

    def _reachable_scores(self, vector, reachable: np.ndarray) -> np.ndarray:
        return self._scores(vector)

    def _tie_keys(self, rows: np.ndarray) -> np.ndarray:
        if self._keys is None:
            # A person beside the base sorts just before the first base row with a larger id.
            n = len(self.tail)
            before = np.searchsorted(self.base.ids, self.tail.ids)
            self._keys = np.concatenate(
                [np.arange(len(self.base)) * (n + 1) + n, before * (n + 1) + np.arange(n)]
            )
        return self._keys[rows]

    def _parts(self, rows: np.ndarray, take, concat):
        """``take(engine, rows)`` over both parts, in the order of ``rows``."""
        beside = rows >= len(self.base)
        if not beside.any():
            return take(self.base, rows)
        if beside.all():
            return take(self.tail, rows - len(self.base))
        parts = [take(self.base, rows[~beside]), take(self.tail, rows[beside] - len(self.base))]
        order = np.argsort(np.concatenate([np.flatnonzero(~beside), np.flatnonzero(beside)]))
        return concat(parts).take(order)

    def _take(self, rows: np.ndarray) -> Population:
        return self._parts(rows, lambda engine, r: engine.population.take(r), Population.concat)

    def _excluded(self, need: Need, within_reach: bool = False) -> np.ndarray:
        # The base's left-out rows never count: they are neither reachable nor eligible.
        base = self.base._excluded(need, within_reach) | ~self.alive
        return np.concatenate([base, self.tail._excluded(need, within_reach)])

    def _table(self, rows: np.ndarray) -> PersonTable:
        return self._parts(
            rows, lambda engine, r: engine.population.table.take(r), PersonTable.concat
        )

    def _row_scores(self, vector: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
        return self._scores(vector)[rows]

    def _person(self, person: Jobseeker) -> tuple[Population, sp.csr_matrix]:
        held = self.tail if person.id in self.tail.row_of else self.base
        return held._person(person)

    def candidates(
        self, needs: Sequence[Need], vectors: sp.csr_matrix | None = None
    ) -> list[np.ndarray]:
        """Stage 1 for many needs, one by one (a batch builds a plain engine)."""
        vectors = self.need_vectors(needs) if vectors is None else vectors
        return [self.candidates_for(need, vectors[i]) for i, need in enumerate(needs)]


class _Joined(Sequence):
    """Two sequences read as one without copying either: an item by row, and (where both
    are arrays) an array of rows' items, as an object array's indexing gives."""

    def __init__(self, first: Sequence, second: Sequence) -> None:
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            row = index + len(self) if index < 0 else index
            if not 0 <= row < len(self):
                raise IndexError(index)
            cut = len(self.first)
            return self.first[row] if row < cut else self.second[row - cut]
        rows = _rows(index, len(self))
        cut, out = len(self.first), np.empty(len(rows), dtype=object)
        if isinstance(self.first, np.ndarray) and isinstance(self.second, np.ndarray):
            ahead = rows < cut
            out[ahead] = self.first[rows[ahead]]
            out[~ahead] = self.second[rows[~ahead] - cut]
        else:
            for position, row in enumerate(rows.tolist()):
                out[position] = self[row]
        return out


def _rows(index, length: int) -> np.ndarray:
    """The rows an array of ``length`` items would read for ``index`` (a slice, a mask or
    rows, negative ones counted from the end), as non-negative integers."""
    if isinstance(index, slice):
        return np.arange(length)[index]
    rows = np.asarray(index)
    if rows.dtype == bool:
        return np.flatnonzero(rows)
    rows = rows.astype(np.int64, copy=False)
    if rows.size and not -length <= rows.min() <= rows.max() < length:
        raise IndexError(index)
    return np.where(rows < 0, rows + length, rows)


class _RowsById(Mapping):
    """Row by id over an updated engine's two parts (the base's left-out rows hidden)."""

    def __init__(self, base: dict, alive: np.ndarray, beside: dict, offset: int) -> None:
        self.base, self.alive, self.beside, self.offset = base, alive, beside, offset

    def __getitem__(self, key: str) -> int:
        if key in self.beside:
            return self.beside[key] + self.offset
        row = self.base[key]
        if not self.alive[row]:
            raise KeyError(key)
        return row

    def __iter__(self):
        yield from (key for key, row in self.base.items() if self.alive[row])
        yield from self.beside

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.beside)


def _beside(
    base: MatchEngine,
    earlier: MatchEngine | None,
    kept: Sequence[Jobseeker],
    changed: Sequence[Jobseeker],
) -> MatchEngine:
    """A plain engine with ``base``'s parameters over ``kept`` (prepared before in
    ``earlier``) and ``changed`` (prepared now)."""
    none = np.zeros(0, dtype=np.int64)
    parts = [(base.population.take(none), base.vectors[none])]
    if kept and earlier is not None:
        rows = np.array([earlier.row_of[p.id] for p in kept], dtype=np.int64)
        parts.append((earlier.population.take(rows), earlier.vectors[rows]))
    if changed:
        population = base.scorer.population(list(changed))
        parts.append((population, base._vectors_of(population)))
    return _joined(base, parts)


def _joined(like: MatchEngine, parts: Sequence[tuple[Population, sp.csr_matrix]]) -> MatchEngine:
    """A plain engine with ``like``'s scorer and parameters over prepared ``parts``
    (populations with their stage-1 vectors), put in id order."""
    population = Population.concat([p for p, _ in parts])
    vectors = sp.vstack([v for _, v in parts], format="csr")
    order = np.argsort(np.array([p.id for p in population.people], dtype=object), kind="stable")
    prepared = (population.take(order), vectors[order])
    return MatchEngine(like.scorer, (), prepared=prepared, **like.params())
