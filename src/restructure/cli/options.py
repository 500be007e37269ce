"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..collector import paused
from ..errors import count

__all__ = [
    "format_option", "as_of_option", "db_option", "dry_run_option", "recorded_at_option", "DATE", "echo_err",
    "today", "count", "no_cycle_collection", "STANDALONE",
]

STANDALONE = False
"""True when the command is the whole ``restructure`` process (set by ``main``), not called in a
caller's process (``CliRunner`` in the tests)."""


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


def recorded_at_option(*ref_params: str):
    """``--recorded-at TIME``: read the command's stored refs as they stood then (``REF@{TIME}``).

    The refs named by ``ref_params`` (a parameter may hold a tuple of refs)
    are rewritten before the command runs; files are left as they are. When
    every ref given is a file, the option is a usage error.
    """
    import functools

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, recorded_at=None, **kwargs):
            if recorded_at is not None:
                from ..refs import is_file_ref
                from ..store import at_recorded_time

                used = False

                def at(ref):
                    nonlocal used
                    if ref is None or is_file_ref(str(ref)):
                        return ref
                    used = True
                    return at_recorded_time(str(ref), recorded_at)

                for name in ref_params:
                    value = kwargs.get(name)
                    kwargs[name] = tuple(at(v) for v in value) if isinstance(value, tuple) else at(value)
                if not used:
                    raise click.BadParameter(
                        "it reads stored refs as they stood at a recorded time, and every ref given is a file",
                        param_hint="--recorded-at",
                    )
            return f(*args, **kwargs)

        return click.option(
            "--recorded-at",
            "recorded_at",
            metavar="TIME",
            default=None,
            help="Read stored refs as they stood at this recorded time (YYYY-MM-DD: the end of that day; "
            "or YYYY-MM-DDTHH:MM, UTC): the same as REF@{TIME}.",
        )(wrapper)

    return decorate


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


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Load and check a structure without the cyclic garbage collector, then restore it.

    A national structure is ~100k long-lived records, dicts and edges: the
    collector's passes over them while they are built find nothing to free,
    and cost a fifth of a ``restructure check``. As the whole process
    (:data:`STANDALONE`), what was allocated is also frozen (``gc.freeze``)
    when the block ends: the process ends soon after, and the collection on
    the way out would only walk and free it all again. Inside a caller's
    process nothing is frozen, so that its garbage is still collected.
    """
    with paused():
        try:
            yield
        finally:
            if STANDALONE:
                gc.freeze()
