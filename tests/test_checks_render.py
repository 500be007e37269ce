"""The text report skips the per-character escape walk for printable lines: it must escape the same."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from restructure.checks.render import _terminal
from restructure.text import forbidden, terminal


def test_every_character_terminal_escapes_is_not_printable():
    assert not [hex(o) for o in range(sys.maxunicode + 1) if forbidden(chr(o)) and chr(o).isprintable()]


@given(st.text())
def test_fast_terminal_equals_terminal(text):
    assert _terminal(text) == terminal(text, keep="")


def test_fast_terminal_escapes_controls_and_overrides():
    assert _terminal("Slough\x1b[2J\u202e\n") == "Slough\\x1b[2J\\u202e\\x0a"
