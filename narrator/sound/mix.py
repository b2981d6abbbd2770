"""Timeline + clips -> the session's PCM, rendered in blocks so memory stays flat.

Nothing here concatenates segments: each block is a zeroed buffer into which every sound
that touches it is added, so the cost is linear in the session's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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


def render(
    timeline: Timeline,
    clips: Mapping[str, Sound],
    bells: Mapping[str, Clip],
    *,
    block_samples: int = BLOCK_SAMPLES,
    bed: Callable[[int, int], bytes] | None = None,
) -> Iterator[bytes]:
    """The session as consecutive blocks of 16-bit mono PCM, `timeline.total` samples in all.

    `bed(start, end)`, if given, is a background (ambience) that each block starts from.
    """
    sounds = placed_sounds(timeline, clips, bells)
    pending = 0
    active: list[Placed] = []
    for block_start in range(0, timeline.total, block_samples):
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
        yield limit_block(bytes(block))
