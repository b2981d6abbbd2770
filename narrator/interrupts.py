"""Ctrl-C at a safe point.

An exception raised inside a ctypes callback is printed and swallowed, so a Ctrl-C that lands
while eSpeak NG is calling back into pyttsx3 would spill a traceback and be lost. Inside
`deferred_interrupts`, Ctrl-C is only noted, and raised once the block is done.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    # Only the main thread may set handlers, and a Ctrl-C the user ignores stays ignored.
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, None)):
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
