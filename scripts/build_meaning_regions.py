"""Build ``matcher/data/meaning_regions.npz``: regions of the embedding space for stage 1.

Stage 1 proposes candidates by a sparse product, so a person whose words share no concept or
n-gram with a need's is never proposed, however close in meaning. The regions give meaning a
sparse form: k-means centres of the sentence embeddings (multilingual-e5-small, as
passages) of ESCO v1.1.1's occupations' preferred labels in English, Finnish and Swedish,
each label's embedding less the mean of its language's (else the regions would partly sort
texts by language); a text then names the few regions nearest its embedding taken without
the languages' directions (:meth:`matcher.features.meaning.MeaningFit.language_free`; for a
need, embedded as a query, from the labels' means as queries)
(:meth:`matcher.features.meaning.MeaningFit.regions`). The centres are learnt once from this
fixed public corpus, never from whoever is in the database, so a text's regions never depend
on the other people held. Alternative labels are left out (ESCO's Swedish ones in
``../shared/esco`` come from the MELO benchmark, a development set).

    python scripts/build_meaning_regions.py --esco ../shared/esco

ESCO is the European Commission's, free to reuse with the source acknowledged (Commission
Decision 2011/833/EU); the artifact holds only the centres, no label.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

from matcher.baselines import embedding_model
from matcher.embedding import MODEL_NAME
from matcher.features.meaning import REGIONS_PATH

LANGUAGES = ("en", "fi", "sv")
REGIONS = 256
BATCH = 64


def corpus(esco: Path) -> dict[str, list[str]]:
    """ESCO's occupations' preferred labels, by language."""
    texts: dict[str, list[str]] = {}
    for language in LANGUAGES:
        path = esco / f"occupations_{language}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle)
            texts[language] = [r["preferredLabel"] for r in rows if r["preferredLabel"].strip()]
    return texts


def embedded(texts: list[str]) -> np.ndarray:
    """The passage vectors of ``texts``."""
    model = embedding_model()
    parts = [model.passage(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
    return np.vstack(parts).astype(np.float32)


def query_means(texts: dict[str, list[str]]) -> np.ndarray:
    """Per language, the mean query vector of its labels: a need is embedded as a query,
    which the model places apart from passages, so it is centred by these."""
    model = embedding_model()
    return np.vstack([np.mean([model.query(t) for t in texts[lang]], axis=0) for lang in LANGUAGES])


def main(argv: list[str] | None = None) -> None:
    """Embed the corpus, cluster it and write the artifact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--out", type=Path, default=REGIONS_PATH)
    parser.add_argument("--regions", type=int, default=REGIONS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    texts = corpus(args.esco)
    vectors = {language: embedded(labels) for language, labels in texts.items()}
    means = np.vstack([vectors[language].mean(axis=0) for language in LANGUAGES])
    centred = normalize(np.vstack([vectors[lang] - means[i] for i, lang in enumerate(LANGUAGES)]))
    kmeans = KMeans(args.regions, n_init=4, random_state=args.seed).fit(centred)
    np.savez_compressed(
        args.out,
        centres=normalize(kmeans.cluster_centers_).astype(np.float32),
        languages=np.array(LANGUAGES),
        means=means.astype(np.float32),
        query_means=query_means(texts).astype(np.float32),
        model=np.array(MODEL_NAME),
        texts=np.array(len(centred)),
        seed=np.array(args.seed),
    )
    print(f"{args.regions} regions of {len(centred)} labels in {args.out}")


if __name__ == "__main__":
    main()
