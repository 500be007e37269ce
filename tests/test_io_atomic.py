"""Tests of restructure.io.atomic: whole files or none, under failures, signals and kill -9.

The unwritable-folder tests run the real command line as a user who may not
write there (``nobody`` through ``setpriv`` when the tests run as root, as
in CI; the test user itself otherwise).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from restructure.cli import cli
from restructure.errors import WriteFailed
from restructure.io import atomic
from restructure.io.atomic import TEMP_SUFFIX, staged, write_atomic
from restructure.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "ok"


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_writes_replaces_and_leaves_nothing_beside(tmp_path):
    target = tmp_path / "deep" / "er" / "a.yaml"
    write_atomic(target, "old\n")
    write_atomic(target, b"new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.yaml"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # like any file the user creates


@pytest.mark.parametrize(
    ("err", "words"),
    [
        (errno.ENOSPC, "the disk is full. Free some space"),
        (errno.EACCES, "permission denied. Write somewhere you may"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EIO, "input/output error. Check the -o path and the disk"),
    ],
)
def test_a_failing_disk_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch, err, words):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")

    def full(fd):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(WriteFailed) as info:
        write_atomic(target, "new\n" * 1000)
    assert str(info.value).startswith(f"cannot write {target}: {words}")
    assert str(info.value).endswith("; nothing was written.")
    assert "\n" not in str(info.value)
    assert target.read_text() == "old\n" and temps(tmp_path) == []


def test_a_path_through_a_file_or_to_a_folder(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(WriteFailed, match="part of the path is a file, not a folder. Check the -o path"):
        write_atomic(tmp_path / "file.txt" / "a.yaml", "x")
    (tmp_path / "folder").mkdir()
    with pytest.raises(WriteFailed, match="it is a folder. Give a file name"):
        write_atomic(tmp_path / "folder", "x")
    assert temps(tmp_path) == []


def test_staged_publishes_only_when_asked(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), staged(target, "new\n"):
        assert len(temps(tmp_path)) == 1  # written beside the target, under a unique name
        raise RuntimeError("the commit failed")
    assert target.read_text() == "old\n" and temps(tmp_path) == []
    with staged(target, "new\n") as pending:
        pending.publish()
    assert target.read_text() == "new\n" and temps(tmp_path) == []


def test_two_writers_never_share_a_temporary_file(tmp_path):
    target = tmp_path / "a.yaml"
    with staged(target, "one\n") as first, staged(target, "two\n") as second:
        assert first.tmp != second.tmp and len(temps(tmp_path)) == 2
        second.publish()
        first.publish()
    assert target.read_text() == "one\n" and temps(tmp_path) == []


def test_the_next_write_sweeps_temporaries_of_dead_writers_only(tmp_path):
    target = tmp_path / "a.yaml"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".a.yaml.{int(dead.stdout)}-0badcafe{TEMP_SUFFIX}"
    live = tmp_path / f".a.yaml.{os.getppid()}-0badcafe{TEMP_SUFFIX}"  # a writer still running
    other = tmp_path / f".b.yaml.{int(dead.stdout)}-0badcafe{TEMP_SUFFIX}"  # another target's
    for p in (stale, live, other):
        p.write_text("half")
    write_atomic(target, "x")
    assert temps(tmp_path) == sorted([live.name, other.name])


WRITER = textwrap.dedent(
    """
    import sys
    from restructure.io.atomic import write_atomic
    target, ready = sys.argv[1], sys.argv[2]
    texts = ["A" * 4_000_000, "B" * 4_000_000]
    open(ready, "w").close()
    i = 0
    while True:
        write_atomic(target, texts[i % 2])
        i += 1
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.003, 0.011, 0.029, 0.053, 0.101])
def test_kill_9_mid_write_leaves_old_or_new_and_the_next_run_sweeps(tmp_path, delay):
    target = tmp_path / "a.yaml"
    ready = tmp_path / "ready"
    write_atomic(target, "A" * 4_000_000)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(ready)])
    try:
        while not ready.exists():
            assert proc.poll() is None, "the writer died"
            os.sched_yield()
        if delay:
            subprocess.run(["sleep", str(delay)])
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert target.read_text() in ("A" * 4_000_000, "B" * 4_000_000)  # whole: old or new, never half
    write_atomic(target, "next run")
    assert temps(tmp_path) == []  # what the killed writer left is gone after the next run
    assert target.read_text() == "next run"


BLOCKED = textwrap.dedent(
    """
    import sys, time
    from restructure.io.atomic import staged
    with staged(sys.argv[1], "new") as pending:
        print("staged", flush=True)
        time.sleep(60)
        pending.publish()
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_catchable_signal_removes_the_temporary_file(tmp_path, sig):
    target = tmp_path / "a.yaml"
    target.write_text("old")
    proc = subprocess.Popen([sys.executable, "-c", BLOCKED, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "staged\n"
    assert len(temps(tmp_path)) == 1
    proc.send_signal(sig)
    assert proc.wait(timeout=60) != 0
    assert temps(tmp_path) == [] and target.read_text() == "old"


# -- an unwritable folder, as a user who may not write there --------------------------------


def _user_command() -> list[str]:
    """How to run this Python as a user who cannot write into root's folders."""
    if os.geteuid() != 0:
        return [sys.executable]
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to run as nobody"
    site = next(p for p in sys.path if p.endswith("site-packages"))
    # nobody may not run an interpreter under /root: try ours, then the system's of the same version
    for exe in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        cmd = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", exe, "-S"]
        probe = subprocess.run([*cmd, "-c", f"import site; site.addsitedir({site!r}); import restructure"],
                               capture_output=True, cwd="/")
        if probe.returncode == 0:
            return [*cmd, "-c", f"import site; site.addsitedir({site!r})"
                    "; import sys; sys.argv[0] = 'restructure'; from restructure.cli import main; main()"]
    raise AssertionError("no Python that nobody may run with this project's packages")


@pytest.fixture(scope="module")
def as_user():
    base = _user_command()

    def run(*args, cwd):
        if base[0] == sys.executable:
            base_cmd = [sys.executable, "-c", "import sys; sys.argv[0] = 'restructure'; "
                        "from restructure.cli import main; main()"]
        else:
            base_cmd = base
        return subprocess.run([*base_cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                              env={**os.environ, "HOME": str(cwd)})

    return run


@pytest.fixture
def shared_tmp():
    """A folder the other user may read and write (pytest's own is private to root), with a read-only one in it."""
    folder = Path(tempfile.mkdtemp(prefix="restructure-atomic-"))
    folder.chmod(0o777)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "keep.yaml").write_text("old\n")
    locked.chmod(0o555)
    for name in ("base.yaml", "scenario.yaml", "lookup.csv"):
        shutil.copy(CORPUS / name, folder / name)
        (folder / name).chmod(0o644)
    yield folder
    locked.chmod(0o755)
    shutil.rmtree(folder)


def _commands(folder: Path, db: str) -> dict[str, list]:
    out = folder / "locked"
    return {
        "apply": ["apply", folder / "scenario.yaml", "-o", out / "keep.yaml"],
        "apply-branch": ["apply", folder / "scenario.yaml", "--branch", "b", "-o", out / "keep.yaml", "--db", db],
        "render": ["render", folder / "base.yaml", "-o", out / "keep.svg"],
        "render-dot": ["render", folder / "base.yaml", "-o", out / "new" / "d.dot"],
        "report": ["report", folder / "scenario.yaml", "-o", out / "pack.html"],
        "export": ["export", "baseline", "-o", out / "keep.yaml", "--db", db],
        "export-jsonld": ["export", folder / "base.yaml", "-o", out / "x.jsonld"],
        "import-ons": ["import", "ons", folder / "lookup.csv", "-o", out / "keep.yaml"],
        "schema": ["schema", "-o", out / "scenario.schema.json"],
        "new-area": ["new-area", "--pfa", "Surrey", "-o", out / "keep.yaml"],
    }


@pytest.mark.parametrize("verb", list(_commands(Path(), "")))
def test_an_unwritable_output_is_one_line_and_commits_nothing(verb, as_user, shared_tmp):
    db_file = shared_tmp / "store.db"
    db = f"sqlite:///{db_file}"
    with open_store(db) as store:
        from restructure.structure import Structure

        store.init(Structure.load(shared_tmp / "base.yaml"), "Baseline")
    db_file.chmod(0o666)
    args = _commands(shared_tmp, db)[verb]
    target = next(a for a in reversed(args) if isinstance(a, Path) and "locked" in a.parts)
    before = sorted(p.name for p in (shared_tmp / "locked").iterdir())
    run = as_user(*args, cwd=shared_tmp)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[-1] == (
        f"Error: cannot write {target}: permission denied. Write somewhere you may (another folder or -o path), "
        "or ask for write access to the folder; nothing was written."
    ), run.stderr
    assert all(not x.startswith("Error") for x in lines[:-1])  # findings printed before are warnings
    assert sorted(p.name for p in (shared_tmp / "locked").iterdir()) == before
    assert (shared_tmp / "locked" / "keep.yaml").read_text() == "old\n"
    with open_store(db, create=False) as store:
        assert [b.name for b in store.branches()] == ["baseline"]  # apply --branch committed nothing


def test_apply_branch_commits_when_the_file_can_be_written(shared_tmp):
    db = f"sqlite:///{shared_tmp / 'store.db'}"
    with open_store(db) as store:
        from restructure.structure import Structure

        store.init(Structure.load(shared_tmp / "base.yaml"), "Baseline")
    out = shared_tmp / "out" / "r.yaml"
    result = CliRunner().invoke(cli, ["apply", str(shared_tmp / "scenario.yaml"), "--branch", "b", "-o", str(out),
                                      "--db", db])
    assert result.exit_code == 0, result.output
    assert "Town Safer Partnership" in out.read_text()
    with open_store(db, create=False) as store:
        assert sorted(b.name for b in store.branches()) == ["b", "baseline"]
    assert temps(out.parent) == []
