"""Cold start of the service with the fixture data, each phase timed in a fresh process.

Each run starts a new Python process on a new SQLite file and prints the seconds it spent
importing the service, in ``create_app`` (configuration, migrations, the scorer with its
vocabularies, loading the fixtures, preparing the open needs) and answering the first
candidate list (the engine over every jobseeker): with the shipped ESCO on a machine's first
start (an empty cache folder: ESCO's label index is compiled and written), with ESCO at a later
start (the compiled index read), and without ESCO.

    python benchmarks/cold_start.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from matcher.taxonomy import CACHE_ENV

CHILD = """
import json, sys, time
started = time.perf_counter()
from service import create_app
imported = time.perf_counter()
app = create_app({"DATABASE_URL": sys.argv[1], "LOAD_FIXTURES": True, "ESCO": sys.argv[2] == "1"})
created = time.perf_counter()
store = app.extensions["kohtaanto"].store
token, _ = store.create_token("recruiter", label="benchmark")
need = store.needs(page=1, page_size=1).items[0][0].id
response = app.test_client().get(
    f"/v1/needs/{need}/candidates", headers={"Authorization": f"Bearer {token}"}
)
assert response.status_code == 200, response.get_json()
listed = time.perf_counter()
print(json.dumps({
    "import_s": imported - started, "create_app_s": created - imported,
    "first_list_s": listed - created, "total_s": listed - started,
    "candidates": len(response.get_json()["items"]),
}))
"""


def run_once(esco: bool, cache: str) -> dict:
    """One cold start in a fresh process on a fresh SQLite file, compiled indexes in ``cache``."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/cold.db"
        out = subprocess.run(
            [sys.executable, "-c", CHILD, url, "1" if esco else "0"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, CACHE_ENV: cache},
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def starts(esco: bool, runs: int, warm: bool) -> list[dict]:
    """``runs`` cold starts, each with an empty cache folder or (``warm``) a compiled one."""
    results = []
    with tempfile.TemporaryDirectory() as cache:
        if warm:
            run_once(esco, cache)
        for _ in range(runs):
            results.append(run_once(esco, cache))
            if not warm:
                shutil.rmtree(cache)
                os.mkdir(cache)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for case, esco, warm in (
        ("ESCO, first start", True, False),
        ("ESCO, later start", True, True),
        ("without ESCO", False, False),
    ):
        runs = starts(esco, args.runs, warm)
        medians = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
        print(json.dumps({"case": case, "runs": args.runs, "median": medians}))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"# {time.perf_counter() - started:.1f} s", file=sys.stderr)
