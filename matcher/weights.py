"""The default scoring weights, per kind of need, in one place.

Each kind's weights are normalised to sum to 1 (by the scorer), so a score is the weighted mean
of feature values in [0, 1]. A vacancy's weights of the features that say whether a person
fits the work (the skill family and whole-text similarity, in letters and in meaning) are
fitted on the development sets
of ``scripts/devsets`` (MELO Swedish titles, ESCO occupations, ESCO descriptions) and the
labelled fixtures, with two-fold cross-validation by need (``scripts/devsets/fit_weights.py``):
each within half to three times the weight set by hand before, the fixtures' NDCG@10 kept at
0.87 or more and their cross-language gap at 0.04 or less. The rule features keep their
hand-set weights: these sets, where everyone can take every need, cannot judge them.
Since titles are embedded apart (:mod:`matcher.embedding`), ``meaning_similarity`` weighs
0.22 (was 0.1107 fitted): measured on those sets at 0.11, 0.166, 0.22 and 0.33 (the last
widened the fixtures' cross-language gap to 0.069), where the fit script's coordinate ascent
stays near its start. Since the embeddings are read without their languages' directions
(:meth:`~matcher.features.meaning.MeaningFit.language_free`), it weighs 0.3 (``default-6``):
measured at 0.22, 0.3, 0.4 and 0.5, beyond 0.3 the fixtures' cross-language gap grows to
0.046–0.048 and their NDCG@10 falls to 0.876–0.873, for at most +0.01 on the sets.
A vacancy wants the skills now; an apprenticeship expects a skill gap and values related
interest, path fit and closeness; a recruitment training sits between the two.
"""

from __future__ import annotations

FEATURES = (
    "skill_coverage",
    "preferred_skill_coverage",
    "occupation_fit",
    "profile_similarity",
    "sector_fit",
    "relevant_experience",
    "interest_fit",
    "trainable_gap",
    "text_similarity",
    "meaning_similarity",
    "language_fit",
    "location_fit",
    "availability_fit",
    "education_fit",
    "wage_subsidy_fit",
    "path_fit",
    "demands_compatible",
)

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    # Fitted by ``scripts/devsets/fit_weights.py``, meaning raised by hand (see the module's
    # docstring).
    "vacancy": {
        "skill_coverage": 0.1067,
        "preferred_skill_coverage": 0.0205,
        "occupation_fit": 0.164,
        "profile_similarity": 0.0164,
        "sector_fit": 0.0788,
        "relevant_experience": 0.2051,
        "interest_fit": 0.0,
        "trainable_gap": 0.0,
        "text_similarity": 0.082,
        "meaning_similarity": 0.3,
        "language_fit": 0.0446,
        "location_fit": 0.0595,
        "availability_fit": 0.0297,
        "education_fit": 0.052,
        "wage_subsidy_fit": 0.0149,
        "path_fit": 0.0149,
        "demands_compatible": 0.0,
    },
    # The person is hired to learn: wishes, related experience and the path count; the skills
    # themselves barely do.
    "apprenticeship": {
        "skill_coverage": 0.04,
        "preferred_skill_coverage": 0.02,
        "occupation_fit": 0.04,
        "profile_similarity": 0.05,
        "sector_fit": 0.05,
        "relevant_experience": 0.08,
        "interest_fit": 0.15,
        "trainable_gap": 0.04,
        "text_similarity": 0.05,
        "meaning_similarity": 0.05,
        "language_fit": 0.07,
        "location_fit": 0.08,
        "availability_fit": 0.06,
        "education_fit": 0.04,
        "wage_subsidy_fit": 0.02,
        "path_fit": 0.26,
        "demands_compatible": 0.0,
    },
    # A short programme closes a gap: people from the same field with a partial fit are the
    # target; someone who already fits fully belongs on a vacancy.
    "recruitment_training": {
        "skill_coverage": 0.06,
        "preferred_skill_coverage": 0.02,
        "occupation_fit": 0.04,
        "profile_similarity": 0.06,
        "sector_fit": 0.05,
        "relevant_experience": 0.08,
        "interest_fit": 0.05,
        "trainable_gap": 0.16,
        "text_similarity": 0.10,
        "meaning_similarity": 0.08,
        "language_fit": 0.07,
        "location_fit": 0.08,
        "availability_fit": 0.06,
        "education_fit": 0.04,
        "wage_subsidy_fit": 0.02,
        "path_fit": 0.21,
        "demands_compatible": 0.0,
    },
}

WEIGHTS_VERSION = "default-6"

#: The features read off skill concepts. For a person described only in prose (a résumé
#: pasted as a summary), concepts found in sentences are weak evidence, while the words
#: themselves are the profile: ``PROSE_SHIFT`` of these features' weight moves to
#: ``text_similarity`` for such a person (the total, and so the score's scale, is kept).
CONCEPT_FEATURES = (
    "skill_coverage",
    "preferred_skill_coverage",
    "occupation_fit",
    "profile_similarity",
    "sector_fit",
    "relevant_experience",
)
PROSE_SHIFT = 0.9
#: The part of the prose shift that goes to ``meaning_similarity`` when the embedding model is
#: there (the rest to ``text_similarity``).
MEANING_OF_PROSE = 0.5
