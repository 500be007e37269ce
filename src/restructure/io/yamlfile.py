"""Reading and writing YAML with line numbers for errors.

Loading uses libyaml's C loader when present (fast on national-scale files);
line numbers are recovered only when something is wrong, by composing the
node tree and walking it along the error's path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..collector import paused
from ..errors import RestructureError, ValidationFailed
from ..model import RECORD_SECTIONS

__all__ = [
    "Document", "load", "loads", "decode", "dump", "dumps_json", "Flow", "validation_error",
]


class Flow(dict):
    """A mapping written on one line (``{kind: covers, source: …}``)."""


@cache
def _yaml() -> SimpleNamespace:
    """PyYAML with this module's loader and dumper, imported on first use.

    ``yaml``; ``Loader``, the fast safe loader whose dates fail as planners'
    errors (``BadDate``), not tracebacks; ``Dumper``, which writes :class:`Flow`
    on one line and text with line breaks as blocks. A JSON file never needs them.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    class BadDate(yaml.constructor.ConstructorError):
        pass

    def timestamp(loader, node):
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError as exc:  # 2027-13-01 looks like a date to YAML but is none
            raise BadDate(None, None, f"'{node.value}' is not a date ({exc})", node.start_mark) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    Dumper.add_representer(Flow, _flow)
    Dumper.add_representer(dict, _plain_dict)
    Dumper.add_representer(str, _str)
    return SimpleNamespace(yaml=yaml, Loader=Loader, BadDate=BadDate, Dumper=Dumper)


def _flow(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _plain_dict(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


def _str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


@dataclass
class Document:
    """A loaded YAML file: its data, and the text to find line numbers in."""

    data: Any
    file: str
    text: str

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The 1-based line of the node at ``path`` (keys and list indexes).

        Walks as far as the path exists, so a missing key points at its parent.
        """
        y = _yaml()
        yaml = y.yaml
        try:
            node = yaml.compose(self.text, Loader=y.Loader)
        except yaml.YAMLError:
            return None
        line = node.start_mark.line + 1 if node is not None else None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if step >= len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line


# Something that may be an alias (``*name``) in a value position; confirmed by parsing.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]", re.MULTILINE)


def _refuse_aliases(text: str, file: str) -> None:
    """Refuse YAML aliases: a few lines of them can stand for billions of records (an alias bomb).

    Planners' files never need them; the check costs a regular expression
    unless the text holds something alias-like.
    """
    if not _MAYBE_ALIAS.search(text):
        return
    y = _yaml()
    yaml = y.yaml
    try:
        for event in yaml.parse(text, Loader=y.Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise ValidationFailed(
                    f"YAML alias '*{event.anchor}' is not allowed", "Write the value out in full", file=file, line=line
                )
    except yaml.YAMLError:
        return  # loading reports the syntax error with its line


def loads(text: str, file: str = "<string>") -> Document:
    """Parse YAML text; a syntax error becomes a :class:`ValidationFailed` with its line.

    YAML aliases (``*name``) are refused, and so are files nested too deep to read.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    _refuse_aliases(text, file)
    y = _yaml()
    yaml = y.yaml
    try:
        with paused():
            data = yaml.load(text, Loader=y.Loader)
    except y.BadDate as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ValidationFailed(exc.problem, "Write dates as YYYY-MM-DD", file=file, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise ValidationFailed(f"not valid YAML ({problem})", file=file, line=line) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise ValidationFailed(
            f"not valid YAML (control character U+{exc.character:04X} is not allowed)" if isinstance(exc.character, int)
            else "not valid YAML (unreadable characters)",
            "Remove the control character or write the file as JSON",
            file=file, line=line,
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise ValidationFailed(f"not valid YAML ({first})", file=file) from None
    except RecursionError:
        raise ValidationFailed("nested too deep to read", "Flatten the file", file=file) from None
    return Document(data, file, text)


def load(path: str | Path) -> Document:
    """Read and parse a YAML file, with one-line errors for a missing or unreadable file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed(f"{path}: no such file", "Check the path") from None
    except IsADirectoryError:
        raise ValidationFailed(f"{path}: is a directory, not a YAML file", "Name a .yaml file") from None
    return loads(decode(raw, path), str(path))


def decode(raw: bytes, path: str | Path) -> str:
    """UTF-8 text of a file (a byte-order mark dropped); anything else is an error at its line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationFailed("not UTF-8 text", "Save the file as UTF-8", file=str(path), line=line) from None


def dump(data: Any) -> str:
    """Write data as YAML deterministically (keys in the order given, not sorted)."""
    return _yaml().yaml.dump(
        data,
        Dumper=_yaml().Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps_json(data: Any) -> str:
    """Write data as indented JSON with ISO dates."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def validation_error(
    exc, doc: Document | None, prefix: Sequence[str | int] = (), context: str = ""
) -> RestructureError:
    """Turn a pydantic ``ValidationError`` into one-line :class:`ValidationFailed` at its line."""
    errors = exc.errors()
    # an unknown field usually explains the "missing" ones beside it (body: for id:): say it first
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    # a list left empty because its only item failed is the same problem, not one more
    errors = [
        e for e in errors
        if not (e is not err and e["type"] == "too_short" and tuple(err["loc"][: len(e["loc"])]) == tuple(e["loc"]))
    ]
    loc = [*prefix, *err["loc"]]
    msg = err["msg"]
    hint = None
    missing = [e for e in errors if e["type"] == "missing" and e["loc"][:-1] == err["loc"][:-1]]
    if err["type"] == "extra_forbidden":
        msg = f"unknown field '{loc[-1]}'"
        hint = _fields_hint(loc)
    elif err["type"] == "too_short":
        msg = f"'{loc[-1]}' needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)"
    elif err["type"] == "missing" and len(missing) > 1:
        msg = "missing fields " + ", ".join(f"'{e['loc'][-1]}'" for e in missing)
        errors = [e for e in errors if e not in missing[1:]]
    elif err["type"] == "missing":
        msg = f"missing field '{loc[-1]}'"
    elif err["type"] == "union_tag_invalid":
        msg = f"unknown operation '{err.get('input', {}).get('op') if isinstance(err.get('input'), dict) else err.get('input')}'"
    elif err["type"] == "union_tag_not_found":
        msg = "missing 'op' (which operation?)"
    else:
        # "Value error, ..." is pydantic's wording; the line already says where
        msg = msg.removeprefix("Value error, ")
        field = next((p for p in reversed(loc) if isinstance(p, str) and not _is_tag(p)), None)
        msg = f"'{field}': {msg}" if field and field not in (*RECORD_SECTIONS, "phases", "operations") else msg
    more = len(errors) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    line = doc.line_of([p for p in loc if isinstance(p, int) or not _is_tag(p)]) if doc else None
    phase, op_index = _scenario_context(loc, doc)
    return ValidationFailed(
        f"{context}{msg}", hint, file=doc.file if doc else None, line=line, phase=phase, op_index=op_index
    )


def _fields_hint(loc) -> str | None:
    """``rename takes: id, name, note`` for an unknown field inside an operation."""
    tag = next((p for p in reversed(loc[:-1]) if isinstance(p, str) and p in _TAGS), None)
    if tag is None:
        return None
    from ..operations import OPERATIONS

    # an unknown key inside a nested record (body: {..., colour: red}) names that record's fields
    model, label = OPERATIONS[tag], tag
    rest = list(loc[loc.index(tag) + 1 : -1])
    for part in rest:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = _record_model(field.annotation) if field is not None else None
        if inner is None:
            break
        model, label = inner, part
    last = ("start", "end", "sources", "note")
    fields = [f for f in model.model_fields if f != "op" and f not in last]
    fields += [f for f in last if f in model.model_fields]
    if label == tag:
        return f"{tag} takes: {', '.join(fields)}"
    return f"{label} (in {tag}) takes: {', '.join(fields)}"


def _record_model(annotation):
    """The pydantic model a field holds (directly, optionally, or as items of a tuple or list)."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_model(arg)
        if found is not None:
            return found
    return None


def _scenario_context(loc, doc) -> tuple[str | None, int | None]:
    """The phase name and 1-based operation index of a scenario error path, when it has them."""
    if len(loc) < 2 or loc[0] != "phases" or not isinstance(loc[1], int):
        return None, None
    try:
        raw = doc.data["phases"][loc[1]] if doc else None
        name = raw.get("name") if isinstance(raw, dict) else None
    except (KeyError, IndexError, TypeError):
        name = None
    phase = str(name) if name else f"#{loc[1] + 1}"
    if len(loc) >= 4 and loc[2] == "operations" and isinstance(loc[3], int):
        return phase, loc[3] + 1
    return phase, None


def _is_tag(part) -> bool:
    # Tags of discriminated unions appear in error paths but not in the file.
    return isinstance(part, str) and part.startswith("function-") or part in _TAGS


_TAGS: set[str] = set()


def register_tags(tags) -> None:
    """Tell the locator which path parts are union tags (operation names), not keys."""
    _TAGS.update(tags)
