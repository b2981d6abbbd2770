"""The pyttsx3 engine: eSpeak NG through pyttsx3, with its known traps handled.

eSpeak NG runs synchronously, on the caller's thread (pyttsx3_driver.py says why), and
speaks each text into a WAV file that is read back and trimmed here. Levelling and volume
are shared by every engine (base.SpeechEngine); where eSpeak NG comes from is espeak.py.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import queue
import re
import tempfile
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

from narrator.errors import EngineError, NarratorError, OptionError
from narrator.interrupts import deferred_interrupts
from narrator.options import VoiceOptions
from narrator.sound.audio import (
    EDGE_PAD_MS,
    SILENCE_THRESHOLD_DBFS,
    read_wav_mono16,
    trim_silence,
)
from narrator.speech.base import OnSpoken, SilentClipError, SpeechEngine, Spoken, Voice
from narrator.speech.espeak import espeak_version, load_espeak
from narrator.speech.espeak_check import check_data, check_sentences, data_digest
from narrator.speech.speakable import TEXT_RULES_VERSION, speakable

DEFAULT_VOICE = "gmw/en-us"
"""The clearest English voice by measurement: `scripts/bench --voice --sweep`, in the README."""
VOICES_BY_LANGUAGE = {
    "en": DEFAULT_VOICE,
    "de": "gmw/de",
    "es": "roa/es",
    "fr": "roa/fr",
    "it": "roa/it",
    # Brazilian Portuguese: most of the language's speakers, and as clear as eSpeak's European
    # Portuguese to a listener from Portugal.
    "pt": "roa/pt-br",
}
"""eSpeak NG's voice for each cue language (narrator/lang/cues), by its id."""
SYNTH_TIMEOUT_S = 60.0
SYNTH_ATTEMPTS = 3
ESPEAK_SLOWEST = 80
"""eSpeak NG speaks no slower than this many words a minute, whatever it is asked."""
PLAUSIBLE_PACE = (0.45, 3.0)
"""A clip of 8 words or more, at words a minute over the rate asked, falls within this;
eSpeak's own pace varies from about 0.7 to 1.65 with the words, at every rate."""


class WrongRateError(SilentClipError):
    """eSpeak NG spoke an utterance at another rate than the one asked: spoken again."""


def pace(text: str, spoken: Spoken, rate: int) -> float | None:
    """Measured words a minute of a clip over the rate asked (None under 8 words)."""
    words = len(re.findall(r"[\w']+", text))
    seconds = len(spoken.pcm) / 2 / spoken.rate
    if words < 8 or seconds <= 0:
        return None
    return words / seconds * 60 / max(rate, ESPEAK_SLOWEST)


def _installed_version(package: str, module: str | None = None) -> str:
    """The version in the package's dist-info folder name, found beside its `module` (the
    package's own name unless given); importlib.metadata scans every installed
    distribution, which costs more than a warm rebuild can spare."""
    spec = importlib.util.find_spec(module or package)
    if spec is None or spec.origin is None:
        return "?"
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob(f"{package}-*.dist-info"))
    return found[-1].name[len(package) + 1 : -len(".dist-info")] if found else "?"


class _QuietStdout(io.StringIO):
    """Swallows pyttsx3's own prints ("Audio saved to ...")."""


class Pyttsx3Synthesizer(SpeechEngine):
    """eSpeak NG through pyttsx3, with its known traps handled.

    One engine lives for the whole process (eSpeak NG can only be initialised once), and
    one clip is made per runAndWait: several save_to_file calls before one run keep only
    the last file.
    """

    _engine: Any = None
    _lock = threading.Lock()

    name = "pyttsx3"

    def __init__(self, options: VoiceOptions | None = None, language: str = "en") -> None:
        super().__init__(options, language)
        options = self.options
        self._location = load_espeak()
        # Starting the engine costs more than a warm rebuild's whole mix, so the default voice
        # is taken on trust and the engine started only when a clip is missing from the cache.
        self.voice_id = (
            self.voice_for(language) or DEFAULT_VOICE if options.voice is None
            else self._resolve_voice(options.voice)
        )
        self._engine_version = f"{_installed_version('pyttsx3')}/{espeak_version()}"

    @classmethod
    def _get_engine(cls) -> Any:
        if cls._engine is None:
            # A crash inside eSpeak NG would end narrator without a word: its data is
            # first tried in a child process (once per data digest).
            location = load_espeak()
            check_data(location.library, location.data)
            with contextlib.redirect_stdout(_QuietStdout()):
                try:
                    import pyttsx3

                    from narrator.speech.pyttsx3_driver import register

                    cls._engine = pyttsx3.init(register())
                except Exception as exc:
                    raise EngineError(f"cannot start eSpeak NG through pyttsx3: {exc}") from exc
        return cls._engine

    @classmethod
    def list_voices(cls) -> list[Voice]:
        load_espeak()
        engine = Pyttsx3Synthesizer._get_engine()
        voices = []
        for v in engine.getProperty("voices"):
            langs = tuple(
                lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
                for lang in (v.languages or [])
            )
            voices.append(Voice(id=str(v.id), name=str(v.name), languages=langs))
        return voices

    @classmethod
    def voice_for(cls, language: str) -> str | None:
        return VOICES_BY_LANGUAGE.get(language)

    @staticmethod
    def _resolve_voice(wanted: str | None) -> str:
        voices = Pyttsx3Synthesizer.list_voices()
        wanted = wanted or DEFAULT_VOICE
        for v in voices:
            if wanted in (v.id, v.name) or wanted.lower() in (v.id.lower(), v.name.lower()):
                return v.id
        raise OptionError(f"unknown voice {wanted!r}: run `narrator voices` to list them")

    _applied: tuple[str, int, float] | None = None

    def _apply_voice(self, engine: Any) -> None:
        # Properties are set only when they change: a voice set again costs eSpeak NG a
        # reload of its data.
        # eSpeak speaks at full volume: the clip is levelled afterwards and --volume applied then.
        wanted = (self.voice_id, self.options.rate, 1.0)
        if Pyttsx3Synthesizer._applied != wanted:
            engine.setProperty("voice", self.voice_id)
            engine.setProperty("rate", self.options.rate)
            engine.setProperty("volume", 1.0)
            Pyttsx3Synthesizer._applied = wanted

    @property
    def speech_identity(self) -> dict[str, object]:
        return {
            "stage": "spoken",
            "engine": "pyttsx3-espeak",
            "engine_version": self._engine_version,
            "voice": self.voice_id,
            "rate": self.options.rate,
            "language": self.language,
            "text_rules": TEXT_RULES_VERSION,
            "espeak_data": data_digest(self._location.data, self._location.library),
            "trim": [SILENCE_THRESHOLD_DBFS, EDGE_PAD_MS],
        }

    def speak(self, text: str) -> Spoken:
        # eSpeak NG now and then ends an utterance without audio (seen right after a voice
        # change); asking again gives the clip.
        check_sentences([text])
        for attempt in range(SYNTH_ATTEMPTS):
            with contextlib.closing(self._utterances([text])) as finished:
                for _, path, rate in finished:
                    try:
                        return self._read_spoken(path, text, rate)
                    except SilentClipError:
                        if attempt + 1 == SYNTH_ATTEMPTS:
                            raise
        raise AssertionError("unreachable")

    def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
        """Speak `texts` in order, each passed to `on_spoken` as soon as it is ready.

        """
        check_sentences(texts)  # before eSpeak NG sees them: it crashes on very long ones
        made: dict[str, Spoken] = {}
        silent: list[str] = []
        with contextlib.closing(self._utterances(texts)) as finished:
            for i, path, rate in finished:
                try:
                    made[texts[i]] = self._read_spoken(path, texts[i], rate)
                except SilentClipError:
                    silent.append(texts[i])  # asked for again, on its own, below
                    continue
                on_spoken(texts[i], made[texts[i]])
        for text in silent:
            made[text] = self.speak(text)
            on_spoken(text, made[text])
        return {t: made[t] for t in texts}

    def _read_spoken(self, path: Path, text: str, spoken_at: tuple[int, int] | None,
                     ) -> Spoken:
        """The clip, if eSpeak NG spoke it at the rate asked (read back before and after
        the utterance, and its measured pace plausible); else WrongRateError, so that it
        is spoken again and never cached."""
        try:
            raw, rate = read_wav_mono16(path)
        except EngineError as exc:
            raise SilentClipError(f"eSpeak NG gave no audio for {text[:40]!r}") from exc
        path.unlink()
        spoken = Spoken(trim_silence(raw, rate), rate)
        asked = self.options.rate
        if spoken_at is not None and spoken_at != (asked, asked):
            raise WrongRateError(f"eSpeak NG spoke {text[:40]!r} at {spoken_at} words a "
                                 f"minute, not the {asked} asked")
        measured = pace(text, spoken, asked)
        if measured is not None and not PLAUSIBLE_PACE[0] <= measured <= PLAUSIBLE_PACE[1]:
            raise WrongRateError(f"eSpeak NG spoke {text[:40]!r} at {measured:.2f} times "
                                 f"the {asked} words a minute asked")
        return spoken

    def _utterances(self, texts: list[str],
                    ) -> Generator[tuple[int, Path, tuple[int, int] | None], None, None]:
        """Each text spoken into a WAV file, yielded as (its index, the file, the rate read
        back before and after it) once written.

        One utterance at a time: the driver writes to the file named last, so the next
        save_to_file waits until the driver reports the one before it done (READY).
        """
        from narrator.speech.pyttsx3_driver import READY

        engine = self._get_engine()
        driver = getattr(getattr(engine, "proxy", None), "_driver", None)
        ready: queue.SimpleQueue[bool] = queue.SimpleQueue()
        speaking: str | None = None
        with self._lock, tempfile.TemporaryDirectory(prefix="narrator-tts-") as tmp, \
                contextlib.redirect_stdout(_QuietStdout()):
            token = engine.connect(READY, lambda name: ready.put(True))

            def start(i: int) -> Path:
                nonlocal speaking
                target = Path(tmp) / f"{i}.wav"
                self._apply_voice(engine)
                engine.save_to_file(speakable(texts[i], self.language), str(target))
                engine.runAndWait()  # returns once the utterance has started
                speaking = texts[i]
                return target

            def wait() -> None:
                nonlocal speaking
                try:
                    ready.get(timeout=SYNTH_TIMEOUT_S)
                except queue.Empty:
                    raise EngineError(
                        f"eSpeak NG produced no audio for {str(speaking)[:40]!r}") from None
                speaking = None

            try:
                with deferred_interrupts():
                    following = start(0) if texts else None
                for i in range(len(texts)):
                    written = following
                    with deferred_interrupts():
                        wait()
                        spoken_at = getattr(driver, "spoken_at", None)
                        following = start(i + 1) if i + 1 < len(texts) else None
                    assert written is not None
                    yield i, written, spoken_at
            except NarratorError:
                raise
            except Exception as exc:
                raise EngineError(f"eSpeak NG failed on {str(speaking)[:40]!r}: {exc}") from exc
            finally:
                # A caller that stops early leaves one utterance speaking: let it end before
                # its folder goes, or the driver would fail writing it, on eSpeak's thread.
                if speaking is not None:
                    with deferred_interrupts(), contextlib.suppress(queue.Empty):
                        ready.get(timeout=SYNTH_TIMEOUT_S)
                engine.disconnect(token)
