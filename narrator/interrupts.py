"""Ctrl-C, SIGTERM and SIGHUP: all stop a run the same way, at a safe point.

`stop_on_termination` makes SIGTERM (kill, systemd, a closing container) and SIGHUP (a
closed terminal) raise `Interrupted` as Ctrl-C raises KeyboardInterrupt, so that every
temporary file is removed and nothing is replaced; the command line then prints one line
and exits 128 + the signal's number (130, 143, 129), as shells report a killed command.

An exception raised inside a ctypes callback is printed and swallowed, so a signal that lands
while eSpeak NG is calling back into pyttsx3 would spill a traceback and be lost. Inside
`deferred_interrupts`, any of the three is only noted, and raised once the block is done.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


_stopped_by: list[int] = []
"""The signals that stopped this run: typer turns any KeyboardInterrupt into a bare exit
status of 130, so the command line asks here which it was (`stopped_by`)."""


def stopped_by() -> int | None:
    """The signal that last stopped the run, or None."""
    return _stopped_by[-1] if _stopped_by else None


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal; `signum` says which."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum
        _stopped_by.append(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def stop_on_termination() -> None:
    """Make SIGTERM and SIGHUP stop the run as Ctrl-C does (main thread only). A signal
    that was ignored when narrator started (nohup) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOP_SIGNALS:
        if signum != signal.SIGINT and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _raise)


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    # Only the main thread may set handlers, and a signal the user ignores stays ignored.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous: dict[int, Callable[..., Any] | int | None] = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        # SIGINT as Python sets it up, the others once stop_on_termination turned them on.
        if handler not in (signal.SIG_IGN, None) and (signum == signal.SIGINT
                                                      or callable(handler)):
            previous[signum] = signal.signal(signum, note)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        raise Interrupted(received[0])
