"""Measure a latent space learnt from ESCO's occupation–skill matrix across languages.

Each ESCO occupation becomes one document: its names in English (with the alternative labels),
Finnish and Swedish (preferred labels only: the shipped Swedish alternative labels are the
MELO benchmark's titles) and the first names of its essential skills in the three languages.
Character 3–5-gram TF-IDF over those documents (or words, ``--analyzer word``) and a
``TruncatedSVD`` of ``--k`` dimensions: terms that stand beside each other in an occupation's
document, whatever their language, get near vectors. A text's latent vector is its TF-IDF row
projected and normalised.

For each development set the script prints NDCG@10 of every person ranked by the latent
cosine alone, and of the engine's pool (stage 1 and 2, the region's vocabulary only, as
``matcher evaluate --no-esco``) re-ordered by ``score + w × latent cosine`` for each ``w`` of
``--weights``: what the space would add as a further feature of stage 2.

    python scripts/devsets/latent_space.py var/devsets/esco-descriptions var/devsets/melo-sv \\
        --esco ../shared/esco --vectors var/vectors.npz

The measurement is in the README (Open relevance sets); the space was not adopted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matcher.dataset import load_relevance_set
from matcher.embedding import TextEmbedder, VectorFile, available
from matcher.engine import DEFAULT_POOL, MatchEngine
from matcher.evaluation import ndcg_at_k
from matcher.lexical import need_text, person_text
from matcher.scoring import MatchScorer
from matcher.taxonomy import default_vocabulary
from matcher.text import fold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esco_occupations import LANGUAGES, labels, relations  # noqa: E402

SKILL_NAMES = 3


def occupation_documents(directory: Path) -> list[str]:
    """One folded text per ESCO occupation: its names and its essential skills' in every
    language."""
    occupations, skills = labels(directory, "occupations"), labels(directory, "skills")
    related = relations(directory)
    documents = []
    for uri in occupations["en"]:
        parts: list[str] = []
        for language in LANGUAGES:
            preferred, alternatives = occupations[language].get(uri, ("", []))
            parts += [preferred, *(alternatives if language == "en" else [])]
            for skill in related[uri]["essential"]:
                name, others = skills[language].get(skill, ("", []))
                parts += [name, *others][:SKILL_NAMES]
        documents.append(fold(" . ".join(p for p in parts if p)))
    return documents


class LatentSpace:
    """TF-IDF of the occupations' documents reduced by ``TruncatedSVD``."""

    def __init__(self, documents: list[str], k: int, analyzer: str) -> None:
        grams = {"ngram_range": (3, 5)} if analyzer == "char_wb" else {}
        self.tfidf = TfidfVectorizer(analyzer=analyzer, min_df=2, sublinear_tf=True, **grams)
        self.svd = TruncatedSVD(k, random_state=0).fit(self.tfidf.fit_transform(documents))

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Unit latent vectors of ``texts``."""
        return normalize(self.svd.transform(self.tfidf.transform([fold(t) for t in texts])))


def measure(space: LatentSpace, directory: Path, weights: list[float], held) -> None:
    """Print the set's NDCG@10 by the latent cosine alone and mixed into the engine's pool."""
    data = load_relevance_set(directory)
    judged = [n for n in data.needs if n.id in data.grades]
    people = space.vectors([person_text(p) for p in data.people])
    needs = space.vectors([need_text(n) for n in judged])
    ids = np.array([p.id for p in data.people], dtype=object)
    alone = [
        ndcg_at_k(list(ids[np.argsort(-(people @ q), kind="stable")[:10]]), data.grades[n.id])
        for q, n in zip(needs, judged, strict=True)
    ]
    print(f"{directory.name}: latent cosine alone {np.mean(alone):.3f}", flush=True)
    embedder = held.lend(TextEmbedder()) if held else "default"
    scorer = MatchScorer(vocabulary=default_vocabulary(False), embedder=embedder).fit()
    scorer.prepare_needs(judged)
    engine = MatchEngine(scorer, data.people)
    row = {p.id: i for i, p in enumerate(data.people)}
    pools = [engine.top(n, limit=DEFAULT_POOL) for n in judged]
    for weight in weights:
        mixed = []
        for q, need, pool in zip(needs, judged, pools, strict=True):
            latent = people[[row[i] for i in pool.ids]] @ q
            best = np.argsort(-(np.asarray(pool.scores) + weight * latent), kind="stable")[:10]
            mixed.append(ndcg_at_k([pool.ids[i] for i in best], data.grades[need.id]))
        print(f"{directory.name}: engine + {weight} × latent {np.mean(mixed):.3f}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+")
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--k", type=int, default=512)
    parser.add_argument("--analyzer", choices=("char_wb", "word"), default="char_wb")
    parser.add_argument("--weights", type=float, nargs="+", default=[0, 0.1, 0.2, 0.3])
    parser.add_argument("--vectors", help="the embeddings' file of matcher evaluate --vectors")
    args = parser.parse_args(argv)
    space = LatentSpace(occupation_documents(args.esco), args.k, args.analyzer)
    terms = len(space.tfidf.vocabulary_)
    print(
        f"{terms:,} terms × {args.k} dimensions, explained variance "
        f"{space.svd.explained_variance_ratio_.sum():.3f}",
        flush=True,
    )
    held = VectorFile(args.vectors) if args.vectors and available() else None
    for directory in args.sets:
        measure(space, directory, args.weights, held)


if __name__ == "__main__":
    main()
