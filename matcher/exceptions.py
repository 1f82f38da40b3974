"""Errors raised by the matching library.

Every error names the field it concerns so that adapters (the HTTP service, the CLI) can
report it precisely without parsing messages.
"""

from __future__ import annotations


class MatcherError(Exception):
    """Base class of every error the library raises on purpose; ``reason`` is the message as
    data (a :class:`~matcher.reasons.Reason`) when the error has one, for adapters that
    render it in their reader's language."""

    def __init__(self, message: str, *, field: str | None = None, reason=None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(MatcherError):
    """A value given to the library is malformed or out of its allowed set."""


class UnknownMunicipality(InvalidInput):
    """A municipality name that is not in the municipality table; ``suggestions`` holds the
    closest official names, best first."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        suggestions: list[str] | None = None,
        reason=None,
    ) -> None:
        super().__init__(message, field=field, reason=reason)
        self.suggestions = list(suggestions or ())


class TaxonomyError(MatcherError):
    """A skill vocabulary (embedded or ESCO import) cannot be read."""


class ModelError(MatcherError):
    """A model artifact is missing, corrupt, or does not fit the code's features."""
