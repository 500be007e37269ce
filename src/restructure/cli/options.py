"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt

import click

from ..errors import count

__all__ = ["format_option", "as_of_option", "db_option", "dry_run_option", "DATE", "echo_err", "today", "count"]


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


def db_option(f):
    """``--db URL``: the version store (else ``$RESTRUCTURE_DATABASE_URL``, else ``sqlite:///restructure.db``).

    The one definition of ``--db``: every command that reads a stored ref, or
    a scenario whose ``base:`` is one, takes it.
    """
    return click.option(
        "--db",
        metavar="URL",
        default=None,
        envvar="RESTRUCTURE_DATABASE_URL",
        help="Store URL: sqlite:///FILE.db or postgresql://USER:PASSWORD@HOST/DB "
        "(default: $RESTRUCTURE_DATABASE_URL, else sqlite:///restructure.db).",
    )(f)


def dry_run_option(f):
    """``--dry-run``: print what would be done; write nothing."""
    return click.option("--dry-run", is_flag=True, help="Print what would be done; write nothing.")(f)


def today() -> dt.date:
    """Today's date: the default date for showing and checking a structure."""
    return dt.date.today()
