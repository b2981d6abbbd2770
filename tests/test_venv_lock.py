"""Two first runs at once share one set-up of .venv (scripts/_venv.sh takes a lock)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Stands in for Python: `-m venv` makes a venv slowly and logs it, `-m pip` and
# `-m compileall` succeed, `-c` runs the real Python (the version check, the fcntl lock).
FAKE_PYTHON = f"""#!/bin/sh
case "$1" in
  -c) exec {sys.executable} "$@" ;;
  -m)
    case "$2" in
      venv) echo "venv $$" >> "$FAKE_LOG"; sleep 1; mkdir -p "$3/bin"
            cp "$0" "$3/bin/python"; echo "venv done $$" >> "$FAKE_LOG" ;;
      pip) sleep 0.3 ;;
    esac ;;
esac
exit 0
"""


def _two_first_runs(tmp_path: Path, path: str) -> list[str]:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "_venv.sh", repo / "scripts" / "_venv.sh")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    log = tmp_path / "log"
    env = {**os.environ, "NARRATOR_PYTHON": str(python), "FAKE_LOG": str(log), "PATH": path}
    command = f"source {repo}/scripts/_venv.sh && ensure_venv"
    bash = shutil.which("bash") or "/bin/bash"
    runs = [subprocess.Popen([bash, "-c", command], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        _out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
    return log.read_text().splitlines()


def test_two_first_runs_set_the_venv_up_once(tmp_path: Path) -> None:
    lines = _two_first_runs(tmp_path, os.environ["PATH"])
    assert len(lines) == 2 and lines[0].startswith("venv ") and lines[1].startswith("venv done")


def test_without_flock_the_lock_is_taken_through_python(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("cksum", "cut", "rm", "mkdir", "cp", "cat", "sleep", "dirname"):
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"no {tool}")
        (tools / tool).symlink_to(found)
    assert shutil.which("flock", path=str(tools)) is None
    lines = _two_first_runs(tmp_path, str(tools))
    assert len(lines) == 2 and lines[0].startswith("venv ") and lines[1].startswith("venv done")
