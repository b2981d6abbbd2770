"""What every speech engine is, what all of them share, and the registry that picks one.

An engine speaks text (`speak`, `speak_many`) into trimmed mono PCM at its own rate and
names everything that changes that sound (`speech_identity`); it may list its voices. The
rest is shared, in `SpeechEngine`: the rate and volume checks, levelling to the podcast
loudness with the volume applied (`finish`), and the identity the clip cache keys on.

Engines are found by name in `ENGINES` and imported only when chosen, so an engine whose
library is missing costs the others nothing. A new engine is one module beside this one
(see pyttsx3_engine.py) and one line in `ENGINES`.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol, runtime_checkable

from narrator.errors import EngineError, OptionError
from narrator.options import VoiceOptions
from narrator.script.cues import DEFAULT_LANGUAGE
from narrator.sound.audio import SAMPLE_WIDTH, Clip, at_session_rate, resampled_length
from narrator.sound.loudness import CLIP_LOUDER_LU, TARGET_LUFS, Leveling, level_speech

ENGINES: dict[str, str] = {
    "pyttsx3": "narrator.speech.pyttsx3_engine:Pyttsx3Synthesizer",
    "piper": "narrator.speech.piper_engine:PiperSynthesizer",
}
"""Engine name (for --engine) -> "module:class" of its SpeechEngine."""

FALLBACK_ENGINE = "pyttsx3"
"""Speaks every language (eSpeak NG has a voice for each cue language): it takes over a
routine whose language the chosen engine has no voice for."""


class SilentClipError(EngineError):
    """The engine finished an utterance without producing any audio."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class EngineVoices:
    """What `narrator voices` lists for one engine."""

    engine: str
    voices: tuple[Voice, ...]
    missing: str | None = None
    """Why the engine cannot run here (an extra not installed), or None."""


class Synthesizer(Protocol):
    """Turns text into a clip. `identity` names everything that changes the sound."""

    @property
    def identity(self) -> dict[str, object]: ...

    def synthesize(self, text: str) -> Clip: ...


@dataclass(frozen=True)
class Spoken:
    """What the engine said, trimmed, at the engine's own rate: not yet levelled."""

    pcm: bytes
    rate: int

    @property
    def samples(self) -> int:
        """Its length once levelled and on the session clock (levelling keeps the length)."""
        return resampled_length(len(self.pcm) // SAMPLE_WIDTH, self.rate)


OnSpoken = Callable[[str, Spoken], None]
"""Called with each clip as soon as it is spoken."""


@runtime_checkable
class StagedSynthesizer(Synthesizer, Protocol):
    """A synthesizer whose work comes in two stages: speaking, which fixes a clip's length
    (all the schedule needs), and finishing (levelling), which can wait until the encoder
    is busy on the other core. `speech_identity` names everything that changes the first."""

    @property
    def speech_identity(self) -> dict[str, object]: ...

    def speak(self, text: str) -> Spoken: ...

    def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
        """Every text spoken, in order, each passed to `on_spoken` as soon as it is."""
        ...

    def finish(self, spoken: Spoken) -> Clip: ...


class SpeechEngine:
    """The base of every engine: a StagedSynthesizer once `speak` and `speech_identity`
    are given. Levelling and volume are done here, the same for every engine."""

    name: ClassVar[str]
    """The engine's name in ENGINES."""
    voice_id: str
    """The voice it speaks with, as `narrator voices` lists it."""

    def __init__(self, options: VoiceOptions | None = None,
                 language: str = DEFAULT_LANGUAGE) -> None:
        options = (options or VoiceOptions()).validate()
        self.options = options
        self.language = language
        """The language of the texts it is given (the routine's narration language)."""
        # Engines speak at full scale (best resolution); --volume is applied when the clip
        # is levelled, since levelling would otherwise undo it.
        volume_db = 20 * math.log10(options.volume)
        self.leveling = Leveling(target_lufs=TARGET_LUFS + CLIP_LOUDER_LU + volume_db)

    @classmethod
    def list_voices(cls) -> list[Voice]:
        return []

    @classmethod
    def known_voices(cls) -> list[Voice]:
        """The voices it has, known without its library (for an engine not installed)."""
        return []

    @classmethod
    def missing(cls) -> str | None:
        """Why the engine cannot run here (its extra is not installed), or None."""
        return None

    @classmethod
    def voice_for(cls, language: str) -> str | None:
        """The engine's best voice for `language`, or None if it has none; known without
        starting the engine."""
        return None

    @property
    def speech_identity(self) -> dict[str, object]:
        raise NotImplementedError

    def speak(self, text: str) -> Spoken:
        raise NotImplementedError

    def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
        """Every text spoken in turn; an engine that can overlap the work overrides this."""
        made: dict[str, Spoken] = {}
        for text in texts:
            made[text] = self.speak(text)
            on_spoken(text, made[text])
        return made

    @property
    def identity(self) -> dict[str, object]:
        return {
            **self.speech_identity,
            "stage": "levelled",
            "volume": self.options.volume,
            "leveling": self.leveling.identity,
        }

    def synthesize(self, text: str) -> Clip:
        return self.finish(self.speak(text))

    def finish(self, spoken: Spoken) -> Clip:
        # Levelled at the engine's own rate (eSpeak's is half the session's, which halves
        # the work); linear resampling then never lifts a peak above the ceiling.
        return at_session_rate(level_speech(spoken.pcm, self.leveling, spoken.rate),
                               spoken.rate)


def engine_class(name: str) -> type[SpeechEngine]:
    """The engine registered as `name`; OptionError naming --engine if there is none."""
    if name not in ENGINES:
        raise OptionError(f"--engine {name!r}: expected one of {', '.join(ENGINES)}")
    module, _, attribute = ENGINES[name].partition(":")
    found: type[SpeechEngine] = getattr(importlib.import_module(module), attribute)
    return found


def create_engine(options: VoiceOptions, language: str = DEFAULT_LANGUAGE) -> SpeechEngine:
    """The engine `options.engine` names, set up with the voice, rate and volume asked for,
    for texts in `language`."""
    return engine_class(options.engine)(options, language)


@dataclass(frozen=True)
class VoiceChoice:
    """Who speaks a routine: what `plan` shows and `plan --json` gives as "voice"."""

    engine: str
    voice: str
    language: str
    note: str | None = None
    """Why it is not the engine asked for (a fallback), for `plan` to show."""


def choose_engine(options: VoiceOptions,
                  language: str = DEFAULT_LANGUAGE) -> tuple[SpeechEngine, VoiceChoice]:
    """The engine for a routine in `language`: the one asked for, with its best voice for
    that language, unless it has none (and no --voice was given): then FALLBACK_ENGINE
    speaks it, and the choice says so."""
    wanted = engine_class(options.engine)
    note = None
    if options.voice is None and wanted.voice_for(language) is None \
            and options.engine != FALLBACK_ENGINE:
        fallback = engine_class(FALLBACK_ENGINE)
        note = (f"{options.engine} has no {language} voice: eSpeak NG "
                f"({fallback.voice_for(language)}) speaks this routine")
        options = replace(options, engine=FALLBACK_ENGINE)
    engine = create_engine(options, language)
    return engine, VoiceChoice(engine.name, engine.voice_id, language, note)
