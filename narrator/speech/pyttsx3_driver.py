"""pyttsx3's own eSpeak NG driver, without the sleep in its run loop.

pyttsx3's `runAndWait` on the eSpeak driver starts the utterance, then sleeps 10 ms before it
looks again, although eSpeak NG speaks a short cue in 2 to 5 ms: the sleep alone tripled the
time a cold build spent on speech. This driver starts the utterance the same way and returns
at once; the caller waits for the READY notification instead. Everything else (voices,
properties, the WAV file) is pyttsx3's code, unchanged.

pyttsx3's own `finished-utterance` comes a moment too early for that: the driver sends it
from eSpeak NG's thread before it marks itself idle, and a next `save_to_file` that lands in
between is queued behind the end of the loop and can speak the previous text again. READY
is sent once the driver is done with the utterance: its WAV file written, itself idle.

pyttsx3 loads a driver by module name from its `pyttsx3.drivers` package, so `register()`
puts this module there, under DRIVER_NAME.
"""

from __future__ import annotations

import sys
from typing import Any

from pyttsx3.drivers.espeak import EspeakDriver

DRIVER_NAME = "narrator_espeak"
READY = "narrator-ready"
"""The topic (for `engine.connect`) sent when an utterance's WAV file is written and the
driver can take the next one."""


class PromptEspeakDriver(EspeakDriver):  # type: ignore[misc]
    def _onSynth(self, wav: Any, numsamples: int, events: Any) -> int:  # noqa: N802
        # eSpeak NG calls this (from its own thread) with audio and events; the last call
        # of an utterance writes the file and leaves the driver idle.
        was_speaking = self._speaking
        result: int = super()._onSynth(wav, numsamples, events)
        if was_speaking and not self._speaking:
            self._proxy.notify(READY)
        return result

    def startLoop(self) -> None:  # noqa: N802 (pyttsx3's name)
        # The first pass of EspeakDriver.startLoop, without its polling: pump the queued
        # commands (save_to_file, then the end of the loop), then start the utterance.
        self._looping = True
        self._proxy.setBusy(False)
        if self._text_to_say:
            self._start_synthesis(self._text_to_say)


def buildDriver(proxy: Any) -> PromptEspeakDriver:  # noqa: N802 (pyttsx3's name)
    return PromptEspeakDriver(proxy)


def register() -> str:
    """Make this driver loadable as `pyttsx3.init(DRIVER_NAME)`; returns that name."""
    sys.modules.setdefault(f"pyttsx3.drivers.{DRIVER_NAME}", sys.modules[__name__])
    return DRIVER_NAME
