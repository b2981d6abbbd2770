"""Speech: the Synthesizer protocol, the pyttsx3 synthesizer, and the clip cache.

Every clip that leaves this module is 16-bit mono PCM at SAMPLE_RATE with its leading and
trailing silence trimmed, so that the schedule, not the engine, decides every pause.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math
import multiprocessing
import os
import signal
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from narrator.audio import Clip, read_clip, read_wav_as_clip, trim_silence, wav_bytes
from narrator.cache import cache_root, content_key, drop_entry, write_entry
from narrator.engines import espeak_version, load_espeak
from narrator.errors import EngineError, NarratorError, OptionError
from narrator.interrupts import deferred_interrupts, ignored_interrupts
from narrator.loudness import CLIP_LOUDER_LU, TARGET_LUFS, Leveling, level_speech
from narrator.speakable import TEXT_RULES_VERSION, speakable

DEFAULT_RATE = 150
"""Words per minute: calm for someone following on a mat, yet still natural; eSpeak's own
default is 175, and below about 140 its vowels drag."""
DEFAULT_VOICE = "gmw/en"
SYNTH_TIMEOUT_S = 60.0
SYNTH_ATTEMPTS = 3


class SilentClipError(EngineError):
    """The engine finished an utterance without producing any audio."""


@dataclass(frozen=True)
class VoiceOptions:
    voice: str | None = None
    """A voice id or name as `narrator voices` lists it; None picks a clear English voice."""
    rate: int = DEFAULT_RATE
    volume: float = 1.0
    """Voice level: 1.0 is the -16 LUFS podcast level; 0.5 is 6 dB quieter."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


class Synthesizer(Protocol):
    """Turns text into a clip. `identity` names everything that changes the sound."""

    @property
    def identity(self) -> dict[str, object]: ...

    def synthesize(self, text: str) -> Clip: ...


# --------------------------------------------------------------------------- pyttsx3


def _installed_version(package: str) -> str:
    """The version in the package's dist-info folder name; importlib.metadata scans every
    installed distribution, which costs more than a warm rebuild can spare."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return "?"
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob(f"{package}-*.dist-info"))
    return found[-1].name[len(package) + 1 : -len(".dist-info")] if found else "?"


class _QuietStdout(io.StringIO):
    """Swallows pyttsx3's own prints ("Audio saved to ...")."""


class Pyttsx3Synthesizer:
    """eSpeak NG through pyttsx3, with its known traps handled.

    One engine lives for the whole process (eSpeak NG can only be initialised once), and
    one clip is made per runAndWait: several save_to_file calls before one run keep only
    the last file.
    """

    _engine: Any = None
    _lock = threading.Lock()

    def __init__(self, options: VoiceOptions = VoiceOptions()) -> None:
        self.options = options
        self._location = load_espeak()
        # Starting the engine costs more than a warm rebuild's whole mix, so the default voice
        # is taken on trust and the engine started only when a clip is missing from the cache.
        self.voice_id = (
            DEFAULT_VOICE if options.voice is None
            else self._resolve_voice(options.voice)
        )
        if not 50 <= options.rate <= 400:
            raise OptionError(f"--rate {options.rate} is out of range (50 to 400 words a minute)")
        if not 0.0 < options.volume <= 1.0:
            raise OptionError(f"--volume {options.volume} is out of range (above 0, up to 1)")
        self._engine_version = f"{_installed_version('pyttsx3')}/{espeak_version()}"
        # eSpeak always speaks at full scale (best resolution); --volume is applied when the
        # clip is levelled, since levelling would otherwise undo it.
        volume_db = 20 * math.log10(options.volume)
        self.leveling = Leveling(target_lufs=TARGET_LUFS + CLIP_LOUDER_LU + volume_db)

    @classmethod
    def _get_engine(cls) -> Any:
        if cls._engine is None:
            with contextlib.redirect_stdout(_QuietStdout()):
                try:
                    import pyttsx3

                    cls._engine = pyttsx3.init("espeak")
                except Exception as exc:
                    raise EngineError(f"cannot start eSpeak NG through pyttsx3: {exc}") from exc
        return cls._engine

    @staticmethod
    def list_voices() -> list[Voice]:
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
        # Setting a voice while eSpeak NG's thread is still finishing the last utterance can
        # make the next one come back silent, so properties are set only when they change.
        # eSpeak speaks at full volume: the clip is levelled afterwards and --volume applied then.
        wanted = (self.voice_id, self.options.rate, 1.0)
        if Pyttsx3Synthesizer._applied != wanted:
            engine.setProperty("voice", self.voice_id)
            engine.setProperty("rate", self.options.rate)
            engine.setProperty("volume", 1.0)
            Pyttsx3Synthesizer._applied = wanted

    def synthesize_many(self, texts: list[str], on_made: OnMade) -> dict[str, Clip]:
        if len(texts) >= PARALLEL_MIN_CLIPS and (os.cpu_count() or 1) > 1:
            return _synthesize_in_two_processes(texts, self, on_made)
        return _synthesize_here(texts, self, on_made)

    @property
    def identity(self) -> dict[str, object]:
        return {
            "engine": "pyttsx3-espeak",
            "engine_version": self._engine_version,
            "voice": self.voice_id,
            "rate": self.options.rate,
            "volume": self.options.volume,
            "leveling": self.leveling.identity,
            "text_rules": TEXT_RULES_VERSION,
        }

    def synthesize(self, text: str) -> Clip:
        # eSpeak NG now and then ends an utterance without audio (seen right after a voice
        # change); asking again gives the clip.
        for attempt in range(SYNTH_ATTEMPTS):
            try:
                return self._synthesize_once(text)
            except SilentClipError:
                if attempt + 1 == SYNTH_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _synthesize_once(self, text: str) -> Clip:
        engine = self._get_engine()
        with self._lock, tempfile.TemporaryDirectory(prefix="narrator-tts-") as tmp:
            target = Path(tmp) / "clip.wav"
            finished = threading.Event()

            def on_finish(name: object, completed: bool) -> None:
                finished.set()

            token = engine.connect("finished-utterance", on_finish)
            quiet = _QuietStdout()
            try:
                with deferred_interrupts(), contextlib.redirect_stdout(quiet):
                    self._apply_voice(engine)
                    engine.save_to_file(speakable(text), str(target))
                    engine.runAndWait()
                    # The first runAndWait of a fresh engine can return before the file exists.
                    deadline = time.monotonic() + SYNTH_TIMEOUT_S
                    while not (finished.is_set() and target.exists()):
                        if time.monotonic() > deadline:
                            raise EngineError(f"eSpeak NG produced no audio for {text[:40]!r}")
                        time.sleep(0.005)
            except NarratorError:
                raise
            except Exception as exc:
                raise EngineError(f"eSpeak NG failed on {text[:40]!r}: {exc}") from exc
            finally:
                engine.disconnect(token)
            try:
                raw = read_wav_as_clip(target)
            except EngineError as exc:
                raise SilentClipError(f"eSpeak NG gave no audio for {text[:40]!r}") from exc
        # Outside the engine lock: levelling is pure computation on the clip.
        return level_speech(trim_silence(raw), self.leveling)


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    return cache_root() / "clips"


class ClipCache:
    """Content-addressed clips: the key is everything that changes the sound, and the text.

    Entries are written to a temporary file and renamed into place, and checked when read:
    a damaged entry is deleted and made again, never served.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()

    @staticmethod
    def key(identity: dict[str, object], text: str) -> str:
        return content_key({"identity": identity, "text": text})

    def path_for(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Clip | None:
        path = self.path_for(key)
        if not path.exists():
            return None
        try:
            return read_clip(path)
        except (NarratorError, OSError, EOFError, wave.Error):
            drop_entry(path)
            return None

    def put(self, key: str, clip: Clip) -> None:
        write_entry(self.path_for(key), wav_bytes(clip))


@dataclass
class SpeechStats:
    synthesized: int = 0
    cached: int = 0


PARALLEL_MIN_CLIPS = 24
"""Below this many missing clips, a second process costs more to start than it saves."""


def synthesize_all(
    texts: Iterable[str],
    synthesizer: Synthesizer,
    cache: ClipCache | None,
    *,
    on_clip: Callable[[str], None] | None = None,
    stats: SpeechStats | None = None,
) -> dict[str, Clip]:
    """A clip for every text, from the cache where possible."""
    identity = synthesizer.identity
    ordered = list(dict.fromkeys(texts))
    found: dict[str, Clip] = {}
    for text in ordered:
        clip = cache.get(ClipCache.key(identity, text)) if cache else None
        if clip is not None:
            found[text] = clip
            if on_clip:
                on_clip(text)
    missing = [t for t in ordered if t not in found]

    def keep(text: str, clip: Clip) -> None:
        # Cached as soon as it is made, so an interrupted build keeps what it has spoken.
        if cache:
            cache.put(ClipCache.key(identity, text), clip)
        if on_clip:
            on_clip(text)

    # A synthesizer that can speak many texts faster than one by one says so with a method.
    many = getattr(synthesizer, "synthesize_many", None)
    made = many(missing, keep) if many else _synthesize_here(missing, synthesizer, keep)
    if stats:
        stats.cached += len(found)
        stats.synthesized += len(made)
    return {t: found[t] if t in found else made[t] for t in ordered}


OnMade = Callable[[str, Clip], None]
"""Called with each clip as soon as it is made."""


def _synthesize_here(texts: list[str], synthesizer: Synthesizer,
                     on_made: OnMade) -> dict[str, Clip]:
    made = {}
    for text in texts:
        made[text] = synthesizer.synthesize(text)
        on_made(text, made[text])
    return made


HELPER_SHARE = 0.4
"""The helper process starts later (a fresh interpreter and engine), so it takes the smaller
part of the list."""


def _synthesize_in_two_processes(texts: list[str], synthesizer: Pyttsx3Synthesizer,
                                 on_made: OnMade) -> dict[str, Clip]:
    """This process speaks the front of the list while a helper process speaks the back.

    eSpeak NG speaks one utterance at a time per process, so the second core needs a second
    process. Should the helper fail to start, its part is spoken here.
    """
    split = len(texts) - round(len(texts) * HELPER_SHARE)
    mine, theirs = texts[:split], texts[split:]
    context = multiprocessing.get_context("spawn")  # a fresh engine: never fork eSpeak's threads
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=_helper_start,
                               initargs=(synthesizer.options,))
    finished = False
    try:
        # The helper starts with Ctrl-C ignored (a disposition survives exec), so a Ctrl-C
        # during its start-up cannot print a traceback from it; the main process handles it.
        with ignored_interrupts():
            helped = pool.submit(_helper_synthesize, theirs)
        made = _synthesize_here(mine, synthesizer, on_made)
        try:
            theirs_made = dict(zip(theirs, map(Clip, helped.result()), strict=True))
        except Exception:
            # Whatever stopped the helper (it could not start, or a clip failed there), this
            # process can still do its part, and reports any real fault itself.
            theirs_made = _synthesize_here(theirs, synthesizer, on_made)
        else:
            for text, clip in theirs_made.items():
                on_made(text, clip)
        made.update(theirs_made)
        finished = True
        return made
    finally:
        # On Ctrl-C or an error, do not wait for the helper's part: it ends on its own.
        pool.shutdown(wait=finished, cancel_futures=True)


_helper: Pyttsx3Synthesizer | None = None


def _helper_start(options: VoiceOptions) -> None:
    global _helper
    # Ctrl-C is the main process's to handle; it stops this one when it shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # An initializer that raises is logged with its traceback on stderr, which a user must
    # never see; the failure is reported to the main process through the work instead.
    with contextlib.suppress(Exception):
        _helper = Pyttsx3Synthesizer(options)


def _helper_synthesize(texts: list[str]) -> list[bytes]:
    if _helper is None:
        raise EngineError("the helper process could not start eSpeak NG")
    return [_helper.synthesize(text).pcm for text in texts]
