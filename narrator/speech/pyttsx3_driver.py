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

The rate race (issue 13): in the asynchronous mode pyttsx3 asks for, eSpeak NG queues a rate
change for its own thread, and the espeak_Cancel that ends every `runAndWait` could drop it,
so a whole run spoke at pyttsx3's own 200 words a minute. That mode also ran a voice change
and Cancel's reset of the parameters on the caller's thread while eSpeak's thread was still
ending the last utterance, which crashed the process inside Synth (in CI). eSpeak NG is
therefore started synchronously: one thread, every setting in force as soon as it is made.
The rate is still read back before each utterance starts and again when it ends
(`spoken_at`), and a clip is only taken if both readings are the rate asked.

pyttsx3 loads a driver by module name from its `pyttsx3.drivers` package, so `register()`
puts this module there, under DRIVER_NAME.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from pyttsx3.drivers import _espeak
from pyttsx3.drivers.espeak import EspeakDriver

DRIVER_NAME = "narrator_espeak"
READY = "narrator-ready"
"""The topic (for `engine.connect`) sent when an utterance's WAV file is written and the
driver can take the next one."""


def current_rate() -> int:
    """The rate eSpeak NG speaks at now. (pyttsx3's binding of espeak_GetParameter passes
    no `current` argument, so it reads whatever the register holds.)"""
    get = _espeak.dll.espeak_GetParameter
    get.restype, get.argtypes = ctypes.c_int, [ctypes.c_int, ctypes.c_int]
    return int(get(_espeak.RATE, 1))


def _end_of_message() -> Any:
    """The event list eSpeak NG's asynchronous mode ends an utterance with."""
    events = (_espeak.EVENT * 2)()
    events[0].type = _espeak.EVENT_MSG_TERMINATED
    events[1].type = _espeak.EVENT_LIST_TERMINATED
    return events


class PromptEspeakDriver(EspeakDriver):  # type: ignore[misc]
    _wanted_rate: int | None = None
    spoken_at: tuple[int, int] | None = None
    """The rate read just before the last utterance started and once it ended."""

    def __init__(self, proxy: Any) -> None:
        if not EspeakDriver._moduleInitialized:
            # Synchronous, where pyttsx3 asks for eSpeak NG's asynchronous mode: there
            # eSpeak speaks on a thread of its own while several calls (a voice change,
            # Cancel's reset of the parameters) act on the caller's thread unlocked, and the
            # race crashed the process inside Synth. Synchronously there is one thread.
            if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
                raise RuntimeError("could not initialize espeak")
            current = _espeak.GetCurrentVoice()
            EspeakDriver._defaultVoice = (
                current.contents.name.decode("utf-8")
                if current and current.contents.name else "gmw/en")
            EspeakDriver._moduleInitialized = True
        super().__init__(proxy)

    def setProperty(self, name: str, value: Any) -> None:  # noqa: N802 (pyttsx3's name)
        if name == "rate":
            self._wanted_rate = int(value)
        super().setProperty(name, value)

    def _onSynth(self, wav: Any, numsamples: int, events: Any) -> int:  # noqa: N802
        # eSpeak NG calls this (inside Synth) with audio and events; the last call
        # of an utterance writes the file and leaves the driver idle.
        was_speaking = self._speaking
        result: int = super()._onSynth(wav, numsamples, events)
        if was_speaking and not self._speaking:
            if self.spoken_at is not None:
                self.spoken_at = (self.spoken_at[0], current_rate())
            self._proxy.notify(READY)
        return result

    def _settle_rate(self) -> None:
        """Set the wanted rate again if eSpeak NG reads back another (set under pyttsx3, by
        a caller of the library); running synchronously, it takes effect at once."""
        wanted = self._wanted_rate
        if wanted is not None and current_rate() != wanted:
            _espeak.SetParameter(_espeak.RATE, wanted, 0)

    def startLoop(self) -> None:  # noqa: N802 (pyttsx3's name)
        # The first pass of EspeakDriver.startLoop, without its polling: pump the queued
        # commands (save_to_file, then the end of the loop), then start the utterance.
        self._looping = True
        self._proxy.setBusy(False)
        if self._text_to_say:
            self._settle_rate()
            self.spoken_at = (current_rate(), -1)
            self._start_synthesis(self._text_to_say)
            # Synchronously, Synth returns with all the audio delivered but never sends the
            # MSG_TERMINATED event on which pyttsx3 writes the WAV file: it is sent here.
            if self._speaking:
                self._onSynth(None, 0, _end_of_message())


def buildDriver(proxy: Any) -> PromptEspeakDriver:  # noqa: N802 (pyttsx3's name)
    return PromptEspeakDriver(proxy)


def register() -> str:
    """Make this driver loadable as `pyttsx3.init(DRIVER_NAME)`; returns that name."""
    sys.modules.setdefault(f"pyttsx3.drivers.{DRIVER_NAME}", sys.modules[__name__])
    return DRIVER_NAME
