"""Skills: suggestions from the skill vocabulary while a need or profile is being typed."""

from __future__ import annotations

import bisect
import functools
import itertools

from flask.views import MethodView
from flask_smorest import Blueprint

from matcher.taxonomy import LANGUAGES, SkillVocabulary
from matcher.text import tokens
from service.api.common import services
from service.auth import requires
from service.schemas.skills import SkillSuggestInSchema, SkillSuggestionListSchema

blp = Blueprint("skills", __name__, url_prefix="/v1", description="The skill vocabulary")


@blp.route("/skills/suggest")
class SkillSuggest(MethodView):
    @requires("recruiter", "admin", "company")
    @blp.arguments(SkillSuggestInSchema)
    @blp.response(200, SkillSuggestionListSchema)
    def post(self, body):
        """Vocabulary concepts for what has been typed: labels that complete it, and concepts
        the text already names (inflected, misspelt or in another language)."""
        items = suggest_skills(services().scorer, body["text"], body["language"], body["limit"])
        return {"items": items}


def suggest_skills(scorer, text: str, language: str | None, limit: int) -> list[dict]:
    """The best ``limit`` concepts for ``text``, with their labels in the three languages.

    The fitted scorer's own concept mapper finds what the text already names, as matching
    will read it; label completions cover a word still being typed.
    """
    vocabulary, mapper = scorer.skills_.vocabulary_, scorer.skills_.mapper_
    scores = _completions(vocabulary, " ".join(tokens(text)), language)
    for hit in mapper.find(text):
        scores[hit.concept] = max(scores.get(hit.concept, 0.0), hit.score)
    shown = language or "en"
    ranked = sorted(scores.items(), key=lambda i: (-i[1], vocabulary[i[0]].label(shown).lower()))
    return [_suggestion(vocabulary, concept, score) for concept, score in ranked[:limit]]


def _suggestion(vocabulary: SkillVocabulary, concept_id: str, score: float) -> dict:
    concept = vocabulary[concept_id]
    labels = {lang: concept.label(lang) for lang in LANGUAGES}
    return {"concept": concept_id, "labels": labels, "score": round(score, 4)}


def _completions(vocabulary: SkillVocabulary, prefix: str, language: str | None) -> dict:
    """Concepts with a label (in ``language``, or any) one of whose words starts ``prefix``."""
    if not prefix:
        return {}
    index = _label_index(vocabulary)
    found: dict[str, float] = {}
    for key, concept, lang, initial in itertools.islice(
        index, bisect.bisect_left(index, (prefix,)), None
    ):
        if not key.startswith(prefix):
            break
        if language is None or lang == language:
            # A longer completion is a weaker guess; a label's first word beats a later one.
            score = (0.5 + 0.4 * len(prefix) / len(key)) * (1.0 if initial else 0.9)
            found[concept] = max(found.get(concept, 0.0), score)
    return found


@functools.lru_cache(maxsize=4)
def _label_index(vocabulary: SkillVocabulary) -> list[tuple[str, str, str, bool]]:
    """Every label from each of its words on, with its concept, language and whether it is
    the label's start; sorted, for prefix search."""
    return sorted(
        (" ".join(words[i:]), concept.id, lang, i == 0)
        for concept in vocabulary.concepts.values()
        for lang, labels in concept.labels.items()
        for words in map(tokens, labels)
        for i in range(len(words))
    )
