"""The ``restructure`` command line: a thin layer over the library.

Commands are loaded lazily (``restructure --help`` imports no heavy
library). Each command module parses, calls one library function and
renders. :class:`~restructure.errors.RestructureError` becomes
``Error: <what>. <what to do>`` and exit 1; anything else is a bug and shows a
traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__

__all__ = ["main", "cli"]

# command name -> (module in restructure.cli, function name). One line per verb.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("structure_cmds", "validate"),
    "show": ("structure_cmds", "show"),
    "members": ("members_cmds", "members"),
    "schema": ("scenario_cmds", "schema"),
    "apply": ("scenario_cmds", "apply"),
    "check": ("check_cmds", "check"),
    "diff": ("diff_cmds", "diff"),
    "compare": ("compare_cmds", "compare"),
    "render": ("render_cmds", "render"),
    "report": ("render_cmds", "report"),
    "init": ("store_cmds", "init"),
    "log": ("store_cmds", "log"),
    "branch": ("store_cmds", "branch"),
    "tag": ("store_cmds", "tag"),
    "export": ("store_cmds", "export"),
    "revert": ("store_cmds", "revert"),
    "blame": ("blame_cmds", "blame"),
    "import": ("import_cmds", "import_"),
    "drift": ("drift_cmds", "drift"),
    "new-area": ("register_cmds", "new_area"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when used."""

    def list_commands(self, ctx):
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx, name):
        return self._load(name)

    def _load(self, name):
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module = importlib.import_module(f".{spec[0]}", __name__)
        return getattr(module, spec[1])

    def invoke(self, ctx):
        from ..errors import RestructureError
        from ..text import terminal

        try:
            return super().invoke(ctx)
        except RestructureError as exc:
            if ctx.params.get("traceback"):
                raise
            raise click.ClickException(terminal(exc.message(), keep="")) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restructure")
@click.option("--traceback", is_flag=True, help="Show a full traceback for errors (for bug reports).")
@click.option(
    "--no-color", "no_color", is_flag=True,
    help="Plain text, no colour (also when NO_COLOR is set, or output is not a terminal).",
)
@click.pass_context
def cli(ctx: click.Context, traceback: bool, no_color: bool) -> None:
    """Model how a local government restructure ripples through a
    violence-prevention partnership, before it happens.

    Colour shows only on a terminal; --no-color or the NO_COLOR variable
    (https://no-color.org) turns it off. The store is
    $RESTRUCTURE_DATABASE_URL, else sqlite:///restructure.db (--db on each
    command). Shell completion: eval "$(_RESTRUCTURE_COMPLETE=bash_source
    restructure)" in ~/.bashrc (zsh_source, fish_source for other shells).

    \b
    Start with:
      restructure show scenarios/baseline/thames-valley.yaml
      restructure check scenarios/oxfordshire/two-unitaries.yaml
    """
    if no_color or os.environ.get("NO_COLOR"):
        ctx.color = False  # click.echo strips ANSI styles in this context and every subcommand's


def main() -> None:
    """Entry point of the ``restructure`` console script."""
    from . import options

    options.STANDALONE = True  # this process is the command: see options.no_cycle_collection
    cli(prog_name="restructure")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
