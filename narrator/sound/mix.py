"""Timeline + clips -> the session's PCM, rendered in blocks so memory stays flat.

Nothing here concatenates segments: each block is a zeroed buffer into which every sound
that touches it is added, so the cost is linear in the session's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from narrator.model import SAMPLE_RATE, Timeline
from narrator.sound.audio import SAMPLE_WIDTH, Clip, Sound, audioop
from narrator.sound.loudness import limit_block

BLOCK_SAMPLES = SAMPLE_RATE * 10


@dataclass(frozen=True)
class Placed:
    start: int
    clip: Sound

    @property
    def end(self) -> int:
        return self.start + self.clip.samples


def placed_sounds(
    timeline: Timeline, clips: Mapping[str, Sound], bells: Mapping[str, Clip]
) -> list[Placed]:
    """Every audible event of the timeline with the clip that sounds there, in time order."""
    sounds = []
    for event in timeline.events:
        if event.kind == "speech" and event.text is not None:
            sounds.append(Placed(event.start, clips[event.text]))
        elif event.kind == "bell" and event.text is not None:
            sounds.append(Placed(event.start, bells[event.text]))
    return sorted(sounds, key=lambda p: p.start)


def silent_spans(sounds: Iterable[Placed], total: int) -> Iterator[tuple[int, int]]:
    """The spans (start, end) of [0, total) where no sound plays: with no bed under the
    session, the mix is exactly zero there (the limiter leaves silence alone)."""
    position = 0
    for sound in sorted(sounds, key=lambda s: s.start):
        if sound.start > position:
            yield position, sound.start
        position = max(position, sound.end)
    if position < total:
        yield position, total


def render(
    timeline: Timeline,
    clips: Mapping[str, Sound],
    bells: Mapping[str, Clip],
    *,
    block_samples: int = BLOCK_SAMPLES,
    bed: Callable[[int, int], bytes] | None = None,
    start: int = 0,
    end: int | None = None,
) -> Iterator[bytes]:
    """The session as consecutive blocks of 16-bit mono PCM, `timeline.total` samples in all,
    or only samples [start, end) of it.

    `bed(start, end)`, if given, is a background (ambience) that each block starts from.
    Blocks keep one grid from the session's start whatever the range, so that a range
    holds the very samples the whole would (the limiter works block by block).
    """
    end = timeline.total if end is None else min(end, timeline.total)
    sounds = placed_sounds(timeline, clips, bells)
    pending = 0
    active: list[Placed] = []
    for block_start in range(start // block_samples * block_samples, end, block_samples):
        block_end = min(block_start + block_samples, timeline.total)
        while pending < len(sounds) and sounds[pending].start < block_end:
            active.append(sounds[pending])
            pending += 1
        active = [s for s in active if s.end > block_start]
        block = (bytearray(bed(block_start, block_end)) if bed
                 else bytearray((block_end - block_start) * SAMPLE_WIDTH))
        for sound in active:
            first = max(sound.start, block_start)
            last = min(sound.end, block_end)
            if last <= first:
                continue
            piece = sound.clip.pcm[(first - sound.start) * SAMPLE_WIDTH:
                                   (last - sound.start) * SAMPLE_WIDTH]
            a, b = (first - block_start) * SAMPLE_WIDTH, (last - block_start) * SAMPLE_WIDTH
            block[a:b] = audioop.add(bytes(block[a:b]), piece, SAMPLE_WIDTH)
        limited = limit_block(bytes(block))
        if block_start < start or block_end > end:
            limited = limited[(max(start, block_start) - block_start) * SAMPLE_WIDTH:
                              (min(end, block_end) - block_start) * SAMPLE_WIDTH]
        yield limited
