"""Build ``matcher/data/occupation_names.npz``: the query vectors of every occupation's names.

A need's title that names an occupation is read together with that occupation's names in
the other languages (:meth:`matcher.features.skills.SkillFit.title_names`,
:class:`matcher.features.meaning.MeaningFit`). Those names are a fixed set, the preferred
label in Finnish, Swedish and English of each occupation of the vocabulary the package
ships (the region's and ESCO's), so they are embedded once here (multilingual-e5-small, as
queries, as a need's title is) rather than by every process that reads a need.

    python scripts/build_occupation_names.py

A name of a vocabulary loaded at run time that this file lacks is embedded when first read.
ESCO is the European Commission's, free to reuse with the source acknowledged (Commission
Decision 2011/833/EU).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from matcher.baselines import embedding_model
from matcher.embedding import MODEL_NAME
from matcher.features.meaning import NAMES_PATH
from matcher.taxonomy import LANGUAGES, default_vocabulary


def names() -> list[str]:
    """Each occupation's preferred label in each language, once, in a fixed order."""
    concepts = default_vocabulary().concepts.values()
    found = [
        c.labels[language][0]
        for c in concepts
        if c.type == "occupation"
        for language in LANGUAGES
        if c.labels.get(language)
    ]
    return sorted(set(found))


def main(argv: list[str] | None = None) -> None:
    """Embed the names and write the artifact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=NAMES_PATH)
    args = parser.parse_args(argv)
    texts = names()
    model = embedding_model()
    vectors = np.vstack([model.query(text) for text in texts]).astype(np.float16)
    np.savez_compressed(
        args.out, texts=np.array(texts), vectors=vectors, model=np.array(MODEL_NAME)
    )
    print(f"{len(texts)} names in {args.out}")


if __name__ == "__main__":
    main()
