"""The service's commands, added to the ``matcher`` command line: serve, token, db, retention."""

from __future__ import annotations

import json
import os
import sys
import tempfile

import click

from matcher.cli import cli
from matcher.cli import main as matcher_main
from matcher.engine import DEFAULT_POOL
from matcher.exceptions import MatcherError
from service.config import load_config
from service.storage import ROLES, NotFound, Principal, Store
from service.storage_paths import ORGANISATION_KINDS, PathStore


def _store(config=None) -> tuple[dict, Store]:
    settings = load_config(config)
    return settings, Store.connect(settings["DATABASE_URL"])


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=os.cpu_count() or 2, show_default=True, type=click.IntRange(1, 64)
)
@click.option(
    "--demo", is_flag=True, help="Load the fixtures into an empty database and print demo tokens."
)
def serve(host, port, workers, demo) -> None:
    """Serve the API with gunicorn (the app preloaded, one worker per core by default)."""
    from service.retention import apply_retention
    from service.seed import load_fixtures_if_empty

    settings, store = _store()
    if demo:
        if load_fixtures_if_empty(store, settings["FIXTURES_DIR"]):
            click.echo("Loaded the fixture data set.")
        print_demo_tokens(store)
    from service.matching import Services

    person_ref = Services(store, None, settings["SECRET_KEY"]).person_ref
    apply_retention(store, settings["RETENTION_DAYS"], settings["AUDIT_RETENTION_DAYS"], person_ref)
    store.engine.dispose()
    env = dict(os.environ, SECRET_KEY=settings["SECRET_KEY"], DATABASE_URL=settings["DATABASE_URL"])
    if "PROMETHEUS_MULTIPROC_DIR" not in env:  # a folder is made only when none is set
        env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kohtaanto-metrics-")
    # One thread per worker for the embedding model (and BLAS): with a worker per core, a
    # write's embedding on every core stalls the other workers' reads (README, Benchmarks).
    env.setdefault("OMP_NUM_THREADS", "1")
    click.echo(
        f"Kohtaanto API on http://{host}:{port}/  (docs: http://{host}:{port}/docs)", err=False
    )
    sys.stdout.flush()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--config",
        "python:service.gunicorn_conf",
        "--access-logfile",
        "-",
        "service.wsgi:app",
    ]
    os.execve(sys.executable, args, env)


DEMO_LABEL = "demo"


def print_demo_tokens(store: Store) -> None:
    """Revoke the demo tokens of earlier starts, then create and print new ones (recruiter,
    admin, and a company's when there is one), so at most one set is live."""
    from service.storage import table_counts

    store.revoke_labelled(DEMO_LABEL)
    recruiter, _ = store.create_token("recruiter", label=DEMO_LABEL)
    admin, _ = store.create_token("admin", label=DEMO_LABEL)
    click.echo(f"Demo recruiter token: {recruiter}")
    click.echo(f"Demo admin token:     {admin}")
    if table_counts(store, ["companies"])["companies"]:
        company_id = store.companies(page=1, page_size=1).items[0][0].id
        company, _ = store.create_token("company", company_id, label=DEMO_LABEL)
        click.echo(f"Demo company token ({company_id}): {company}")


@cli.group()
def token() -> None:
    """Bearer tokens."""


@token.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--company", "company_id", default=None, help="Company id (company tokens only).")
@click.option(
    "--organisation",
    "organisation_id",
    default=None,
    help="Organisation id (counsellor tokens only).",
)
@click.option("--label", default="", help="Who or what the token is for.")
def token_create(role, company_id, organisation_id, label) -> None:
    """Create a token and print it once (only its hash is stored)."""
    _, store = _store()
    try:
        value, token_id = store.create_token(role, company_id, label, organisation_id)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    except LookupError:
        which = f"company {company_id!r}" if company_id else f"organisation {organisation_id!r}"
        raise click.UsageError(f"no {which}") from None
    finally:
        store.engine.dispose()
    click.echo(value)
    click.echo(f"(token id {token_id}, role {role})", err=True)


# Who revokes a token from the command line, as the audit log records it.
CLI = Principal(token_id=None, role="cli")


@token.command("list")
@click.option("--all", "show_all", is_flag=True, help="Revoked tokens too.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array.")
def token_list(show_all, as_json) -> None:
    """List the live tokens (id, role, company, label, created, revoked), never their secrets."""
    _, store = _store()
    try:
        tokens = _every_token(store, active=None if show_all else True)
    finally:
        store.engine.dispose()
    if as_json:
        click.echo(json.dumps(tokens, default=str, indent=2))
        return
    click.echo(f"{'id':>5}  {'role':<10}{'company':<14}{'created':<22}{'revoked':<22}label")
    for t in tokens:
        click.echo(
            f"{t['id']:>5}  {t['role']:<10}{t['company_id'] or '-':<14}"
            f"{_when(t['created_at']):<22}{_when(t['revoked_at']):<22}{t['label']}"
        )


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else "-"


def _every_token(store: Store, active: bool | None) -> list[dict]:
    tokens, page = [], 1
    while True:
        batch = store.tokens(page=page, page_size=500, active=active)
        tokens += batch.items
        if page * batch.page_size >= batch.total:
            return tokens
        page += 1


@token.command("revoke")
@click.argument("token_id", type=click.IntRange(1))
def token_revoke(token_id) -> None:
    """Revoke a token; its page sessions end at once (audit-logged)."""
    _, store = _store()
    try:
        store.revoke_token(token_id, CLI)
    except NotFound:
        raise click.ClickException(f"no token {token_id}") from None
    finally:
        store.engine.dispose()
    click.echo(f"token {token_id} revoked")


@cli.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    settings, _ = _store()
    click.echo(f"schema up to date at {settings['DATABASE_URL'].split('@')[-1]}")


@db.command("load-fixtures")
@click.argument("directory", required=False)
def db_load_fixtures(directory) -> None:
    """Load a data set (default: the fixtures) into an empty database."""
    from service.seed import load_fixtures_if_empty

    settings, store = _store()
    loaded = load_fixtures_if_empty(store, directory or settings["FIXTURES_DIR"])
    click.echo("loaded" if loaded else "the database already has companies; nothing loaded")


@cli.command("retention")
def retention() -> None:
    """Erase jobseekers past the retention period and trim the audit log."""
    from service.matching import Services
    from service.retention import apply_retention

    settings, store = _store()
    person_ref = Services(store, None, settings["SECRET_KEY"]).person_ref
    result = apply_retention(
        store, settings["RETENTION_DAYS"], settings["AUDIT_RETENTION_DAYS"], person_ref
    )
    click.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``matcher`` command (library and service commands)."""
    matcher_main(argv)


@cli.command("batch")
@click.option(
    "--k",
    "k",
    default=100,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Candidates kept per need (a jobseeker is shown the needs whose lists hold them).",
)
@click.option(
    "--pool",
    default=DEFAULT_POOL,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Candidates per need taken from stage 1 to the full rerank.",
)
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786.")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 256),
    help="Start a local Dask cluster of this many worker processes.",
)
@click.option(
    "--processes",
    default=os.cpu_count() or 1,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Without --scheduler or --workers: processes forked on this machine to score in "
    "(they share the prepared jobseekers; 1 scores in this process).",
)
@click.option("--chunk-size", default=250, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--explain-top",
    default=20,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Candidates per need stored with their explanation (the first page, served as is).",
)
@click.option(
    "--language",
    default="en",
    show_default=True,
    type=click.Choice(["fi", "sv", "en"]),
    help="Language of the stored explanations (other languages are explained on request).",
)
@click.option(
    "--per-position",
    "per_position",
    default=3,
    show_default=True,
    type=click.IntRange(1, 100),
    help="c: the allocation proposes at most positions × c people per need.",
)
@click.option(
    "--per-person",
    "per_person",
    default=4,
    show_default=True,
    type=click.IntRange(1, 100),
    help="m: the allocation proposes a person for at most this many needs at once.",
)
@click.option(
    "--fresh-bonus",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Score a person's first proposal gains, divided by 1 + their earlier proposals.",
)
@click.option("--no-allocation", is_flag=True, help="Skip the allocation across needs.")
def batch_command(
    k,
    pool,
    scheduler,
    workers,
    processes,
    chunk_size,
    explain_top,
    language,
    per_position,
    per_person,
    fresh_bonus,
    no_allocation,
) -> None:
    """Score all open needs against all active jobseekers, allocate proposals across them,
    and publish the run atomically."""
    from matcher.allocation import Policy
    from matcher.batch import Explained
    from matcher.embedding import TextEmbedder
    from service.batch import progress_reporter, run_batch
    from service.matching import configured_scoring
    from service.storage import BatchLocked

    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both")
    settings, store = _store()
    scoring = configured_scoring(settings)
    if scoring.refused:
        click.echo(f"warning: {scoring.refused}; scoring with the default weights", err=True)
    # The vectors computed since the last run are stored for the service and the next run.
    scorer = scoring.scorer.with_embedder(TextEmbedder(store=store))
    try:
        summary = run_batch(
            store,
            scorer,
            k=k,
            pool=pool,
            scheduler=scheduler,
            workers=workers,
            processes=processes,
            chunk_size=chunk_size,
            explained=Explained(explain_top, language),
            progress=progress_reporter(),
            allocation=None
            if no_allocation
            else Policy(per_position=per_position, per_person=per_person, fresh_bonus=fresh_bonus),
        )
    except BatchLocked as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps({"event": "batch.complete", **summary}))


@cli.command("train")
@click.option(
    "--simulate",
    type=click.IntRange(10, 1_000_000),
    default=None,
    help="Train on this many synthetic outcomes for a labelled data set (the fixtures by "
    "default) instead of the outcomes recorded in the database.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Labelled data set for --simulate (default: data/fixtures).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of --simulate.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option(
    "--out",
    default="models",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory for the artifact and its metadata.",
)
def train_command(simulate, data_dir, seed, folds, out) -> None:
    """Learn from outcomes: choose a calibrated model by need-grouped cross-validation, compare
    it with the default weights on held-out needs, and save it with its metadata."""
    from collections import Counter

    from matcher.artifacts import save_model
    from matcher.learning import train, training_set

    if simulate:
        outcomes, needs, people, scorer, source = _simulated(simulate, data_dir, seed)
    else:
        outcomes, needs, people, scorer, source = _recorded()
    data = training_set(outcomes, needs, people, scorer)
    if not len(data):
        raise click.ClickException("no outcomes to learn from (record some, or use --simulate)")
    try:
        model, validation = train(data, lambda kind, v: v @ scorer.weight_matrix_[kind], folds)
    except MatcherError as error:
        raise click.ClickException(error.message) from None
    counts = dict(Counter(o.outcome for o in outcomes))
    path = save_model(
        model,
        data,
        validation,
        out,
        source=source,
        outcome_counts=counts,
        feature_versions=scorer.feature_versions_,
    )
    summary = {"event": "train.complete", "metadata": str(path), "pairs": len(data)}
    click.echo(json.dumps({**summary, **validation.to_dict()}))
    click.echo(f"Use it: KOHTAANTO_MODEL={path} (service and batch).", err=True)


def _simulated(count: int, data_dir, seed: int):
    from matcher.dataset import FIXTURES, load_dataset
    from matcher.embedding import preload
    from matcher.scoring import MatchScorer
    from matcher.simulation import simulate_outcomes

    dataset = load_dataset(data_dir or FIXTURES)
    preload(data_dir or FIXTURES)  # the sentence embeddings the folder ships, if any
    scorer = MatchScorer(as_of=dataset.as_of).fit()
    outcomes = simulate_outcomes(dataset, scorer, count, seed=seed)
    needs = {n.id: n for n in dataset.needs}
    people = {p.id: p for p in dataset.jobseekers}
    return outcomes, needs, people, scorer, f"simulated: {count} outcomes, seed {seed}"


def _recorded():
    from matcher.learning import Outcome
    from service.matching import configured_scoring

    settings, store = _store()
    history = [Outcome(*row) for row in store.outcome_history()]
    needs = store.needs_by_id(sorted({o.need_id for o in history}))
    people = store.jobseekers_by_id(sorted({o.jobseeker_id for o in history}))
    scorer = configured_scoring(settings, with_model=False).scorer
    return history, needs, people, scorer, "recorded outcomes"


@cli.group("organisation")
def organisation_group() -> None:
    """Organisations of the service network (counsellor tokens belong to one)."""


@organisation_group.command("add")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(ORGANISATION_KINDS), required=True)
def organisation_add(name, kind) -> None:
    """Add an organisation and print its id."""
    if not name.strip() or len(name) > 200:
        raise click.UsageError("--name must hold 1–200 characters")
    _, store = _store()
    try:
        click.echo(PathStore(store).add_organisation(name.strip(), kind)["id"])
    finally:
        store.engine.dispose()


@organisation_group.command("list")
def organisation_list() -> None:
    """List the organisations: id, kind, name."""
    _, store = _store()
    try:
        organisations = PathStore(store).organisations(page=1, page_size=10_000).items
    finally:
        store.engine.dispose()
    for item in organisations:
        click.echo(f"{item['id']:<16}{item['kind']:<20}{item['name']}")


@cli.group("report")
def report_group() -> None:
    """Reports: fairness (impact ratios of self-reported groups), outcomes and continuity."""


def _services():
    from service.matching import Services

    return Services.configured(*_store())


@report_group.command("fairness")
@click.option("--top-n", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--min-people", default=30, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON.")
def report_fairness(top_n, min_people, as_json) -> None:
    """Impact ratios per self-reported group on scores, shortlists and outcomes; exits 1
    when a ratio is below four fifths."""
    from service.reports import fairness_report

    services = _services()
    try:
        report = fairness_report(services, top_n=top_n, min_people=min_people)
    finally:
        services.store.engine.dispose()
    if as_json:
        click.echo(json.dumps(report, default=str, indent=2))
    else:
        _print_fairness(report)
    if report["flags"]:
        sys.exit(1)


def _print_fairness(report: dict) -> None:
    click.echo(
        f"{'attribute':<14}{'slice':<22}{'measure':<10}{'group':<14}"
        f"{'people':>7}{'rate':>8}{'ratio':>7}  note"
    )
    for attribute, slices in report["attributes"].items():
        for name, measures in slices.items():
            for measure, rows in measures.items():
                for r in rows:
                    ratio = "" if r["impact_ratio"] is None else f"{r['impact_ratio']:.2f}"
                    mark = "FLAG " if r["flagged"] else ""
                    click.echo(
                        f"{attribute:<14}{name:<22}{measure:<10}{r['group']:<14}"
                        f"{r['people']:>7}{r['rate']:>8.3f}{ratio:>7}  {mark}{r['note'] or ''}"
                    )
    click.echo(f"\n{len(report['flags'])} flagged (impact ratio below {report['threshold']}).")
    for flag in report["flags"]:
        click.echo(f"  {flag}")


@report_group.command("outcomes")
def report_outcomes() -> None:
    """Per service path and need kind: shortlisted, contacted, hired, started (JSON)."""
    from service.reports import outcome_report

    services = _services()
    try:
        click.echo(json.dumps(outcome_report(services), default=str, indent=2))
    finally:
        services.store.engine.dispose()


@report_group.command("continuity")
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON.")
def report_continuity(as_json) -> None:
    """Who is falling off the service path (no current step, a next step past its date, a
    handover unacknowledged for HANDOVER_ACK_DAYS); exits 1 when anyone is on it, for cron."""
    from service.matching import Services
    from service.paths import continuity_report, reference_date, report_entries

    settings, store = _store()
    try:
        report = continuity_report(
            PathStore(store), reference_date(settings), settings["HANDOVER_ACK_DAYS"]
        )
        refs = Services(store, None, settings["SECRET_KEY"])
        people = sorted({refs.person_ref(e["jobseeker_id"]) for e in report_entries(report)})
        store.audit(CLI, "report.continuity", "continuity", {"people": people})
    finally:
        store.engine.dispose()
    if as_json:
        click.echo(json.dumps(report, default=str, indent=2))
    else:
        _print_continuity(report)
    if report["total"]:
        sys.exit(1)


def _print_continuity(report: dict) -> None:
    click.echo(f"Continuity on {report['as_of']}: {report['total']} people off the path.")
    for group in report["organisations"]:
        click.echo(f"\n{group['name'] or 'no organisation'} ({group['organisation_id'] or '-'})")
        for counsellor in group["counsellors"]:
            click.echo(f"  {counsellor['counsellor'] or 'no counsellor'}")
            for e in counsellor["people"]:
                click.echo(f"    {e['jobseeker_id']:<16}{e['reason']:<26}{e['days']:>5} days")
