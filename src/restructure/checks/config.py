"""Per-project rule settings: which rules run and how serious their findings are.

A project sets them in ``pyproject.toml``::

    [tool.restructure]
    disable = ["ALN002"]
    severity = { SVD003 = "warning" }

The nearest ``pyproject.toml`` with a ``[tool.restructure]`` table, from the
working directory upward, is used; the command line adds to it
(``--disable``, ``--severity CODE=LEVEL``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..errors import RestructureError
from .registry import RULES, Rule, Severity

__all__ = ["Config", "UnknownRule", "find_pyproject"]


class UnknownRule(RestructureError):
    """A rule code that no rule has, in a configuration file or on the command line."""

    default_hint = "Use one of the listed codes (`restructure check --rules` describes them)"


def _codes() -> str:
    return ", ".join(sorted(RULES))


def _unknown(code: str, file: str | None) -> UnknownRule:
    return UnknownRule(f"unknown rule code '{code}' (codes: {_codes()})", file=file, ids=(code,))


def _severity(value, code: str, file: str | None) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise RestructureError(
            f"severity '{value}' for {code} is not one of error, warning, info", file=file, ids=(code,)
        ) from None


@dataclass(frozen=True)
class Config:
    """Which rules run, and severity overrides.

    Examples
    --------
    >>> import restructure.checks  # registers the rules
    >>> c = Config().with_overrides(disable=["ALN002"], severity={"SVD003": "warning"})
    >>> c.enabled("ALN002"), c.severity_of(RULES["SVD003"]).value
    (False, 'warning')
    """

    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None
    """The file the settings came from, if any."""

    def enabled(self, code: str) -> bool:
        """Whether the rule with this code runs."""
        return code not in self.disabled

    def severity_of(self, rule: Rule) -> Severity:
        """The severity the project gives the rule's findings."""
        return self.severity.get(rule.code, rule.severity)

    @classmethod
    def from_table(cls, table: Mapping, file: str | None = None) -> Config:
        """Settings from a ``[tool.restructure]`` table; unknown codes raise :class:`UnknownRule`.

        Other keys of the table belong to other commands and are left alone.
        """
        disable = table.get("disable", [])
        if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
            raise RestructureError("[tool.restructure] disable must be a list of rule codes", file=file)
        sev = table.get("severity", {})
        if not isinstance(sev, Mapping):
            raise RestructureError(
                '[tool.restructure] severity must be a table such as { SVD003 = "warning" }', file=file
            )
        return cls().with_overrides(disable, sev, file=file)

    @classmethod
    def load(cls, start: str | Path | None = None) -> Config:
        """Settings from the nearest ``pyproject.toml`` (from ``start``, default the working directory, upward)."""
        found = find_pyproject(start)
        if found is None:
            return cls()
        path, table = found
        return cls.from_table(table, str(path))

    def with_overrides(
        self,
        disable: Iterable[str] = (),
        severity: Mapping[str, str | Severity] | None = None,
        *,
        file: str | None = None,
    ) -> Config:
        """These settings with more rules disabled and more severities set (codes checked)."""
        disable = [c.upper() for c in disable]
        for code in disable:
            if code not in RULES:
                raise _unknown(code, file)
        sev = dict(self.severity)
        for code, level in (severity or {}).items():
            code = code.upper()
            if code not in RULES:
                raise _unknown(code, file)
            sev[code] = _severity(level, code, file)
        return Config(
            self.disabled | frozenset(disable), MappingProxyType(sev), file or self.source
        )


def find_pyproject(start: str | Path | None = None) -> tuple[Path, dict] | None:
    """The nearest ``pyproject.toml`` with a ``[tool.restructure]`` table, and that table.

    Searches from ``start`` (default: the working directory) upward; a file
    that is not valid TOML is an error naming it.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RestructureError(f"not valid TOML ({exc})", file=str(candidate)) from None
        table = data.get("tool", {}).get("restructure")
        if isinstance(table, dict):
            return candidate, table
    return None
