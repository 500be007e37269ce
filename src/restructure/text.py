"""Names are text, everywhere: what a name may hold, and how each output escapes it.

A name comes from a planner's file, a public CSV or a store, and ends up in a
terminal, a Markdown board paper, a spreadsheet, a diagram and a web page. This
module is the one place that says what is allowed in and how it is written out:

- :func:`check_name` and :func:`check_text` refuse control characters (C0 and
  C1; a note or description may hold tab and newline) and bidirectional
  overrides and isolates, naming the code point. Models use the
  :data:`Name` and :data:`Text` types, so every loader refuses them with the
  file and line.
- :func:`label` wraps a long name and cuts it with an ellipsis for a diagram
  (the full name goes in the tooltip).
- :func:`markdown`, :func:`csv_cell` and :func:`terminal` escape for their
  medium. DOT, SVG and HTML escape with :func:`html.escape` where they are
  written (``render.style``, ``render.pack``).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

__all__ = [
    "LABEL_WIDTH",
    "LABEL_LIMIT",
    "Name",
    "Text",
    "check_name",
    "check_text",
    "forbidden",
    "label",
    "short",
    "markdown",
    "csv_cell",
    "terminal",
]

LABEL_WIDTH = 28
"""Characters per line of a name drawn in a diagram."""
LABEL_LIMIT = 150
"""Characters of a name drawn in a diagram; a longer one ends in an ellipsis."""

# Bidirectional embeddings, overrides and isolates: they reorder what is drawn after them
# ("Slough\u202egnp.exe" reads "Sloughexe.png"). Marks (U+200E/F, U+061C) are harmless.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad(ch: str, allow: str) -> bool:
    if ch in allow:
        return False
    o = ord(ch)
    return o < 0x20 or 0x7F <= o <= 0x9F or ch in _BIDI or o in (0x2028, 0x2029)


# Every character _bad refuses, as ranges of code points: one regular expression class finds the
# first of them in C, where walking a national structure's 143,000 names in Python took a second.
_BAD_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0x202A, 0x202E), (0x2066, 0x2069))
_BAD_PATTERNS: dict[str, re.Pattern[str]] = {}


def _bad_pattern(allow: str) -> re.Pattern[str]:
    """The compiled class of characters :func:`_bad` refuses, less ``allow`` (cached per ``allow``)."""
    found = _BAD_PATTERNS.get(allow)
    if found is None:
        codes = [o for lo, hi in _BAD_RANGES for o in range(lo, hi + 1) if chr(o) not in allow]
        found = _BAD_PATTERNS[allow] = re.compile("[" + "".join(f"\\U{o:08x}" for o in codes) + "]")
    return found


_TEXT_ALLOW = "\t\n"
_NAME_BAD = _bad_pattern("")
_TEXT_BAD = _bad_pattern(_TEXT_ALLOW)


def forbidden(value: str, allow: str = "") -> str | None:
    """The first character a name may not hold, described with its code point, or None.

    Examples
    --------
    >>> forbidden("Slough\\x1b]0;pwned\\x07")
    'control character U+001B (ESCAPE)'
    >>> forbidden("Slough\\u202egnp.exe")
    'bidirectional override U+202E (RIGHT-TO-LEFT OVERRIDE)'
    >>> forbidden("Line one\\nline two", allow="\\t\\n") is None
    True
    """
    found = _bad_pattern(allow).search(value)
    if found is None:
        return None
    return _describe(found.group())


def _describe(ch: str) -> str:
    what = "bidirectional override" if ch in _BIDI else "control character"
    return f"{what} {_code(ch)}"


def _code(ch: str) -> str:
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED", 0x0B: "LINE TABULATION",
    0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER", 0x9D: "OPERATING SYSTEM COMMAND",
}


def check_name(value: str) -> str:
    """Return ``value`` if it may be a name or id; else raise ``ValueError`` naming the code point.

    Raises
    ------
    ValueError
        ``value`` holds a control character or a bidirectional override or isolate.

    Examples
    --------
    >>> check_name("Cherwell")
    'Cherwell'
    >>> check_name("Cher\\twell")
    Traceback (most recent call last):
    ...
    ValueError: control character U+0009 (TAB) is not allowed in a name or id
    """
    if _NAME_BAD.search(value) is None:  # the common case, in C
        return value
    raise ValueError(f"{forbidden(value)} is not allowed in a name or id")


def check_text(value: str) -> str:
    """Like :func:`check_name` for notes and descriptions, which may hold tab and newline.

    Raises
    ------
    ValueError
        ``value`` holds another control character or a bidirectional override or isolate.

    Examples
    --------
    >>> check_text("Unconfirmed:\\n\\tsee the order")
    'Unconfirmed:\\n\\tsee the order'
    """
    if _TEXT_BAD.search(value) is None:
        return value
    raise ValueError(f"{forbidden(value, allow=_TEXT_ALLOW)} is not allowed in text (tab and newline are)")


Name = Annotated[str, AfterValidator(check_name)]
"""A name, title or role: printable text on one line."""
Text = Annotated[str, AfterValidator(check_text)]
"""A note or description: printable text, tabs and newlines."""


def label(name: str, width: int = LABEL_WIDTH, limit: int = LABEL_LIMIT) -> list[str]:
    """A name as the lines of a diagram label: wrapped at ``width``, cut at ``limit`` with an ellipsis.

    A short name is one line, unchanged; a word more than twice as long as a
    line is broken.

    Examples
    --------
    >>> label("Cherwell District Council")
    ['Cherwell District Council']
    >>> label("x" * 10_000, width=10, limit=25)
    ['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxx…']
    """
    if len(name) <= width:
        return [name]
    lines = textwrap.wrap(short(name, limit), width, break_long_words=False, break_on_hyphens=False) or [name]
    # A word up to twice the width stays whole (a long place name); a longer one is broken.
    return [part for line in lines for part in (
        [line] if len(line) <= 2 * width else [line[i:i + width] for i in range(0, len(line), width)])]


def short(name: str, limit: int = LABEL_LIMIT) -> str:
    """A name cut at ``limit`` characters with an ellipsis (a diagram's title line).

    Examples
    --------
    >>> short("Slough", 5)
    'Slou…'
    """
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


# `_` inside a word (thames_valley, test_markdown0) cannot make emphasis: left as it is.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~]|(?<![^\W_])_|_(?![^\W_]))")
_MD_LEADING = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def markdown(value: object) -> str:
    """Text fit to sit inside a Markdown paragraph, list item or table cell.

    ``<`` (which would open a tag or an autolink) and an ``&`` that would start an entity become entities and Markdown syntax is
    backslash-escaped, so a name cannot open a tag, a link, emphasis or a
    table column when the Markdown is turned into HTML. Line breaks become
    spaces (a name never starts a new block).

    Examples
    --------
    >>> markdown("Slough <img src=x onerror=alert(1)>")
    'Slough &lt;img src=x onerror=alert(1)>'
    >>> markdown("[click](javascript:alert(1)) *bold* | cell")
    '\\\\[click\\\\](javascript:alert(1)) \\\\*bold\\\\* \\\\| cell'
    >>> markdown("_thames_valley_")
    '\\\\_thames_valley\\\\_'
    >>> markdown("# 1. heading")
    '\\\\# 1. heading'
    """
    text = " ".join(str(value).split()) if any(c in str(value) for c in "\r\n\t") else str(value)
    text = _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", text))
    text = _MD_ENTITY.sub("&amp;", text)
    return terminal(text).replace("<", "&lt;")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value fit for a CSV cell a spreadsheet will open: no formula injection.

    A cell starting with ``=``, ``+``, ``-``, ``@`` (or tab or carriage
    return) gets a leading ``'`` so a spreadsheet shows it as text instead of
    running it. Quoting of commas and quotes is the CSV writer's job.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_cell("Cherwell")
    'Cherwell'
    >>> csv_cell(None)
    ''
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def terminal(value: object, keep: str = "\n") -> str:
    """Text safe to print to a terminal: control characters shown as ``\\x1b``-style escapes.

    Escape sequences cannot clear the screen, set the window title or ring
    the bell, and bidirectional overrides cannot reorder the line. ``keep``
    names characters printed as they are (newline, by default).

    Examples
    --------
    >>> terminal("Slough\\x1b[2J\\x07")
    'Slough\\\\x1b[2J\\\\x07'
    >>> terminal("Slough\\u202egnp.exe")
    'Slough\\\\u202egnp.exe'
    """
    text = str(value)
    if _bad_pattern(keep).search(text) is None:
        return text
    return "".join(_escape(c) if _bad(c, keep) else c for c in text)


def _escape(ch: str) -> str:
    o = ord(ch)
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"
