"""Speech: the Synthesizer protocols, the pyttsx3 synthesizer, and the clip cache.

Every clip that leaves this module is 16-bit mono PCM at SAMPLE_RATE with its leading and
trailing silence trimmed, so that the schedule, not the engine, decides every pause.

Speaking and levelling are two stages. The schedule needs only each clip's length, which
speaking fixes; levelling, the costlier part, waits until ffmpeg is encoding on the other
core (PendingClip, finish_in_background).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math
import queue
import tempfile
import threading
import wave
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from narrator.cache import cache_root, content_key, drop_entry, write_entry
from narrator.errors import EngineError, NarratorError, OptionError
from narrator.interrupts import deferred_interrupts
from narrator.sound.audio import (
    EDGE_PAD_MS,
    SAMPLE_WIDTH,
    SILENCE_THRESHOLD_DBFS,
    Clip,
    Sound,
    at_session_rate,
    read_clip,
    read_wav_mono16,
    resampled_length,
    trim_silence,
    wav_bytes,
)
from narrator.sound.loudness import CLIP_LOUDER_LU, TARGET_LUFS, Leveling, level_speech
from narrator.speech.espeak import espeak_version, load_espeak
from narrator.speech.speakable import TEXT_RULES_VERSION, speakable

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


class PendingClip:
    """A spoken clip that is finished the first time its sound is asked for, by the mixer
    or by `finish_in_background`, whichever comes first; its length is known already."""

    def __init__(self, spoken: Spoken, finish: Callable[[Spoken], Clip]) -> None:
        self.samples = spoken.samples
        self._spoken: Spoken | None = spoken
        self._finish = finish
        self._clip: Clip | None = None
        self._lock = threading.Lock()

    @property
    def pcm(self) -> bytes:
        return self.finished().pcm

    def finished(self) -> Clip:
        with self._lock:
            if self._clip is None:
                assert self._spoken is not None
                clip = self._finish(self._spoken)
                if clip.samples != self.samples:
                    raise EngineError(f"a finished clip is {clip.samples} samples long, "
                                      f"not the {self.samples} it was scheduled for")
                self._clip, self._spoken = clip, None
            return self._clip


@contextlib.contextmanager
def finish_in_background(sounds: Iterable[Sound]) -> Iterator[None]:
    """Finish the pending clips among `sounds`, in order, on a thread, while the caller
    goes on (encoding): levelling holds the GIL, but the caller mostly waits on ffmpeg.
    A clip the caller needs first it finishes itself; a failure here is left for the
    caller to meet, and report, when it asks for that clip."""
    pending = [s for s in sounds if isinstance(s, PendingClip)]
    stop = threading.Event()

    def work() -> None:
        for clip in pending:
            if stop.is_set():
                return
            with contextlib.suppress(Exception):
                clip.finished()

    worker = threading.Thread(target=work, name="narrator-finish", daemon=True)
    if pending:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        if pending:
            worker.join()


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

                    from narrator.speech.pyttsx3_driver import register

                    cls._engine = pyttsx3.init(register())
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

    @property
    def speech_identity(self) -> dict[str, object]:
        return {
            "stage": "spoken",
            "engine": "pyttsx3-espeak",
            "engine_version": self._engine_version,
            "voice": self.voice_id,
            "rate": self.options.rate,
            "text_rules": TEXT_RULES_VERSION,
            "trim": [SILENCE_THRESHOLD_DBFS, EDGE_PAD_MS],
        }

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

    def speak(self, text: str) -> Spoken:
        # eSpeak NG now and then ends an utterance without audio (seen right after a voice
        # change); asking again gives the clip.
        for attempt in range(SYNTH_ATTEMPTS):
            with contextlib.closing(self._utterances([text])) as finished:
                for _, path in finished:
                    try:
                        return self._read_spoken(path, text)
                    except SilentClipError:
                        if attempt + 1 == SYNTH_ATTEMPTS:
                            raise
        raise AssertionError("unreachable")

    def speak_many(self, texts: list[str], on_spoken: OnSpoken) -> dict[str, Spoken]:
        """Speak `texts` in order, each passed to `on_spoken` as soon as it is ready.

        eSpeak NG speaks each text on its own thread while this one reads back, trims and
        stores the text before it, so the two run side by side.
        """
        made: dict[str, Spoken] = {}
        silent: list[str] = []
        with contextlib.closing(self._utterances(texts)) as finished:
            for i, path in finished:
                try:
                    made[texts[i]] = self._read_spoken(path, texts[i])
                except SilentClipError:
                    silent.append(texts[i])  # asked for again, on its own, below
                    continue
                on_spoken(texts[i], made[texts[i]])
        for text in silent:
            made[text] = self.speak(text)
            on_spoken(text, made[text])
        return {t: made[t] for t in texts}

    def finish(self, spoken: Spoken) -> Clip:
        # Levelled at eSpeak's own rate, half the session's, which halves the work; linear
        # resampling then never lifts a peak above the ceiling.
        return at_session_rate(level_speech(spoken.pcm, self.leveling, spoken.rate),
                               spoken.rate)

    @staticmethod
    def _read_spoken(path: Path, text: str) -> Spoken:
        try:
            raw, rate = read_wav_mono16(path)
        except EngineError as exc:
            raise SilentClipError(f"eSpeak NG gave no audio for {text[:40]!r}") from exc
        path.unlink()
        return Spoken(trim_silence(raw, rate), rate)

    def _utterances(self, texts: list[str]) -> Generator[tuple[int, Path], None, None]:
        """Each text spoken into a WAV file, yielded as (its index, the file) once written,
        by which time the next text is being spoken.

        One utterance at a time: the driver writes to the file named last, so the next
        save_to_file waits until the driver reports the one before it done (READY).
        """
        from narrator.speech.pyttsx3_driver import READY

        engine = self._get_engine()
        ready: queue.SimpleQueue[bool] = queue.SimpleQueue()
        speaking: str | None = None
        with self._lock, tempfile.TemporaryDirectory(prefix="narrator-tts-") as tmp, \
                contextlib.redirect_stdout(_QuietStdout()):
            token = engine.connect(READY, lambda name: ready.put(True))

            def start(i: int) -> Path:
                nonlocal speaking
                target = Path(tmp) / f"{i}.wav"
                self._apply_voice(engine)
                engine.save_to_file(speakable(texts[i]), str(target))
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
                        following = start(i + 1) if i + 1 < len(texts) else None
                    assert written is not None
                    yield i, written
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


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    return cache_root() / "clips"


_Entry = TypeVar("_Entry")


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
        return self._read(key, read_clip)

    def put(self, key: str, clip: Clip) -> None:
        write_entry(self.path_for(key), wav_bytes(clip))

    def get_spoken(self, key: str) -> Spoken | None:
        return self._read(key, lambda path: Spoken(*read_wav_mono16(path)))

    def put_spoken(self, key: str, spoken: Spoken) -> None:
        write_entry(self.path_for(key), wav_bytes(Clip(spoken.pcm), spoken.rate))

    def _read(self, key: str, read: Callable[[Path], _Entry]) -> _Entry | None:
        path = self.path_for(key)
        if not path.exists():
            return None
        try:
            return read(path)
        except (NarratorError, OSError, EOFError, wave.Error):
            drop_entry(path)
            return None


@dataclass
class SpeechStats:
    synthesized: int = 0
    """Texts the engine spoke in this run."""
    cached: int = 0
    """Texts found in the cache, spoken or finished."""


def synthesize_all(
    texts: Iterable[str],
    synthesizer: Synthesizer,
    cache: ClipCache | None,
    *,
    on_clip: Callable[[str], None] | None = None,
    stats: SpeechStats | None = None,
) -> dict[str, Sound]:
    """A clip for every text, from the cache where possible.

    With a StagedSynthesizer, clips made now (or found only as spoken) come back as
    PendingClips: their lengths are final, and they are levelled, and cached as finished,
    when first played or by `finish_in_background`.
    """
    identity = synthesizer.identity
    ordered = list(dict.fromkeys(texts))
    found: dict[str, Sound] = {}
    if cache:
        found.update(_cached(ordered, lambda text: cache.get(ClipCache.key(identity, text)),
                             on_clip))
    missing = [t for t in ordered if t not in found]
    stats = stats or SpeechStats()
    stats.cached += len(found)
    if isinstance(synthesizer, StagedSynthesizer):
        made = _speak_all(missing, synthesizer, cache, on_clip, stats)
    else:
        made = _synthesize_finished(missing, synthesizer, cache, on_clip, stats)
    return {t: found[t] if t in found else made[t] for t in ordered}


def _cached(texts: list[str], read: Callable[[str], _Entry | None],
            on_clip: Callable[[str], None] | None) -> dict[str, _Entry]:
    """What the cache holds for each of `texts` (through `read`), reported as found."""
    found: dict[str, _Entry] = {}
    for text in texts:
        entry = read(text)
        if entry is not None:
            found[text] = entry
            if on_clip:
                on_clip(text)
    return found


def _synthesize_finished(texts: list[str], synthesizer: Synthesizer, cache: ClipCache | None,
                         on_clip: Callable[[str], None] | None,
                         stats: SpeechStats) -> dict[str, Sound]:
    identity = synthesizer.identity
    made: dict[str, Sound] = {}
    for text in texts:
        clip = made[text] = synthesizer.synthesize(text)
        # Cached as soon as it is made, so an interrupted build keeps what it has spoken.
        if cache:
            cache.put(ClipCache.key(identity, text), clip)
        if on_clip:
            on_clip(text)
    stats.synthesized += len(texts)
    return made


def _speak_all(texts: list[str], synthesizer: StagedSynthesizer, cache: ClipCache | None,
               on_clip: Callable[[str], None] | None, stats: SpeechStats) -> dict[str, Sound]:
    identity, speech_identity = synthesizer.identity, synthesizer.speech_identity
    spoken: dict[str, Spoken] = {}
    if cache:
        spoken.update(_cached(
            texts, lambda text: cache.get_spoken(ClipCache.key(speech_identity, text)), on_clip))
    stats.cached += len(spoken)

    def keep(text: str, made: Spoken) -> None:
        # Cached as soon as it is spoken, so an interrupted build keeps what it has said.
        if cache:
            cache.put_spoken(ClipCache.key(speech_identity, text), made)
        if on_clip:
            on_clip(text)

    to_speak = [t for t in texts if t not in spoken]
    spoken.update(synthesizer.speak_many(to_speak, keep))
    stats.synthesized += len(to_speak)

    def finisher(text: str) -> Callable[[Spoken], Clip]:
        def finish(said: Spoken) -> Clip:
            clip = synthesizer.finish(said)
            if cache:
                cache.put(ClipCache.key(identity, text), clip)
            return clip
        return finish

    return {t: PendingClip(spoken[t], finisher(t)) for t in texts}


