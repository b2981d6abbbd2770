from __future__ import annotations

import os
import signal

import pytest

from narrator.interrupts import deferred_interrupts


def test_ctrl_c_inside_is_raised_once_the_block_is_done() -> None:
    # As at a terminal, even when the suite itself runs as a background job.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    reached_end = False
    try:
        with pytest.raises(KeyboardInterrupt), deferred_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
            reached_end = True
        assert reached_end
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_ignored_ctrl_c_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with deferred_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
