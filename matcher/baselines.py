"""Baseline rankers to compare the engine with, behind the same ranking contract.

They know nothing of skills, languages or rules: they compare text. A baseline that comes
close to the engine on a data set says the set measures little more than shared words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.domain import Jobseeker, Need
from matcher.ranking import Ranking, check_limit, order


def need_text(need: Need) -> str:
    """Everything a need says in words: title, description and skills."""
    skills = [*need.required_skills, *need.preferred_skills]
    return " ".join([need.title, need.description, *skills])


def person_text(person: Jobseeker) -> str:
    """Everything a jobseeker says in words: headline, summary, skills, work and education."""
    parts = [person.headline, person.summary, *person.skills]
    for job in person.work_history:
        parts += [job.title, job.description]
    if person.education:
        parts += [person.education.field, *person.education.qualifications]
    return " ".join(part for part in parts if part)


class TfidfRanker:
    """Character 3–5-gram TF-IDF of a need's whole text against each person's, by cosine.

    Parameters
    ----------
    people : sequence of Jobseeker
        The candidates; the vocabulary and IDF are fitted on their texts.
    """

    name = "tfidf-char"

    def __init__(self, people: Sequence[Jobseeker]) -> None:
        self.ids = np.array([p.id for p in people], dtype=object)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))
        self.vectors = self.vectorizer.fit_transform([person_text(p) for p in people])

    def top(self, need: Need, *, limit: int) -> Ranking:
        """The ``limit`` people whose text is most like the need's, ties by id."""
        check_limit(limit)
        query = self.vectorizer.transform([need_text(need)])
        scores = (self.vectors @ query.T).toarray().ravel()
        chosen = order(scores, np.zeros(len(scores), dtype=bool), self.ids, limit)
        return Ranking(
            [str(i) for i in self.ids[chosen]], [round(float(s), 6) for s in scores[chosen]]
        )
