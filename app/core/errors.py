"""Errors that reach the user, each carrying the exit code of DESIGN §5."""

from __future__ import annotations


class RpaError(Exception):
    """Base of every error meant for the user: its text is the whole message."""

    exit_code = 1


class InputError(RpaError):
    """The input was wrong: a parse error, an unknown macro, a bad file."""

    exit_code = 1


class UsageError(RpaError):
    """The command line itself was wrong."""

    exit_code = 2


class EnvironmentProblem(RpaError):
    """The environment is wrong: no display, a database from a newer version, a missing model."""

    exit_code = 5


class StepSyntaxError(InputError):
    """A located error in step-language text.

    `line` and `col` are 1-based; `source` (a file name) is prefixed when known.
    """

    def __init__(self, message: str, line: int, col: int, source: str | None = None):
        self.message = message
        self.line = line
        self.col = col
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}, col {self.col}: {self.message}"
        return f"{self.source}: {where}" if self.source else where

    def with_source(self, source: str) -> StepSyntaxError:
        return StepSyntaxError(self.message, self.line, self.col, source)
