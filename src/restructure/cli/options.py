"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt

import click

__all__ = ["format_option", "as_of_option", "DATE", "echo_err", "load_structure", "today", "count"]


class DateType(click.ParamType):
    """An ISO date (``2028-04-01``); a bad one is a usage error (exit 2)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date: write it as YYYY-MM-DD", param, ctx)


DATE = DateType()


def format_option(*choices: str, default: str = "text"):
    """``--format text|json|markdown``: one result, many renderings."""
    choices = choices or ("text", "json", "markdown")
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="How to write the result.",
    )


def as_of_option(help: str = "Show the structure as it stands on this date (YYYY-MM-DD)."):
    """``--as-of DATE``: read a dated structure as it stands on one day."""
    return click.option("--as-of", "as_of", type=DATE, default=None, help=help)


def echo_err(message: str) -> None:
    """Warnings and progress go to stderr; results to stdout."""
    click.echo(message, err=True)


def load_structure(ref: str, db: str | None = None, as_of: dt.date | None = None):
    """A structure file, a scenario file (its result), or a stored ref: see ``restructure.refs``."""
    from ..refs import load_structure as load

    return load(ref, db=db, as_of=as_of)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 phase``, ``3 phases``, ``2 bodies``: plain English for counts in messages."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def today() -> dt.date:
    """Today's date: the default date for showing and checking a structure."""
    return dt.date.today()
