"""Build ``matcher/data/lexicon.npz``: the n-gram weights of whole-text similarity.

The inverse document frequency of each hashed character n-gram, learnt once from a fixed
public corpus rather than from whoever happens to be in the database, so that a text's
vector never depends on the other people held: the corpus is ESCO v1.1.1's skill and
occupation labels (preferred and alternative) in English, Finnish and Swedish and its English
descriptions, plus the embedded vocabulary's labels. ESCO's Swedish alternative occupation
labels are left out (in ``../shared/esco`` they come from the MELO benchmark, a development
set).

    python scripts/build_lexicon.py --esco ../shared/esco

ESCO is the European Commission's, free to reuse with the source acknowledged (Commission
Decision 2011/833/EU); the artifact holds only n-gram statistics, no label.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from matcher.lexical import LEXICON_PATH, LexicalSpace
from matcher.taxonomy import embedded_vocabulary

LANGUAGES = ("en", "fi", "sv")


def corpus(esco: Path) -> list[str]:
    """The documents: one per label and one per English description."""
    texts: list[str] = []
    for kind in ("skills", "occupations"):
        for language in LANGUAGES:
            with (esco / f"{kind}_{language}.csv").open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    texts.append(row["preferredLabel"])
                    if not (kind == "occupations" and language == "sv"):
                        texts += [a for a in row["altLabels"].split("\n") if a]
                    if language == "en" and row.get("description"):
                        texts.append(row["description"])
    vocabulary = embedded_vocabulary()
    texts += [
        label for c in vocabulary.concepts.values() for ls in c.labels.values() for label in ls
    ]
    return [t for t in texts if t.strip()]


def main(argv: list[str] | None = None) -> None:
    """Learn the weights from the corpus and write the artifact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=Path("../shared/esco"))
    parser.add_argument("--out", type=Path, default=LEXICON_PATH)
    args = parser.parse_args(argv)
    texts = corpus(args.esco)
    space = LexicalSpace().fit(texts)
    np.savez_compressed(
        args.out,
        idf=space.idf_.astype(np.float16),
        n_documents=space.n_documents_,
        ngram_range=np.array(space.ngram_range),
        n_features=space.n_features,
    )
    print(f"{len(texts)} documents → {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
