"""What eSpeak NG must not be given, and a check that its data works, made where a crash
cannot take narrator down.

eSpeak NG runs inside narrator's process, and it does not fail politely: a sentence of
some 20,000 characters, or a damaged or empty phondata, makes it crash (SIGSEGV) with
nothing on stderr; data of another version makes it print "Wrong version of
espeak-ng-data" and end the process; an empty dictionary makes it say "Can't read
dictionary file" and speak anyway. So:

- `check_sentences` refuses, before eSpeak sees it, any text with a sentence longer than
  MAX_SENTENCE_CHARS (a long exercise name, say): SourceError, exit 3.
- `check_data` has a child process start eSpeak NG and speak one short text, once per
  digest of the data (and library): a crash there, or any message of eSpeak's, is one
  line and exit 4 here. The result is remembered in the cache, so this costs one child
  (about half a second) the first time a data folder is used, and nothing after.
  Speaking every clip in a child would also turn a crash into a clear error, but would
  cost that start-up on every cold build and the pipelining of speech with reading back;
  the checks above leave no crash that we know of to catch, so speech stays in-process.

The data digest also joins the clip cache key (`data_digest`): clips spoken with other
data are other clips.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

from narrator.errors import EngineError, SourceError

MAX_SENTENCE_CHARS = 4000
"""Longer sentences are refused: eSpeak NG 1.52 crashes on one of 20,000 characters, and is
fine at 10,000; no stretching routine has a sentence of even a thousand."""
CHECKING_ENV = "NARRATOR_ESPEAK_CHECKING"
"""Set in the checking child, which must not check again."""
_CHECK_TEXT = "Stretch one of seven. Hold for thirty seconds."
_CHILD = (
    "import sys\n"
    "from narrator.speech.pyttsx3_engine import Pyttsx3Synthesizer\n"
    f"spoken = Pyttsx3Synthesizer().speak({_CHECK_TEXT!r})\n"
    "print(spoken.samples)\n"
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
CHECK_TIMEOUT_S = 60.0


def check_sentences(texts: list[str]) -> None:
    """SourceError if any text holds a sentence eSpeak NG cannot be trusted with."""
    for text in texts:
        longest = max((len(s) for s in _SENTENCE_END.split(text)), default=0)
        if longest > MAX_SENTENCE_CHARS:
            raise SourceError(f"a sentence of {longest:,} characters is too long to speak "
                              f"(at most {MAX_SENTENCE_CHARS:,}): {text[:40]!r}...")


@cache
def data_digest(data: str, library: str = "") -> str:
    """A digest of the eSpeak NG data files narrator's voices read (and of the library)."""
    from narrator.speech.espeak import ESPEAK_DATA_FILES

    digest = hashlib.sha256()
    for name in ESPEAK_DATA_FILES:
        path = Path(data) / name
        digest.update(name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            digest.update(f"unreadable: {exc.errno}".encode())
    if library:
        stat = os.stat(library)
        digest.update(f"{library}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


_started: dict[tuple[str, str], subprocess.Popen[str]] = {}
"""Checks started ahead (`start_check`), by library and data, for `check_data` to finish."""


def _marker(library: str, data: str) -> Path:
    from narrator.cache import cache_root

    return cache_root() / "espeak-checked" / data_digest(data, library)


def start_check(library: str, data: str) -> None:
    """Start the check's child now, if it will be needed, so that it runs on the other core
    while the routine is parsed (a cold build would otherwise wait on it); `check_data`
    then only collects its answer."""
    if os.environ.get(CHECKING_ENV) or (library, data) in _started \
            or _marker(library, data).exists():
        return
    with contextlib.suppress(OSError):  # check_data tries again, and says why if it cannot
        if not _started:
            atexit.register(_reap)
        _started[library, data] = _spawn(library, data)


def _reap() -> None:
    """A check started ahead but never needed (the build stopped first): ended, not left."""
    for process in _started.values():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            process.kill()
            process.communicate(timeout=5)
    _started.clear()


def _spawn(library: str, data: str) -> subprocess.Popen[str]:
    env = {**os.environ, CHECKING_ENV: "1", "NARRATOR_ESPEAK_LIBRARY": library,
           "NARRATOR_ESPEAK_DATA": data}
    return subprocess.Popen([sys.executable, "-c", _CHILD], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_data(library: str, data: str) -> None:
    """EngineError (one line) unless eSpeak NG speaks with this data in a child process
    without crashing or complaining; remembered per digest once it has."""
    if os.environ.get(CHECKING_ENV):
        return
    marker = _marker(library, data)
    if marker.exists():
        return
    process = _started.pop((library, data), None)
    try:
        if process is None:
            process = _spawn(library, data)
    except OSError as exc:
        raise EngineError(f"eSpeak NG could not be checked: {exc}") from exc
    try:
        stdout, stderr = process.communicate(timeout=CHECK_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise EngineError(f"eSpeak NG could not be checked: {exc}") from exc
    child = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    said = [line.strip() for line in child.stderr.splitlines() if line.strip()]
    if child.returncode < 0:
        raise EngineError(f"eSpeak NG crashed (signal {-child.returncode}) speaking a short "
                          f"test with the data in {data}: the data is damaged or of another "
                          "version")
    if child.returncode != 0 or said or not child.stdout.strip().isdigit():
        # eSpeak's own words first ("Wrong version of espeak-ng-data", "Can't read
        # dictionary file"), else the last line of what went wrong.
        own = [line for line in said if not line.startswith(("Traceback", "File ", "narrator"))
               and ("espeak" in line.lower() or "can't" in line.lower())]
        why = (own or said or [f"exit status {child.returncode}"])[0 if own else -1]
        raise EngineError(f"eSpeak NG cannot speak with the data in {data}: {why}")
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("ok\n")
    except OSError:
        pass  # checked again next time: it only costs the child

