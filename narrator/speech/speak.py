"""Speaking a script's texts: each distinct one once, from the cache where it can be.

Every clip that leaves here is 16-bit mono PCM at SAMPLE_RATE with its leading and
trailing silence trimmed, so that the schedule, not the engine, decides every pause.

Speaking and levelling are two stages. The schedule needs only each clip's length, which
speaking fixes; levelling, the costlier part, waits until ffmpeg is encoding on the other
core (PendingClip, finish_in_background).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from narrator.errors import EngineError
from narrator.sound.audio import Clip, Sound
from narrator.speech.base import Spoken, StagedSynthesizer, Synthesizer
from narrator.speech.cache import ClipCache

_Entry = TypeVar("_Entry")


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


