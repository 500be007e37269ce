"""One way to write a file: whole or not at all.

Every file the project writes (``-o`` of every command, the schema, imports,
board packs, diagrams) goes through :func:`write_atomic` or :func:`staged`:
the data goes to a unique temporary file in the target's folder, is flushed
to disk (``fsync``) and renamed over the target, so a reader sees the old file
or the new one, never half of one. The temporary file is removed on any
failure, on Ctrl-C and on SIGTERM/SIGHUP; one left by a process killed outright
(``kill -9``, power loss) is removed by the next write to the same target. An
``OSError`` (folder not writable, disk full, a path through a file) becomes a
one-line :class:`~restructure.errors.WriteFailed` naming the path and what to
do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import WriteFailed

__all__ = ["write_atomic", "staged", "Staged", "write_failed", "TEMP_SUFFIX"]

TEMP_SUFFIX = ".restructure-tmp"
"""Temporary files are ``.NAME.PID-RANDOM.restructure-tmp`` beside the target."""


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically; missing parent folders are created.

    Parameters
    ----------
    path : str or Path
    data : str or bytes
        Text is encoded with ``encoding``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    WriteFailed
        The file could not be written (nothing was; an old file is unchanged).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "out" / "a.yaml", "name: x\\n").read_text()
    'name: x\\n'
    >>> sorted(p.name for p in (folder / "out").iterdir())
    ['a.yaml']
    """
    with staged(path, data, encoding=encoding) as pending:
        pending.publish()
    return Path(path)


class Staged:
    """A file written to its temporary name, waiting to be put in place with :meth:`publish`."""

    def __init__(self, path: Path, tmp: Path):
        self.path = path
        self.tmp = tmp
        self.published = False

    def publish(self) -> Path:
        """Rename the temporary file over the target (atomic on one file system).

        Raises
        ------
        WriteFailed
            The rename failed; the temporary file is removed when the ``staged`` block ends.
        """
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            raise write_failed(self.path, exc) from None
        self.published = True
        _fsync_dir(self.path.parent)
        return self.path


@contextlib.contextmanager
def staged(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Iterator[Staged]:
    """Write ``data`` to a temporary file beside ``path``; publish it inside the block, or not at all.

    For writes that must go with another action (``apply --branch B -o FILE``
    commits to the store only once the file is written, then publishes it).
    Leaving the block without :meth:`Staged.publish` (an error, a signal)
    removes the temporary file and leaves ``path`` as it was.

    Raises
    ------
    WriteFailed
        The folder cannot be made or written, or the disk is full.
    """
    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise write_failed(path, NotADirectoryError(errno.ENOTDIR, "Not a directory")) from None
    except OSError as exc:
        raise write_failed(path, exc) from None
    _sweep(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    with _signals_raise():
        try:
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except OSError as exc:
                raise write_failed(path, exc) from None
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(raw)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                raise write_failed(path, exc) from None
            pending = Staged(path, tmp)
            yield pending
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def write_failed(path: str | Path, exc: OSError) -> WriteFailed:
    """An ``OSError`` from writing ``path`` as a one-line error saying what to do.

    Examples
    --------
    >>> print(write_failed("out/a.yaml", PermissionError(13, "Permission denied")))
    cannot write out/a.yaml: permission denied. Write somewhere you may (another folder or -o path), or ask for write access to the folder; nothing was written.
    """
    code = getattr(exc, "errno", None)
    where = str(path)
    if code in (errno.EACCES, errno.EPERM):
        what, hint = "permission denied", "Write somewhere you may (another folder or -o path), or ask for write access to the folder"
    elif code == errno.ENOSPC or code == errno.EDQUOT:
        what, hint = "the disk is full", "Free some space (or write elsewhere) and run the command again"
    elif code == errno.EROFS:
        what, hint = "the file system is read-only", "Write to another folder"
    elif code == errno.ENOTDIR:
        what, hint = "part of the path is a file, not a folder", "Check the -o path"
    elif code == errno.EISDIR:
        what, hint = "it is a folder", "Give a file name, not a folder"
    elif code == errno.ENAMETOOLONG:
        what, hint = "the file name is too long", "Choose a shorter name"
    else:
        what, hint = (exc.strerror or str(exc)).lower(), "Check the -o path and the disk"
    return WriteFailed(f"cannot write {where}: {what}", hint + "; nothing was written")


_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + "$")


def _sweep(path: Path) -> None:
    """Remove temporary files left beside ``path`` by writers that were killed outright."""
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m and m["name"] == path.name and not _alive(int(m["pid"])):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Signalled(SystemExit):
    """SIGTERM or SIGHUP arrived while a temporary file existed: unwind, remove it, exit."""


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP unwind like Ctrl-C does (so ``finally`` runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    old = {}

    def handler(signum, frame):
        raise _Signalled(128 + signum)

    for s in caught:
        try:
            old[s] = signal.signal(s, handler)
        except (ValueError, OSError):
            pass
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
