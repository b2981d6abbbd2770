from __future__ import annotations

import struct

from narrator.model import Event, Timeline
from narrator.sound.audio import Clip
from narrator.sound.loudness import PEAK_CEILING_DBFS, db_to_gain
from narrator.sound.mix import render


def _tone(n: int, value: int) -> Clip:
    return Clip(struct.pack(f"<{n}h", *([value] * n)))


def _timeline(total: int, *events: Event) -> Timeline:
    return Timeline(title="t", total=total, events=events, chapters=())


def _samples(blocks: list[bytes]) -> list[int]:
    data = b"".join(blocks)
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def test_each_sound_starts_on_its_sample_whatever_the_block_size() -> None:
    clips = {"a": _tone(30, 1000), "b": _tone(5, 7)}
    bells = {"start": _tone(10, 3)}
    timeline = _timeline(
        100,
        Event("speech", 17, 47, text="a"),
        Event("bell", 40, 50, text="start", overlay=True),
        Event("speech", 95, 100, text="b"),
    )
    for block in (1, 7, 16, 100, 1000):
        out = _samples(list(render(timeline, clips, bells, block_samples=block)))
        assert len(out) == 100
        assert out[:17] == [0] * 17
        assert out[17:40] == [1000] * 23
        assert out[40:47] == [1003] * 7  # mixed, not replaced
        assert out[47:50] == [3] * 3
        assert out[50:95] == [0] * 45
        assert out[95:] == [7] * 5


def test_overlapping_loud_sounds_are_limited_instead_of_wrapping() -> None:
    clips = {"a": _tone(4, 30000), "b": _tone(4, 30000)}
    timeline = _timeline(4, Event("speech", 0, 4, text="a"), Event("speech", 0, 4, text="b"))
    out = _samples(list(render(timeline, clips, {})))
    ceiling = round(32767 * db_to_gain(PEAK_CEILING_DBFS))
    assert len(set(out)) == 1 and ceiling - 2 <= out[0] <= ceiling + 2


def test_a_sound_past_the_end_is_cut_at_the_session_length() -> None:
    timeline = _timeline(10, Event("bell", 8, 18, text="end", overlay=True))
    out = _samples(list(render(timeline, {}, {"end": _tone(10, 5)}, block_samples=4)))
    assert out == [0] * 8 + [5, 5]
