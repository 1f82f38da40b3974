"""Persistence: the one module that talks to the database (SQLAlchemy 2, Alembic migrations).

The embedded default is a SQLite file in WAL mode with ``synchronous=FULL`` so that a reported
commit survives power loss; PostgreSQL is used through ``DATABASE_URL``. Every public method of
:class:`Store` runs in one transaction: it commits whole or leaves the database as it was.
Entities are stored as the JSON form of the ``matcher`` domain objects beside the columns used
for filtering, so the engine's validation stays the single source of truth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from matcher.domain import Company, Jobseeker, Need
from matcher.embedding import text_key
from matcher.engine import StageOneCut
from matcher.geo import municipality_names
from matcher.text import (
    UNSAFE_ASCII_PATTERN,
    UNSAFE_ESCAPE_PATTERN,
    UNSAFE_PATTERN,
    scrubbed,
)

log = logging.getLogger("kohtaanto")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BATCH_LOCK = "nightly"
# Integer keys are 32-bit on PostgreSQL: the schemas accept no larger id (e.g. since_run).
MAX_ROW_ID = 2**31 - 1
ROLES = ("recruiter", "company", "admin", "counsellor")
OUTCOMES = (
    "contacted",
    "interviewed",
    "hired",
    "apprenticeship_started",
    "training_started",
    "rejected_by_company",
    "declined_by_jobseeker",
)
DECISIONS = ("pin", "hide")
SELF_REPORT_FIELDS = ("sex", "age_band", "mother_tongue")
Document = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.astimezone(dt.UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of the tables."""


class CompanyRow(Base):
    __tablename__ = "companies"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(Document)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class NeedRow(Base):
    __tablename__ = "needs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), index=True)
    municipality: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict] = mapped_column(Document)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class JobseekerRow(Base):
    __tablename__ = "jobseekers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(80))
    service_path: Mapped[str | None] = mapped_column(String(10), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict] = mapped_column(Document)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    # The jobseekers' data version of the write that last touched the row.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)


class OutcomeRow(Base):
    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class OutcomeTallyRow(Base):
    """Anonymous counts of outcomes whose jobseeker has been erased."""

    __tablename__ = "outcome_tallies"
    need_id: Mapped[str] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CandidateDecisionRow(Base):
    """A recruiter's pin or hide of a candidate for a need, with the reason."""

    __tablename__ = "candidate_decisions"
    need_id: Mapped[str] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SelfReportRow(Base):
    """Demographics a jobseeker chose to report, kept apart from the profile: read only by the
    fairness report, never by scoring."""

    __tablename__ = "self_reports"
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), primary_key=True
    )
    sex: Mapped[str | None] = mapped_column(String(20), nullable=True)
    age_band: Mapped[str | None] = mapped_column(String(20), nullable=True)
    mother_tongue: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class TokenRow(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"), nullable=True)
    # A counsellor's organisation (service/storage_paths.py holds the organisations).
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", name="fk_tokens_organisation_id"), nullable=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict] = mapped_column(Document)


class BatchRunRow(Base):
    __tablename__ = "batch_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    holder: Mapped[str] = mapped_column(String(200))
    k: Mapped[int] = mapped_column(Integer)
    weights_version: Mapped[str] = mapped_column(String(100))
    summary: Mapped[dict] = mapped_column(Document)
    # What scored the run (feature names, weights, vocabulary fingerprint, model, and their
    # fingerprint): the run is served only while the running scorer has the same.
    scorer: Mapped[dict | None] = mapped_column(Document, nullable=True)


class WebSessionRow(Base):
    """A signed-in page session; the cookie holds its random id, and signing out ends it."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IdempotencyKeyRow(Base):
    """The answer to a creating request sent with an ``Idempotency-Key``, replayed on retry."""

    __tablename__ = "idempotency_keys"
    token_id: Mapped[int] = mapped_column(
        ForeignKey("tokens.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    route: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class BatchCandidateRow(Base):
    """A need's candidate in a batch run; ``new`` when not in the previous complete run."""

    __tablename__ = "batch_candidates"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("batch_runs.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    jobseeker_id: Mapped[str] = mapped_column(
        ForeignKey("jobseekers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[bytes] = mapped_column(LargeBinary)  # float32 feature values
    new: Mapped[bool] = mapped_column(Boolean, default=False)
    # The explanation, for the first page (served as stored, not recomputed): its JSON
    # compressed (matcher.batch.packed_explanation), or plain JSON in runs written before.
    explanation: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class BatchCutRow(Base):
    """Who stage 1 handed to stage 2 for a need in a batch run
    (:class:`matcher.engine.StageOneCut`): the last person kept by (score, id), and the
    last one added when the list was completed with eligible people. With it a run's list
    is brought up to date with the people changed since, instead of thrown away."""

    __tablename__ = "batch_cuts"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("batch_runs.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    floor_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    floor_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    completed: Mapped[bool] = mapped_column(Boolean)
    completed_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    completed_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)


class PersonVectorRow(Base):
    """A jobseeker's sentence embedding (:mod:`matcher.embedding`) and the digest of the text
    it was computed from: computed once per profile version, read by every process."""

    __tablename__ = "person_vectors"
    jobseeker_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32


class NeedVectorRow(Base):
    """A need's sentence embedding, as :class:`PersonVectorRow` is a person's."""

    __tablename__ = "need_vectors"
    need_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32


class BatchLockRow(Base):
    """At most one row: the batch that is running, and who runs it."""

    __tablename__ = "batch_lock"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class DataVersionRow(Base):
    """A counter per kind of data, bumped by every write, so caches can tell they are stale."""

    __tablename__ = "data_versions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class JobseekerChanges:
    """Jobseeker writes after some data version: the version now, the active people written
    since (new or changed), the ids written inactive since, and, when rows were deleted since,
    the ids of every active jobseeker (None otherwise)."""

    version: int
    people: list[Jobseeker]
    inactive: list[str]
    active: set[str] | None


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's id, role, (for company tokens) company and (for counsellor
    tokens) organisation."""

    token_id: int | None
    role: str
    company_id: str | None = None
    organisation_id: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a list, with the total count of matching rows."""

    items: list[Any]
    total: int
    page: int
    page_size: int


class NotFound(LookupError):
    """The row does not exist (or is not visible to the caller)."""


class Conflict(RuntimeError):
    """A write violated a constraint; nothing was written."""


class BatchLocked(RuntimeError):
    """Another batch run holds the lock."""


def new_id(prefix: str) -> str:
    """A fresh random identifier such as ``N-3f9a1c2b7d4e``."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def hash_token(token: str) -> str:
    """Hash of a bearer token as stored (tokens are random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Erased people's data is overwritten, not left in free pages (not every build's default).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# A JSON document that may hold unsafe text (see matcher.text.unsafe_char), escaped or raw;
# rarely matched, so almost every document takes orjson's fast path. Every document is read
# through this (the engine reads all jobseekers), so ASCII text is scanned with the narrow
# class, which finds the same characters in it many times faster.
_UNSAFE_ESCAPED = re.compile(UNSAFE_ESCAPE_PATTERN)
_UNSAFE_RAW = re.compile(UNSAFE_PATTERN)
_UNSAFE_ASCII = re.compile(UNSAFE_ASCII_PATTERN)


def _maybe_unsafe(text: str) -> bool:
    raw = _UNSAFE_ASCII if text.isascii() else _UNSAFE_RAW
    return bool(_UNSAFE_ESCAPED.search(text) or raw.search(text))


def read_document(raw: str | bytes) -> Any:
    """A stored JSON document; text that cannot be served (a row written before such text
    was refused, e.g. a lone surrogate) reads as U+FFFD, so that no stored row breaks a read."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    if not _maybe_unsafe(text):
        return orjson.loads(text)
    return scrubbed(json.loads(text))


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, ``synchronous=FULL``, foreign keys and
    ``secure_delete``."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10}, json_deserializer=read_document)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_deserializer=read_document)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


_CANDIDATE_COLUMNS = ("need_id", "jobseeker_id", "rank", "score", "features", "new", "explanation")


def _candidate_insert(dialect) -> str:
    """The statement that writes one candidate of a run, unless the person no longer exists.

    The check is in the inserting statement itself: SQLite holds the write lock from the
    first insert of the transaction, and PostgreSQL locks the person's row (``FOR KEY
    SHARE``) so that an erasure waits for the commit and then cascades. Parameters: run id,
    the candidate columns, then the jobseeker id again."""
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    blob = LargeBinary().compile(dialect=dialect)  # a NULL explanation needs its type
    lock = " FOR KEY SHARE" if dialect.name == "postgresql" else ""
    # The run id and every column but the last, the explanation.
    plain = ", ".join([marker] * len(_CANDIDATE_COLUMNS))
    return (
        f"INSERT INTO batch_candidates (run_id, {', '.join(_CANDIDATE_COLUMNS)}) "
        f"SELECT {plain}, CAST({marker} AS {blob}) "
        f"WHERE EXISTS (SELECT 1 FROM jobseekers WHERE id = {marker}{lock})"
    )


def _copy_candidates(connection, rows: list[tuple]) -> None:
    """Write candidates on PostgreSQL: those whose person still exists, locking each
    person's row (``FOR KEY SHARE``) as :func:`_candidate_insert` does, so an erasure waits
    and then cascades."""
    where = "EXISTS (SELECT 1 FROM jobseekers j WHERE j.id = c.jobseeker_id FOR KEY SHARE)"
    _copy_where(connection, "batch_candidates", _CANDIDATE_COLUMNS, rows, where)


def _copy_where(connection, table: str, columns: Sequence[str], rows, where: str) -> None:
    """Write ``rows`` (run id, then ``columns``) into ``table`` on PostgreSQL: COPY into a
    table of the transaction, then one insert of the rows (as ``c``) meeting ``where``."""
    named = ", ".join(("run_id", *columns))
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {table}_in "
            f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {table}_in ({named}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({named}) SELECT {named} FROM {table}_in c WHERE {where}"
        )


_CUT_COLUMNS = (
    "need_id",
    "floor_score",
    "floor_id",
    "completed",
    "completed_score",
    "completed_id",
)
# A cut is written only while the people it names exist (each locked as a candidate's is),
# so that an erasure during the run leaves no cut naming them: that need is served live.
_CUT_NAMES_EXISTING = (
    "({0}.floor_id IS NULL OR EXISTS (SELECT 1 FROM jobseekers j WHERE j.id = {0}.floor_id{1})) "
    "AND ({0}.completed_id IS NULL OR "
    "EXISTS (SELECT 1 FROM jobseekers j WHERE j.id = {0}.completed_id{1}))"
)


def _cut_insert(dialect) -> str:
    """The statement that writes one stage-1 cut of a run (parameters: run id, then
    :data:`_CUT_COLUMNS`), unless a person it names no longer exists."""
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    lock = " FOR KEY SHARE" if dialect.name == "postgresql" else ""
    columns = ", ".join(("run_id", *_CUT_COLUMNS))
    named = ", ".join(f"{marker} AS {c}" for c in ("run_id", *_CUT_COLUMNS))
    return (
        f"INSERT INTO batch_cuts ({columns}) SELECT {columns} FROM (SELECT {named}) c "
        f"WHERE {_CUT_NAMES_EXISTING.format('c', lock)}"
    )


def _copy_cuts(connection, rows: list[tuple]) -> None:
    """Write stage-1 cuts on PostgreSQL: those whose named people still exist."""
    where = _CUT_NAMES_EXISTING.format("c", " FOR KEY SHARE")
    _copy_where(connection, "batch_cuts", _CUT_COLUMNS, rows, where)


class Store:
    """Transactions over the tables, in domain terms."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._complete_runs: dict[int, dict] = {}

    @classmethod
    def connect(cls, url: str, *, upgrade: bool = True) -> Store:
        """Open (and by default migrate) the database at ``url``."""
        engine = make_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
            except IntegrityError as error:
                raise Conflict(str(error.orig).splitlines()[0]) from None

    # -- sentence embeddings (matcher.embedding.VectorStore) ----------------------------------

    def load_vectors(self, kind: str, keys: Sequence[tuple[str, str]]) -> dict:
        """The stored vectors of ``kind`` (``"person"`` or ``"need"``) among ``keys``
        ((owner id, text digest)): a vector of another text of the owner is not one."""
        row, owner = _VECTOR_TABLES[kind]
        wanted = dict(keys)
        found = {}
        with self.transaction() as session:
            for start in range(0, len(keys), 900):
                chunk = [k for k, _ in keys[start : start + 900]]
                for hit in session.execute(
                    select(owner, row.digest, row.vector).where(owner.in_(chunk))
                ):
                    if wanted.get(hit[0]) == hit[1]:
                        found[(hit[0], hit[1])] = np.frombuffer(hit[2], dtype=np.float32)
        return found

    def save_vectors(self, kind: str, vectors: Mapping[tuple[str, str], np.ndarray]) -> None:
        """Store ``vectors``, each replacing its owner's vector of another text. Only a
        vector of the owner's stored text is kept: not one of a profile imagined from it (a
        pathway's "after the training"), nor of an owner deleted meanwhile (an erasure).

        The vectors are a cache of what the rows say: when two processes store the same
        owner's at once, or an erasure deadlocks with this, the failure is logged and the
        caller goes on (the next reader computes the vector again)."""
        try:
            with self.transaction() as session:
                kept = _current_vectors(session, kind, vectors)
                if kept:
                    session.execute(_upsert_vectors(session, kind), kept)
        except (Conflict, DBAPIError) as error:
            log.warning("%s vectors not stored: %s", kind, str(error).splitlines()[0])

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    # -- companies -------------------------------------------------------------------------------

    def add_companies(
        self, companies: Iterable[Company], *, record: Mapping[str, Any] | None = None
    ) -> list[Company]:
        """Insert companies (all or none), with an idempotency ``record`` when given."""
        now = utcnow()
        companies = list(companies)
        with self.transaction() as session:
            session.add_all(
                CompanyRow(id=c.id, name=c.name, data=c.to_dict(), created_at=now, updated_at=now)
                for c in companies
            )
            _keep_answer(session, record)
        return companies

    def replace_company(self, company: Company, *, archived: bool | None = None) -> Company:
        """Overwrite a stored company."""
        values: dict[str, Any] = {
            "name": company.name,
            "data": company.to_dict(),
            "updated_at": utcnow(),
        }
        if archived is not None:
            values["archived"] = archived
        self._update(CompanyRow, company.id, values)
        return company

    def company(self, company_id: str) -> tuple[Company, dict[str, Any]]:
        """A company and its record metadata."""
        with self.transaction() as session:
            row = self._get(session, CompanyRow, company_id)
            return Company.from_dict(row.data), _meta(row, archived=row.archived)

    def companies(
        self,
        *,
        page: int,
        page_size: int,
        company_id: str | None = None,
        include_archived: bool = False,
    ) -> Page:
        """A page of companies (only ``company_id`` when given)."""
        query = select(CompanyRow)
        if company_id is not None:
            query = query.where(CompanyRow.id == company_id)
        if not include_archived:
            query = query.where(CompanyRow.archived.is_(False))
        return self._page(
            query.order_by(CompanyRow.id),
            page,
            page_size,
            lambda r: (Company.from_dict(r.data), _meta(r, archived=r.archived)),
        )

    # -- needs -----------------------------------------------------------------------------------

    def add_needs(
        self, needs: Iterable[Need], *, record: Mapping[str, Any] | None = None
    ) -> list[Need]:
        """Insert needs (all or none), with an idempotency ``record`` when given."""
        now = utcnow()
        needs = list(needs)
        with self.transaction() as session:
            session.add_all(_need_row(n, now, now) for n in needs)
            _bump(session, "needs")
            _keep_answer(session, record)
        return needs

    def replace_need(self, need: Need) -> Need:
        """Overwrite a stored need with a validated new version."""
        row = _need_row(need, None, utcnow())
        values = {
            k: getattr(row, k) for k in ("kind", "status", "municipality", "data", "updated_at")
        }
        self._update(NeedRow, need.id, values, bump="needs")
        return need

    def need(self, need_id: str) -> tuple[Need, dict[str, Any]]:
        """A need and its record metadata."""
        with self.engine.connect() as connection:
            row = connection.execute(_NEED_BY_ID, {"need_id": need_id}).one_or_none()
        if row is None:
            raise NotFound(need_id)
        return Need.from_dict(row.data), _meta(row)

    def needs(self, *, page: int, page_size: int, **filters: Any) -> Page:
        """A page of needs filtered by ``company_id``, ``kind``, ``status``, ``municipality``."""
        return self._page(
            _filtered(NeedRow, filters).order_by(NeedRow.id),
            page,
            page_size,
            lambda r: (Need.from_dict(r.data), _meta(r)),
        )

    def needs_by_id(self, ids: Sequence[str]) -> dict[str, Need]:
        """Needs (open or not) by id; unknown ids are left out."""
        with self.transaction() as session:
            rows = session.scalars(select(NeedRow).where(NeedRow.id.in_(list(ids))))
            return {r.id: Need.from_dict(r.data) for r in rows}

    def open_needs(self) -> list[Need]:
        """Every open need."""
        with self.transaction() as session:
            rows = session.scalars(
                select(NeedRow.data).where(NeedRow.status == "open").order_by(NeedRow.id)
            )
            return [Need.from_dict(data) for data in rows]

    # -- jobseekers ------------------------------------------------------------------------------

    def add_jobseekers(
        self, people: Iterable[Jobseeker], *, record: Mapping[str, Any] | None = None
    ) -> list[Jobseeker]:
        """Insert jobseekers (all or none), with an idempotency ``record`` when given."""
        now = utcnow()
        people = list(people)
        with self.transaction() as session:
            version = _bump(session, "jobseekers")
            session.add_all(_jobseeker_row(p, now, now, version) for p in people)
            _keep_answer(session, record)
        return people

    def replace_jobseeker(self, person: Jobseeker, *, active: bool | None = None) -> Jobseeker:
        """Overwrite a stored jobseeker with a validated new version."""
        row = _jobseeker_row(person, None, utcnow())
        values = {
            k: getattr(row, k) for k in ("municipality", "service_path", "data", "updated_at")
        }
        if active is not None:
            values["active"] = active
        self._update(JobseekerRow, person.id, values, bump="jobseekers")
        return person

    def jobseeker(self, jobseeker_id: str) -> tuple[Jobseeker, dict[str, Any]]:
        """A jobseeker and record metadata."""
        with self.transaction() as session:
            row = self._get(session, JobseekerRow, jobseeker_id)
            return Jobseeker.from_dict(row.data), _meta(row, active=row.active)

    def jobseekers(self, *, page: int, page_size: int, **filters: Any) -> Page:
        """A page of jobseekers filtered by ``municipality``, ``service_path``, ``active``."""
        return self._page(
            _filtered(JobseekerRow, filters).order_by(JobseekerRow.id),
            page,
            page_size,
            lambda r: (Jobseeker.from_dict(r.data), _meta(r, active=r.active)),
        )

    def active_jobseekers(self) -> list[Jobseeker]:
        """Every active jobseeker."""
        with self.transaction() as session:
            rows = session.scalars(
                select(JobseekerRow.data)
                .where(JobseekerRow.active.is_(True))
                .order_by(JobseekerRow.id)
            )
            return [Jobseeker.from_dict(data) for data in rows]

    def jobseekers_by_id(self, ids: Sequence[str]) -> dict[str, Jobseeker]:
        """The stored jobseekers with ``ids`` (missing ones are left out)."""
        with self.transaction() as session:
            rows = session.scalars(select(JobseekerRow.data).where(JobseekerRow.id.in_(list(ids))))
            return {person.id: person for person in map(Jobseeker.from_dict, rows)}

    def export_jobseeker(self, jobseeker_id: str) -> dict[str, Any]:
        """All data held about a person: the profile, its record, the outcomes recorded, the
        recruiters' pins and hides, the self-report, and the steps and handovers of their path."""
        from service.storage_paths import path_of  # builds on this module

        with self.transaction() as session:
            row = self._get(session, JobseekerRow, jobseeker_id)
            outcomes = session.scalars(
                select(OutcomeRow)
                .where(OutcomeRow.jobseeker_id == jobseeker_id)
                .order_by(OutcomeRow.id)
            )
            decisions = session.scalars(
                select(CandidateDecisionRow)
                .where(CandidateDecisionRow.jobseeker_id == jobseeker_id)
                .order_by(CandidateDecisionRow.need_id)
            )
            report = session.get(SelfReportRow, jobseeker_id)
            return {
                "jobseeker": row.data,
                "record": _meta(row, active=row.active),
                "outcomes": [_outcome(o) for o in outcomes],
                "decisions": [{"need_id": d.need_id, **_decision(d)} for d in decisions],
                "self_report": _self_report(report) if report else None,
                "path": path_of(session, jobseeker_id),
            }

    def erase_jobseeker(
        self,
        jobseeker_id: str,
        person_ref: str | None = None,
        principal: Principal | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> dict[str, int]:
        """Delete a person and every derived row; outcomes survive only as anonymous counts.

        With ``person_ref`` (how the audit log names the person), the audit entries about
        them are anonymised (:meth:`_anonymise_audit`) and, with ``principal``, the erasure's
        own entry is written under the same unlinkable name: all in this one transaction.
        """
        with self.transaction() as session:
            self._get(session, JobseekerRow, jobseeker_id)
            for step in ERASURE_STEPS:
                step(session, jobseeker_id)
            counts = session.execute(
                select(OutcomeRow.need_id, OutcomeRow.outcome, func.count())
                .where(OutcomeRow.jobseeker_id == jobseeker_id)
                .group_by(OutcomeRow.need_id, OutcomeRow.outcome)
            ).all()
            for need_id, outcome, count in counts:
                tally = session.get(OutcomeTallyRow, (need_id, outcome))
                if tally is None:
                    session.add(OutcomeTallyRow(need_id=need_id, outcome=outcome, count=count))
                else:
                    tally.count += count
            removed = {"outcomes": sum(c for *_, c in counts)}
            from service.storage_paths import DERIVED_BY_JOBSEEKER  # builds on this module

            deleted: dict[str, int] = {}
            for table, column in DERIVED_BY_JOBSEEKER + _DERIVED_BY_JOBSEEKER:
                result = session.execute(delete(table).where(column == jobseeker_id))
                name = table.__tablename__
                deleted[name] = deleted.get(name, 0) + result.rowcount
            removed.update(deleted)
            session.execute(delete(JobseekerRow).where(JobseekerRow.id == jobseeker_id))
            removed["idempotency_keys"] = _forget_answers_naming(session, jobseeker_id)
            _removed_jobseekers(session)
            if person_ref is not None:
                anonymous = self._anonymise_audit(session, person_ref)
                if principal is not None:
                    entry = {**(detail or {}), "removed": removed}
                    session.add(_audit_row(principal, "jobseeker.erase", anonymous, entry))
            return removed

    def stale_jobseeker_ids(self, older_than: dt.datetime) -> list[str]:
        """Ids of jobseekers not updated since ``older_than``."""
        with self.transaction() as session:
            return list(
                session.scalars(select(JobseekerRow.id).where(JobseekerRow.updated_at < older_than))
            )

    # -- outcomes --------------------------------------------------------------------------------

    def outcome_history(self) -> list[tuple[str, str, str]]:
        """Every recorded ``(need_id, jobseeker_id, outcome)``, oldest first."""
        with self.transaction() as session:
            rows = session.execute(
                select(OutcomeRow.need_id, OutcomeRow.jobseeker_id, OutcomeRow.outcome).order_by(
                    OutcomeRow.created_at, OutcomeRow.id
                )
            )
            return [tuple(r) for r in rows]

    def outcome_counts(self) -> list[tuple[str, str, str, int]]:
        """``(need_id, jobseeker_id or None, outcome, count)``: recorded outcomes per pair, and
        the anonymous tallies of erased people (jobseeker None)."""
        with self.transaction() as session:
            kept = session.execute(
                select(OutcomeRow.need_id, OutcomeRow.jobseeker_id, OutcomeRow.outcome)
            )
            erased = session.execute(
                select(OutcomeTallyRow.need_id, OutcomeTallyRow.outcome, OutcomeTallyRow.count)
            )
            return [(n, j, o, 1) for n, j, o in kept] + [(n, None, o, c) for n, o, c in erased]

    # -- human decisions and self-reports ---------------------------------------------------------

    def set_decision(
        self,
        need_id: str,
        jobseeker_id: str,
        action: str,
        reason: str,
        principal: Principal,
        person_ref: str | None = None,
    ) -> dict[str, Any] | None:
        """Pin or hide a candidate for a need (``"clear"`` removes the decision); the decision
        and its audit entry are written together. Returns the decision (None once cleared)."""
        if action not in DECISIONS + ("clear",):
            raise ValueError(f"action must be one of {', '.join(DECISIONS)} or clear")
        with self.transaction() as session:
            self._get(session, NeedRow, need_id)
            self._get(session, JobseekerRow, jobseeker_id)
            row = session.get(CandidateDecisionRow, (need_id, jobseeker_id))
            if row is not None:
                session.delete(row)
                session.flush()
            decision = None
            if action != "clear":
                row = CandidateDecisionRow(
                    need_id=need_id,
                    jobseeker_id=jobseeker_id,
                    action=action,
                    reason=reason,
                    decided_by=principal.token_id,
                    decided_at=utcnow(),
                )
                session.add(row)
                decision = _decision(row)
            # The reason's words may be about the person's life: the audit log keeps only
            # that one was given (its length), never what it says.
            detail = {"action": action, "reason_length": len(reason), "person": person_ref}
            session.add(_audit_row(principal, f"candidate.{action}", f"need:{need_id}", detail))
            return decision

    def decisions(self, need_id: str) -> dict[str, dict[str, Any]]:
        """The pins and hides of a need by jobseeker id, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(_DECISIONS_OF_NEED, {"need_id": need_id})
            return {r.jobseeker_id: _decision(r) for r in rows}

    def pinned_pairs(self) -> list[tuple[str, str]]:
        """Every pinned ``(need_id, jobseeker_id)``."""
        with self.transaction() as session:
            rows = session.execute(
                select(CandidateDecisionRow.need_id, CandidateDecisionRow.jobseeker_id).where(
                    CandidateDecisionRow.action == "pin"
                )
            )
            return [tuple(r) for r in rows]

    def set_self_report(self, jobseeker_id: str, report: Mapping[str, str | None]) -> dict:
        """Store what a jobseeker chose to report about themselves (replacing the earlier)."""
        with self.transaction() as session:
            self._get(session, JobseekerRow, jobseeker_id)
            row = session.get(SelfReportRow, jobseeker_id) or SelfReportRow(
                jobseeker_id=jobseeker_id
            )
            for name in SELF_REPORT_FIELDS:
                setattr(row, name, report.get(name))
            row.reported_at = utcnow()
            session.add(row)
            return _self_report(row)

    def add_history(self, reports: Sequence[Mapping], outcomes: Sequence[Mapping]) -> None:
        """Load self-reports and outcomes in one transaction (all or none): a data set's
        history, e.g. the demo's."""
        now = utcnow()
        with self.transaction() as session:
            for report in reports:
                values = {name: report.get(name) for name in SELF_REPORT_FIELDS}
                session.add(
                    SelfReportRow(jobseeker_id=report["jobseeker_id"], reported_at=now, **values)
                )
            for outcome in outcomes:
                if outcome["outcome"] not in OUTCOMES:
                    raise ValueError(f"unknown outcome {outcome['outcome']!r}")
                session.add(
                    OutcomeRow(
                        need_id=outcome["need_id"],
                        jobseeker_id=outcome["jobseeker_id"],
                        outcome=outcome["outcome"],
                        note="",
                        created_at=now,
                    )
                )

    def self_reports(self) -> dict[str, dict[str, Any]]:
        """Every self-report by jobseeker id (for the fairness report only)."""
        with self.transaction() as session:
            return {r.jobseeker_id: _self_report(r) for r in session.scalars(select(SelfReportRow))}

    # -- tokens and audit ------------------------------------------------------------------------

    def create_token(
        self,
        role: str,
        company_id: str | None = None,
        label: str = "",
        organisation_id: str | None = None,
    ) -> tuple[str, int]:
        """A new bearer token (returned once, stored only hashed) and its id."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if (role == "company") != (company_id is not None):
            raise ValueError("a company token needs --company, and only a company token has one")
        if (role == "counsellor") != (organisation_id is not None):
            raise ValueError(
                "a counsellor token needs --organisation, and only a counsellor token has one"
            )
        token = f"kt_{secrets.token_urlsafe(32)}"
        with self.transaction() as session:
            if company_id is not None:
                self._get(session, CompanyRow, company_id)
            if organisation_id is not None:
                from service.storage_paths import OrganisationRow  # builds on this module

                self._get(session, OrganisationRow, organisation_id)
            row = TokenRow(
                token_hash=hash_token(token),
                role=role,
                company_id=company_id,
                organisation_id=organisation_id,
                label=label,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return token, row.id

    def principal(self, token: str) -> Principal | None:
        """The principal behind a bearer token, None when unknown or revoked."""
        return self._principal(_PRINCIPAL_BY_HASH, {"token_hash": hash_token(token)})

    def _principal(self, query, parameters: dict[str, Any]) -> Principal | None:
        with self.engine.connect() as connection:
            row = connection.execute(query, parameters).one_or_none()
        if row is None or row.revoked_at is not None:
            return None
        return Principal(row.id, row.role, row.company_id, row.organisation_id)

    def audit(
        self,
        principal: Principal,
        action: str,
        target: str,
        detail: Mapping[str, Any] | None = None,
    ):
        """Append an entry to the audit log."""
        # Core, not a session: an entry is written with every candidate-list read.
        with self.engine.begin() as connection:
            connection.execute(_AUDIT_INSERT, _audit_values(principal, action, target, detail))

    def audit_log(self, *, page: int, page_size: int, action: str | None = None) -> Page:
        """A page of audit entries, newest first."""
        query = select(AuditRow)
        if action:
            query = query.where(AuditRow.action == action)
        return self._page(query.order_by(AuditRow.id.desc()), page, page_size, _audit)

    def purge_audit(self, older_than: dt.datetime) -> int:
        """Delete audit entries older than ``older_than``; returns how many."""
        with self.transaction() as session:
            return session.execute(delete(AuditRow).where(AuditRow.at < older_than)).rowcount

    # -- privacy: audit entries of erased people ---------------------------------------------

    @staticmethod
    def _anonymise_audit(session: Session, person_ref: str) -> str:
        """Rename ``person_ref`` in every audit entry that names it to a random pseudonym (one
        per erasure, derived from nothing, so it cannot be linked to the person) and drop the
        free text of those entries; who did what, and when, stays. Returns the new name."""
        anonymous = f"jobseeker:erased-{secrets.token_hex(8)}"
        about = or_(
            AuditRow.target == person_ref,
            cast(AuditRow.detail, Text).contains(person_ref, autoescape=True),
        )
        for row in session.scalars(select(AuditRow).where(about)):
            if row.target == person_ref:
                row.target = anonymous
            row.detail = _anonymised(row.detail, person_ref, anonymous)
        return anonymous

    # -- token management and web sessions -------------------------------------------------------

    def tokens(
        self,
        *,
        page: int,
        page_size: int,
        role: str | None = None,
        company_id: str | None = None,
        active: bool | None = None,
    ) -> Page:
        """A page of tokens, oldest first, without their hashes; ``active`` True keeps the live
        ones, False the revoked ones."""
        query = _filtered(TokenRow, {"role": role, "company_id": company_id})
        if active is not None:
            revoked = TokenRow.revoked_at
            query = query.where(revoked.is_(None) if active else revoked.is_not(None))
        return self._page(query.order_by(TokenRow.id), page, page_size, _token)

    def revoke_token(self, token_id: int, by: Principal) -> dict[str, Any]:
        """Revoke a token and end its web sessions, audited as done ``by`` in the same
        transaction; the token as now stored. A token revoked before keeps its first date
        and gets no second entry. Raises :class:`NotFound`."""
        if not 0 < token_id <= MAX_ROW_ID:
            raise NotFound(str(token_id))
        with self.transaction() as session:
            row = self._get(session, TokenRow, token_id)
            if row.revoked_at is None:
                _revoke(session, [row])
                session.add(_audit_row(by, "token.revoke", f"token:{token_id}", None))
            return _token(row)

    def revoke_labelled(self, label: str) -> list[int]:
        """Revoke every live token labelled ``label`` and end their web sessions; their ids."""
        with self.transaction() as session:
            rows = list(
                session.scalars(
                    select(TokenRow).where(TokenRow.label == label, TokenRow.revoked_at.is_(None))
                )
            )
            _revoke(session, rows)
            return [row.id for row in rows]

    def start_web_session(self, token_id: int, forget_before: dt.datetime) -> str:
        """A new page session for a token: its random id, for the cookie (stored only hashed).
        Sessions started before ``forget_before`` (expired by then) are deleted."""
        session_id = secrets.token_urlsafe(32)
        with self.transaction() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.created_at < forget_before))
            session.add(
                WebSessionRow(id=hash_token(session_id), token_id=token_id, created_at=utcnow())
            )
        return session_id

    def web_session_principal(
        self, session_id: str, started_after: dt.datetime
    ) -> Principal | None:
        """The principal of a page session that has not ended, started after
        ``started_after``, and whose token is not revoked; else None."""
        parameters = {"session_hash": hash_token(session_id), "started_after": started_after}
        with self.engine.connect() as connection:
            row = connection.execute(_WEB_SESSION, parameters).one_or_none()
        return None if row is None else Principal(*row)

    def end_web_session(self, session_id: str) -> None:
        """End a page session (signing out): its cookie, or any copy of it, no longer works."""
        with self.transaction() as session:
            session.execute(
                update(WebSessionRow)
                .where(WebSessionRow.id == hash_token(session_id), WebSessionRow.ended_at.is_(None))
                .values(ended_at=utcnow())
            )

    # -- idempotency keys ------------------------------------------------------------------------

    def idempotent_answer(
        self, token_id: int, key: str, kept_since: dt.datetime
    ) -> dict[str, Any] | None:
        """The answer kept for a token's ``Idempotency-Key`` (route, request_hash, status,
        body), None when the key is new; a key kept from before ``kept_since`` is forgotten
        now, so that it may be used again."""
        with self.transaction() as session:
            row = session.get(IdempotencyKeyRow, (token_id, key))
            if row is not None and row.created_at < kept_since:
                session.delete(row)
                return None
            return _fields(row, "route", "request_hash", "status", "body") if row else None

    def purge_idempotency_keys(self, older_than: dt.datetime) -> int:
        """Forget idempotency keys older than ``older_than``; returns how many."""
        with self.transaction() as session:
            table = IdempotencyKeyRow
            return session.execute(delete(table).where(table.created_at < older_than)).rowcount

    # -- batch runs ------------------------------------------------------------------------------

    def begin_run(
        self, k: int, weights_version: str, holder: str, alive, scorer: dict | None = None
    ) -> int:
        """Take the batch lock and open a run made by ``scorer`` (its description); a lock
        whose holder is dead is taken over and its run marked failed. Raises
        :class:`BatchLocked` while another batch runs."""
        now = utcnow()
        try:
            with self.transaction() as session:
                lock = session.get(BatchLockRow, BATCH_LOCK)
                if lock is not None:
                    if alive(lock.holder):
                        raise BatchLocked(f"batch run {lock.run_id} is running ({lock.holder})")
                    self._mark_failed(session, lock.run_id, f"{lock.holder} stopped mid-run")
                    session.delete(lock)
                    session.flush()
                run = BatchRunRow(
                    started_at=now,
                    status="running",
                    holder=holder,
                    k=k,
                    weights_version=weights_version,
                    summary={},
                    scorer=scorer,
                )
                session.add(run)
                session.flush()
                session.add(
                    BatchLockRow(name=BATCH_LOCK, run_id=run.id, holder=holder, acquired_at=now)
                )
                return run.id
        except Conflict:
            raise BatchLocked("another batch took the lock at the same moment") from None

    @staticmethod
    def _mark_failed(session: Session, run_id: int, error: str) -> None:
        session.execute(delete(BatchCandidateRow).where(BatchCandidateRow.run_id == run_id))
        session.execute(delete(BatchCutRow).where(BatchCutRow.run_id == run_id))
        session.execute(
            update(BatchRunRow)
            .where(BatchRunRow.id == run_id)
            .values(status="failed", finished_at=utcnow(), summary={"error": error})
        )

    def add_run_results(
        self, run_id: int, candidates: list[tuple], cuts: Sequence[tuple] = ()
    ) -> None:
        """Write candidates of a running run (invisible to readers until the run completes).

        ``candidates`` are ``(need_id, jobseeker_id, rank, score, features, explanation)``
        tuples; millions of rows a night, so they go to the driver's ``executemany``
        directly. The needs that listed a jobseeker are read from them
        (:meth:`run_needs_for`), not stored a second time. Each candidate is marked new
        unless the previous complete run listed it for the same need (one lock means that
        run cannot change before this one publishes). People erased since the batch read
        them are left out (:func:`_candidate_insert`). ``cuts`` are the needs' stage-1 cuts
        as :data:`_CUT_COLUMNS` tuples (a cut naming someone erased is left out).
        """
        with self.transaction() as session:
            connection = session.connection()
            if cuts:
                rows = [(run_id, *cut) for cut in cuts]
                if connection.dialect.name == "postgresql":
                    _copy_cuts(connection, rows)
                else:
                    connection.exec_driver_sql(_cut_insert(connection.dialect), rows)
            seen = self._previous_pairs(connection, {row[0] for row in candidates})
            rows = [
                (run_id, *row[:5], (row[0], row[1]) not in seen, row[5], row[1])
                for row in candidates
            ]
            if not rows:
                return
            if connection.dialect.name == "postgresql":
                _copy_candidates(connection, [row[:-1] for row in rows])
            else:
                connection.exec_driver_sql(_candidate_insert(connection.dialect), rows)

    @staticmethod
    def _previous_pairs(connection, need_ids: set[str]) -> set[tuple[str, str]]:
        """The (need, jobseeker) pairs of the latest complete run for ``need_ids``."""
        if not need_ids:
            return set()
        table = BatchCandidateRow.__table__
        query = select(table.c.need_id, table.c.jobseeker_id).where(
            table.c.run_id == _LATEST_COMPLETE_RUN.scalar_subquery(),
            table.c.need_id.in_(sorted(need_ids)),
        )
        return {(need, person) for need, person in connection.execute(query)}

    def finish_run(self, run_id: int, summary: dict, keep: int = 3) -> dict:
        """Publish the run and release the lock, in one transaction."""
        with self.transaction() as session:
            previous = session.scalar(_LATEST_COMPLETE_RUN)
            # The candidates were marked new as they were written (:meth:`add_run_results`).
            current = BatchCandidateRow.__table__
            new = session.scalar(
                select(func.count())
                .select_from(current)
                .where(current.c.run_id == run_id, current.c.new.is_(True))
            )
            summary = {**summary, "previous_run": previous, "new_candidates": new}
            session.execute(
                update(BatchRunRow)
                .where(BatchRunRow.id == run_id)
                .values(status="complete", finished_at=utcnow(), summary=summary)
            )
            session.execute(delete(BatchLockRow).where(BatchLockRow.run_id == run_id))
            old = (
                select(BatchRunRow.id)
                .where(BatchRunRow.status == "complete")
                .order_by(BatchRunRow.id.desc())
                .offset(keep)
            )
            for stale in session.scalars(old).all():
                self._drop_run_rows(session, stale)
            return summary

    @staticmethod
    def _drop_run_rows(session: Session, run_id: int) -> None:
        session.execute(delete(BatchCandidateRow).where(BatchCandidateRow.run_id == run_id))
        session.execute(delete(BatchCutRow).where(BatchCutRow.run_id == run_id))
        session.execute(update(BatchRunRow).where(BatchRunRow.id == run_id).values(status="pruned"))

    def checkpoint(self) -> None:
        """Fold SQLite's write-ahead log back into the database file and truncate it (nothing
        to do on PostgreSQL): after a batch's write, so that a request's commit does not."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def fail_run(self, run_id: int, error: str) -> None:
        """Mark a run failed, drop its rows and release the lock."""
        with self.transaction() as session:
            self._mark_failed(session, run_id, error)
            session.execute(delete(BatchLockRow).where(BatchLockRow.run_id == run_id))

    def latest_run(self) -> dict | None:
        """The newest complete run, or None."""
        with self.transaction() as session:
            run_id = session.scalar(_LATEST_COMPLETE_RUN)
            return _run(session.get(BatchRunRow, run_id)) if run_id else None

    def batch_run(self, run_id: int) -> dict:
        """One run's record."""
        with self.transaction() as session:
            return _run(self._get(session, BatchRunRow, run_id))

    def run_needs_for(
        self, run_id: int, jobseeker_id: str, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The needs whose candidate list in a run holds a jobseeker (the best ``limit`` of
        them): need id, the person's rank and score there and whether they were new, best
        score first, ties by need id."""
        table = BatchCandidateRow.__table__
        query = (
            select(table.c.need_id, table.c.rank, table.c.score, table.c.new)
            .where(table.c.run_id == run_id, table.c.jobseeker_id == jobseeker_id)
            .order_by(table.c.score.desc(), table.c.need_id)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [row._asdict() for row in connection.execute(query)]

    def run_candidates(
        self, run_id: int, need_id: str, limit: int | None = None, offset: int = 0
    ) -> list[dict]:
        """A need's candidates in a run, best first (a page of them with ``limit``); the
        feature values as stored (float32 bytes, :func:`run_features`)."""
        query = _RUN_PAGE if limit is not None else _RUN_PAGE.limit(None)
        parameters = {"run_id": run_id, "need_id": need_id, "offset": offset, "limit": limit}
        with self.engine.connect() as connection:
            return [row._asdict() for row in connection.execute(query, parameters)]

    def run_cut(self, run_id: int, need_id: str) -> StageOneCut | None:
        """Who stage 1 handed to stage 2 for a need in a run; None when the run did not
        record it (written before cuts were, or naming someone erased since)."""
        with self.engine.connect() as connection:
            row = connection.execute(_RUN_CUT, {"run_id": run_id, "need_id": need_id}).first()
        if row is None:
            return None
        floor = None if row.floor_id is None else (row.floor_score, row.floor_id)
        last = None if row.completed_id is None else (row.completed_score, row.completed_id)
        return StageOneCut(floor, bool(row.completed), last)

    def serving_state(self) -> tuple[dict | None, dt.datetime | None, int]:
        """In one statement: the newest complete run, the time of the latest jobseeker write,
        and the jobseekers' data version."""
        with self.engine.connect() as connection:
            run_id, written, version = connection.execute(_SERVING_STATE).one()
        return (self._complete_run(run_id) if run_id else None), written, version or 0

    def _complete_run(self, run_id: int) -> dict:
        """A complete run's record; complete runs never change, so each is read once."""
        if run_id not in self._complete_runs:
            self._complete_runs[run_id] = self.batch_run(run_id)
        return self._complete_runs[run_id]

    def jobseekers_version(self) -> int:
        """A number that changes whenever a jobseeker is written or erased."""
        with self.engine.connect() as connection:
            return connection.scalar(_JOBSEEKERS_VERSION) or 0

    def jobseeker_changes(self, since: int) -> JobseekerChanges:
        """What was written to the jobseekers after data version ``since``."""
        with self.transaction() as session:
            # The version first: rows read after it are at least as new.
            version = session.scalar(_JOBSEEKERS_VERSION) or 0
            removals = session.scalar(_REMOVALS_VERSION) or 0
            rows = session.execute(
                select(JobseekerRow.id, JobseekerRow.active, JobseekerRow.data).where(
                    JobseekerRow.version > since
                )
            ).all()
            active = None
            if removals > since:
                active = set(
                    session.scalars(select(JobseekerRow.id).where(JobseekerRow.active.is_(True)))
                )
        return JobseekerChanges(
            version,
            [Jobseeker.from_dict(r.data) for r in rows if r.active],
            [r.id for r in rows if not r.active],
            active,
        )

    def jobseekers_changed_since(self, version: int) -> set[str]:
        """The ids of the jobseekers written after data version ``version`` (active or not;
        people deleted since leave no row and are simply gone)."""
        with self.engine.connect() as connection:
            return set(connection.scalars(_CHANGED_JOBSEEKERS, {"since": version}))

    def needs_version(self) -> int:
        """A number that changes whenever a need is written."""
        with self.engine.connect() as connection:
            return connection.scalar(_NEEDS_VERSION) or 0

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, table, key: str):
        row = session.get(table, key)
        if row is None:
            raise NotFound(key)
        return row

    def _update(self, table, key: str, values: Mapping[str, Any], bump: str | None = None) -> None:
        with self.transaction() as session:
            if bump:
                version = _bump(session, bump)
                if table is JobseekerRow:
                    values = {**values, "version": version}
            if session.execute(update(table).where(table.id == key).values(**values)).rowcount != 1:
                raise NotFound(key)

    def _page(self, query, page: int, page_size: int, convert) -> Page:
        with self.transaction() as session:
            total = session.scalar(
                select(func.count()).select_from(query.order_by(None).subquery())
            )
            rows = session.scalars(query.offset((page - 1) * page_size).limit(page_size))
            return Page([convert(r) for r in rows], total or 0, page, page_size)


# Statements behind every candidate-list request, or shared by several methods, built once:
# building a statement costs about as much as running it on SQLite.
_AUDIT_INSERT = AuditRow.__table__.insert()
_TOKEN = select(
    TokenRow.id, TokenRow.role, TokenRow.company_id, TokenRow.organisation_id, TokenRow.revoked_at
)
_PRINCIPAL_BY_HASH = _TOKEN.where(TokenRow.token_hash == bindparam("token_hash"))
_WEB_SESSION = (
    select(TokenRow.id, TokenRow.role, TokenRow.company_id, TokenRow.organisation_id)
    .join(WebSessionRow, WebSessionRow.token_id == TokenRow.id)
    .where(
        WebSessionRow.id == bindparam("session_hash"),
        WebSessionRow.ended_at.is_(None),
        WebSessionRow.created_at > bindparam("started_after"),
        TokenRow.revoked_at.is_(None),
    )
)
_NEED_BY_ID = select(NeedRow.data, NeedRow.created_at, NeedRow.updated_at).where(
    NeedRow.id == bindparam("need_id")
)
_DECISIONS_OF_NEED = (
    select(CandidateDecisionRow.__table__)
    .where(CandidateDecisionRow.need_id == bindparam("need_id"))
    .order_by(CandidateDecisionRow.decided_at, CandidateDecisionRow.jobseeker_id)
)
_LATEST_COMPLETE_RUN = select(func.max(BatchRunRow.id)).where(BatchRunRow.status == "complete")
_JOBSEEKERS_VERSION = select(DataVersionRow.value).where(DataVersionRow.name == "jobseekers")
_NEEDS_VERSION = select(DataVersionRow.value).where(DataVersionRow.name == "needs")
_REMOVALS_VERSION = select(DataVersionRow.value).where(DataVersionRow.name == "jobseeker_removals")
_SERVING_STATE = select(
    _LATEST_COMPLETE_RUN.scalar_subquery(),
    select(func.max(JobseekerRow.updated_at)).scalar_subquery(),
    _JOBSEEKERS_VERSION.scalar_subquery(),
)
_RUN_CUT = select(BatchCutRow.__table__).where(
    BatchCutRow.run_id == bindparam("run_id"), BatchCutRow.need_id == bindparam("need_id")
)
_CHANGED_JOBSEEKERS = select(JobseekerRow.id).where(JobseekerRow.version > bindparam("since"))
_candidates = BatchCandidateRow.__table__
_RUN_PAGE = (
    select(
        _candidates.c.jobseeker_id,
        _candidates.c.rank,
        _candidates.c.score,
        _candidates.c.features,
        _candidates.c.new,
        _candidates.c.explanation,
    )
    .where(
        _candidates.c.run_id == bindparam("run_id"),
        _candidates.c.need_id == bindparam("need_id"),
    )
    .order_by(_candidates.c.rank)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)

# Tables with rows derived from a jobseeker; erasure deletes them explicitly (not only by
# cascade) so that the count removed can be reported. Later features append to this list.
_DERIVED_BY_JOBSEEKER: list[tuple[type[Base], Any]] = [
    (OutcomeRow, OutcomeRow.jobseeker_id),
    (BatchCandidateRow, BatchCandidateRow.jobseeker_id),
    (CandidateDecisionRow, CandidateDecisionRow.jobseeker_id),
    (SelfReportRow, SelfReportRow.jobseeker_id),
    # A run's stage-1 cut names the last person kept: that need is then served live.
    (BatchCutRow, BatchCutRow.floor_id),
    (BatchCutRow, BatchCutRow.completed_id),
    (PersonVectorRow, PersonVectorRow.jobseeker_id),
]


_VECTOR_TABLES = {
    "person": (PersonVectorRow, PersonVectorRow.jobseeker_id),
    "need": (NeedVectorRow, NeedVectorRow.need_id),
}


def _current_vectors(session: Session, kind: str, vectors: Mapping) -> list[dict]:
    """The rows to store of ``vectors``: those of their owner's stored text (the owners
    locked, so that an erasure waits for this transaction or this one sees them gone)."""
    parent = JobseekerRow if kind == "person" else NeedRow
    build = Jobseeker.from_dict if kind == "person" else Need.from_dict
    ids = sorted({key[0] for key in vectors})
    current = {}
    for start in range(0, len(ids), 900):
        found = session.execute(
            select(parent.id, parent.data)
            .where(parent.id.in_(ids[start : start + 900]))
            .with_for_update(key_share=True)
        )
        current.update((i, text_key(build(data))) for i, data in found)
    owner = _VECTOR_TABLES[kind][1].key
    return [
        {owner: key[0], "digest": key[1], "vector": _float32(vector)}
        for key, vector in vectors.items()
        if current.get(key[0]) == key[1]
    ]


def _upsert_vectors(session: Session, kind: str):
    """An insert (of many rows) replacing the owners' stored vectors."""
    table, owner = _VECTOR_TABLES[kind]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=[owner.key],
        set_={"digest": statement.excluded.digest, "vector": statement.excluded.vector},
    )


def _float32(vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


# What erasing a person also does, in its transaction, for aggregates kept in their own
# modules (e.g. the records merged into the person): each step gets the session and the id,
# before the person's rows are deleted.
ERASURE_STEPS: list[Callable[[Session, str], None]] = []


def _bump(session: Session, name: str) -> int:
    """Increase the data version ``name`` (creating it at 1); its new value.

    The row stays locked until the transaction ends, so versions are committed in order."""
    changed = session.execute(
        update(DataVersionRow)
        .where(DataVersionRow.name == name)
        .values(value=DataVersionRow.value + 1)
    ).rowcount
    if not changed:
        session.add(DataVersionRow(name=name, value=1))
        return 1
    return session.scalar(select(DataVersionRow.value).where(DataVersionRow.name == name))


def _removed_jobseekers(session: Session) -> None:
    """Bump the jobseekers' version for rows deleted outright, and note that version: a
    deleted row leaves no version behind, so readers learn of it from the note."""
    version = _bump(session, "jobseekers")
    noted = session.execute(
        update(DataVersionRow)
        .where(DataVersionRow.name == "jobseeker_removals")
        .values(value=version)
    ).rowcount
    if not noted:
        session.add(DataVersionRow(name="jobseeker_removals", value=version))


def _keep_answer(session: Session, record: Mapping[str, Any] | None) -> None:
    """Write an idempotency key's answer in the transaction of the rows it created, so that
    no crash can keep one without the other (a second use of the key is a Conflict)."""
    if record is not None:
        session.add(IdempotencyKeyRow(created_at=utcnow(), **record))


def _need_row(need: Need, created, updated) -> NeedRow:
    return NeedRow(
        id=need.id,
        company_id=need.company_id,
        kind=need.kind,
        status=need.status,
        municipality=need.municipality,
        data=need.to_dict(),
        created_at=created,
        updated_at=updated,
    )


def _jobseeker_row(person: Jobseeker, created, updated, version: int = 0) -> JobseekerRow:
    return JobseekerRow(
        version=version,
        id=person.id,
        municipality=person.municipality,
        service_path=person.service_path,
        data=person.to_dict(),
        created_at=created,
        updated_at=updated,
        active=True,
    )


def _meta(row, **extra: Any) -> dict[str, Any]:
    return {"created_at": row.created_at, "updated_at": row.updated_at, **extra}


def _filtered(table, filters: Mapping[str, Any]):
    """A select of ``table`` where each given (not None) column equals its value; a
    municipality matches either of its official names, whichever one a row was stored with."""
    query = select(table)
    for name, value in filters.items():
        if name == "municipality" and value is not None:
            query = query.where(table.municipality.in_(municipality_names(value)))
        elif value is not None:
            query = query.where(getattr(table, name) == value)
    return query


def run_features(row: Mapping[str, Any]) -> np.ndarray:
    """A run candidate's stored feature values (float32 on disk) as the scorer's floats."""
    return np.frombuffer(row["features"], dtype=np.float32).astype(np.float64)


def _fields(row, *names: str) -> dict[str, Any]:
    """A row's named columns as a dict."""
    return {name: getattr(row, name) for name in names}


def _audit_values(principal: Principal, action: str, target: str, detail) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "token_id": principal.token_id,
        "role": principal.role,
        "company_id": principal.company_id,
        "action": action,
        "target": target,
        "detail": dict(detail or {}),
    }


def _audit_row(principal: Principal, action: str, target: str, detail) -> AuditRow:
    return AuditRow(**_audit_values(principal, action, target, detail))


# Audit detail keys whose string values are codes, not free text: kept when an entry about an
# erased person is anonymised. Every other string value is dropped.
_AUDIT_CODES = frozenset({"action", "outcome", "source"})


def _anonymised(detail: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    """``detail`` with ``old`` renamed ``new`` (also within lists) and free text left out."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        if value == old:
            out[key] = new
        elif isinstance(value, list):
            out[key] = [new if item == old else item for item in value]
        elif not isinstance(value, str) or key in _AUDIT_CODES:
            out[key] = value
    return out


def _forget_answers_naming(session: Session, jobseeker_id: str) -> int:
    """Delete the kept idempotent answers that name ``jobseeker_id`` (a bulk create's ids);
    there are at most a day's worth, so they are read rather than searched in SQL."""
    needle = orjson.dumps(jobseeker_id)
    rows = [r for r in session.scalars(select(IdempotencyKeyRow)) if needle in r.body]
    for row in rows:
        session.delete(row)
    return len(rows)


def _revoke(session: Session, rows: Sequence[TokenRow]) -> None:
    """Revoke the tokens of ``rows`` (keeping an earlier date) and end their web sessions."""
    now = utcnow()
    for row in rows:
        row.revoked_at = row.revoked_at or now
    session.execute(
        update(WebSessionRow)
        .where(
            WebSessionRow.token_id.in_([row.id for row in rows]),
            WebSessionRow.ended_at.is_(None),
        )
        .values(ended_at=now)
    )


def _token(row: TokenRow) -> dict[str, Any]:
    return _fields(
        row, "id", "role", "company_id", "organisation_id", "label", "created_at", "revoked_at"
    )


def _decision(row: CandidateDecisionRow) -> dict[str, Any]:
    return _fields(row, "action", "reason", "decided_at")


def _self_report(row: SelfReportRow) -> dict[str, Any]:
    return _fields(row, *SELF_REPORT_FIELDS, "reported_at")


def _outcome(row: OutcomeRow) -> dict[str, Any]:
    return _fields(row, "id", "need_id", "jobseeker_id", "outcome", "note", "created_at")


def _run(row: BatchRunRow) -> dict[str, Any]:
    return _fields(
        row,
        "id",
        "status",
        "started_at",
        "finished_at",
        "k",
        "weights_version",
        "summary",
        "scorer",
    )


def _audit(row: AuditRow) -> dict[str, Any]:
    return _fields(row, "id", "at", "token_id", "role", "company_id", "action", "target", "detail")


def table_counts(store: Store, names: Sequence[str] | None = None) -> dict[str, int]:
    """Row counts per table (for tests and the admin overview)."""
    with store.transaction() as session:
        tables = [t for t in Base.metadata.sorted_tables if names is None or t.name in names]
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in tables}


# The aggregates kept in their own modules register their tables and erasure steps on import.
from service import storage_merges  # noqa: E402, F401
