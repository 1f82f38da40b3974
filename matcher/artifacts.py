"""Trained model artifacts: a joblib file and a JSON metadata file beside it.

The metadata names the features in order, the library versions, the training data's
fingerprint, the date and the cross-validated figures. A model is loaded only when its
metadata matches the running code (same features in the same order, same scikit-learn
minor version, the file's hash); otherwise :class:`ModelRefused` says why. Joblib files are
pickles: load only artifacts from a directory you trust (``models/``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy
import sklearn

from matcher.exceptions import ModelError
from matcher.learning import CrossValidation, OutcomeModel, TrainingSet

EXPLANATION_METHOD = (
    "logistic regression: each feature's log-odds effect against the kind's average training "
    "row, scaled to share the difference between the score and the baseline probability"
)


class ModelRefused(ModelError):
    """A model artifact that does not fit the running code (the default weights stay)."""


def library_versions() -> dict[str, str]:
    """Versions of the libraries a pickled model depends on."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


def save_model(
    model: OutcomeModel,
    data: TrainingSet,
    validation: CrossValidation,
    directory: str | Path,
    *,
    source: str,
    outcome_counts: dict[str, int],
    feature_versions: Mapping[str, int],
) -> Path:
    """Write ``<name>.joblib`` and ``<name>.json`` under ``directory``; returns the JSON path.
    ``feature_versions`` are the scorer's (:attr:`MatchScorer.feature_versions_`), 1 for a
    feature not named."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fingerprint = data.fingerprint()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = f"outcome-{created:%Y%m%d}-{fingerprint[:8]}"
    artifact = directory / f"{name}.joblib"
    joblib.dump(model, artifact)
    metadata = {
        "name": name,
        "kind": "logistic regression, sigmoid-calibrated",
        "C": model.C,
        "created_at": created.isoformat(),
        "feature_names": list(model.feature_names_),
        "feature_versions": {name: feature_versions.get(name, 1) for name in model.feature_names_},
        "libraries": library_versions(),
        "artifact": artifact.name,
        "artifact_sha256": _sha256(artifact),
        "training": {
            "source": source,
            "pairs": len(data),
            "needs": len(set(data.needs)),
            "fingerprint": fingerprint,
            "outcomes": outcome_counts,
        },
        "cross_validation": validation.to_dict(),
        "explanation_method": EXPLANATION_METHOD,
    }
    path = directory / f"{name}.json"
    path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return path


def load_model(
    path: str | Path,
    feature_names: tuple[str, ...],
    feature_versions: Mapping[str, int] | None = None,
) -> tuple[OutcomeModel, dict]:
    """The model whose metadata is at ``path`` (or beside a ``.joblib`` at ``path``), and
    its metadata; :class:`ModelRefused` when it does not fit ``feature_names`` (each at its
    version in ``feature_versions``, 1 for one not named; metadata written before versions
    were recorded is of version 1) and this installation."""
    path = Path(path)
    if path.suffix == ".joblib":
        path = path.with_suffix(".json")
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelRefused(f"cannot read model metadata {path}: {error}") from None
    _check(metadata, feature_names)
    _check_versions(metadata, feature_versions or {})
    artifact = path.parent / metadata["artifact"]
    if not artifact.is_file() or _sha256(artifact) != metadata["artifact_sha256"]:
        raise ModelRefused(f"model {metadata['name']}: {artifact.name} is missing or altered")
    model = joblib.load(artifact)
    if tuple(model.feature_names_) != feature_names:
        raise ModelRefused(f"model {metadata['name']}: the artifact's features differ")
    return model, metadata


def _check(metadata: dict[str, Any], feature_names: tuple[str, ...]) -> None:
    name = metadata.get("name", "?")
    expected = list(feature_names)
    found = metadata.get("feature_names")
    if found != expected:
        missing = [f for f in expected if f not in (found or [])]
        extra = [f for f in (found or []) if f not in expected]
        detail = f"missing {missing}, unknown {extra}" if missing or extra else "another order"
        raise ModelRefused(f"model {name} was trained on other features ({detail})")
    trained = metadata.get("libraries", {}).get("scikit-learn", "")
    if _minor(trained) != _minor(sklearn.__version__):
        raise ModelRefused(
            f"model {name} was saved with scikit-learn {trained}; this is {sklearn.__version__}"
        )


def _check_versions(metadata: dict[str, Any], feature_versions: Mapping[str, int]) -> None:
    model, trained = metadata.get("name", "?"), metadata.get("feature_versions") or {}
    if not isinstance(trained, dict):
        raise ModelRefused(f"model {model}: unreadable feature_versions")
    versions = {
        n: (trained.get(n, 1), feature_versions.get(n, 1)) for n in metadata["feature_names"]
    }
    changed = [
        f"{n} (trained on version {then}, now {now})"
        for n, (then, now) in versions.items()
        if then != now
    ]
    if changed:
        raise ModelRefused(
            f"model {model} was trained on features that now read otherwise: " + ", ".join(changed)
        )


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
