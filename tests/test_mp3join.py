"""An MP3 encoded in parts at once and joined decodes as one encode would, to the sample."""

from __future__ import annotations

import math
import random
import struct
from array import array
from pathlib import Path

import pytest
from measure import decode

from narrator.errors import EngineError
from narrator.publish.encode import encode_mp3, encode_mp3_parts, gapless_length
from narrator.publish.mp3join import (
    CUT_MARGIN,
    JOIN_QUIET,
    LAME_DELAY,
    MP3_FRAME,
    crc16,
    crc16_join,
    crc16_prefix,
    cut_points,
    frames,
    info_tag,
    part_ranges,
)

RATE = 44100


def test_crc_of_a_join_and_of_a_prefix_match_the_crc_worked_out_directly() -> None:
    rng = random.Random(5)
    for _ in range(20):
        a = rng.randbytes(rng.randrange(0, 3000))
        b = rng.randbytes(rng.randrange(0, 3000))
        assert crc16_join(crc16(a), crc16(b), len(b)) == crc16(a + b)
        assert crc16_prefix(crc16(a + b), b) == crc16(a)
    # The check value of CRC-16/ARC, the CRC ffmpeg writes in the LAME tag.
    assert crc16(b"123456789") == 0xBB3D


def test_cuts_are_frame_aligned_inside_silence_with_room_for_the_delay() -> None:
    total = 300 * RATE
    silences = [(0, 5 * RATE), (100 * RATE, 100 * RATE + 5000), (140 * RATE, 152 * RATE),
                (260 * RATE, 261 * RATE)]
    cuts = cut_points(silences, total, 2)
    assert len(cuts) == 1
    cut = cuts[0]
    assert cut % MP3_FRAME == 0
    # The short span at 100 s cannot hold the margins; 150 s is the middle and is silent.
    assert 140 * RATE + LAME_DELAY + CUT_MARGIN <= cut <= 152 * RATE - CUT_MARGIN
    assert abs(cut - total // 2) < MP3_FRAME
    assert cut_points(silences, total, 1) == []
    assert cut_points([], total, 2) == []
    # No part shorter than the minimum: a cut near the start is not taken.
    assert cut_points([(0, 5 * RATE)], total, 2) == []


def test_each_part_encodes_up_to_the_delay_before_the_next_cut() -> None:
    assert part_ranges([11520, 23040], 30000) == [
        (0, 11520 - LAME_DELAY, 10), (11520, 23040 - LAME_DELAY, 10), (23040, 30000, None)]
    assert part_ranges([], 30000) == [(0, 30000, None)]


def _bursts(seconds: list[float], gap: float) -> tuple[bytes, list[tuple[int, int]]]:
    """Noisy tones separated by digital silence, and where the silences are."""
    rng = random.Random(3)
    samples = array("h")
    silences = []
    for index, length in enumerate(seconds):
        step = 2 * math.pi * (220 + 90 * index) / RATE
        samples.extend(int(9000 * math.sin(step * n) * (0.6 + 0.4 * rng.random()))
                       for n in range(int(length * RATE)))
        start = len(samples)
        samples.extend(bytes(int(gap * RATE)))
        silences.append((start, len(samples)))
    samples.extend(bytes(gapless_length(len(samples)) - len(samples)))
    return samples.tobytes(), silences


def _rms_difference(a: list[int], b: list[int]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) / len(a))


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    pcm, silences = _bursts([0.8, 1.0, 0.6, 0.9, 0.5, 0.7], gap=0.6)
    total = len(pcm) // 2
    cuts = cut_points(silences, total, 3, min_part=RATE)
    folder = tmp_path_factory.mktemp("join")
    joined, single = folder / "joined.mp3", folder / "single.mp3"
    encode_mp3_parts(lambda start, end: [pcm[2 * start:2 * end]], total, cuts, joined)
    encode_mp3([pcm], single)
    source = list(struct.unpack(f"<{total}h", pcm))
    return {"pcm": pcm, "source": source, "cuts": cuts, "joined": joined, "single": single,
            "joined_samples": decode(joined), "single_samples": decode(single)}


@pytest.mark.e2e
def test_a_joined_file_decodes_to_the_planned_length_and_leaves_no_part_behind(
    encoded: dict[str, object],
) -> None:
    source = encoded["source"]
    assert isinstance(source, list)
    assert len(encoded["cuts"]) == 2  # type: ignore[arg-type]
    assert len(encoded["joined_samples"]) == len(source)  # type: ignore[arg-type]
    joined = encoded["joined"]
    assert isinstance(joined, Path)
    assert sorted(p.name for p in joined.parent.iterdir()) == ["joined.mp3", "single.mp3"]


@pytest.mark.e2e
def test_at_each_join_the_silence_is_exact_and_the_sound_matches_one_encode(
    encoded: dict[str, object],
) -> None:
    source, joined, single = (encoded[k] for k in ("source", "joined_samples",
                                                    "single_samples"))
    assert isinstance(source, list) and isinstance(joined, list) and isinstance(single, list)
    for cut in encoded["cuts"]:  # type: ignore[attr-defined]
        assert set(source[cut - LAME_DELAY - CUT_MARGIN:cut + CUT_MARGIN]) == {0}
        around = slice(cut - LAME_DELAY - JOIN_QUIET, cut + JOIN_QUIET)
        assert set(joined[around]) == {0}, f"not silent at the join at {cut}"
    # Over the whole file the joined encode is as close to the source as one encode is,
    # and close to that one encode: the parts differ only by the codec's own noise.
    codec_noise = _rms_difference(single, source)
    assert codec_noise > 50  # the measure can see the codec at all
    assert _rms_difference(joined, source) < 1.1 * codec_noise
    assert _rms_difference(joined, single) < 0.5 * codec_noise
    # Sound right after each join (where the second part starts) is where a join would
    # click: compare the first 50 ms of sound after the join with the one-process encode.
    for cut in encoded["cuts"]:  # type: ignore[attr-defined]
        onset = next(n for n in range(cut, len(source)) if source[n] != 0)
        window = slice(onset, onset + RATE // 20)
        assert _rms_difference(joined[window], single[window]) < codec_noise


@pytest.mark.e2e
def test_the_info_header_describes_the_whole_joined_file(encoded: dict[str, object]) -> None:
    joined = encoded["joined"]
    assert isinstance(joined, Path)
    data = joined.read_bytes()
    all_frames = list(frames(joined))
    info = data[:all_frames[0].size]
    tag = info_tag(info)
    frame_count = int.from_bytes(info[tag.frames_at:tag.frames_at + 4], "big")
    size = int.from_bytes(info[tag.frames_at + 4:tag.frames_at + 8], "big")
    assert frame_count == len(all_frames) - 1  # the Info frame is not counted
    assert size == len(data)
    lame = tag.lame_at
    delay_padding = int.from_bytes(info[lame + 21:lame + 24], "big")
    delay, padding = delay_padding >> 12, delay_padding & 0xFFF
    assert delay == 576
    assert frame_count * MP3_FRAME - delay - padding == len(encoded["source"])  # type: ignore[arg-type]
    assert int.from_bytes(info[lame + 28:lame + 32], "big") == len(data)
    audio = data[all_frames[1].offset:]
    assert int.from_bytes(info[lame + 32:lame + 34], "big") == crc16(audio)
    unsealed = bytearray(info[:190])
    unsealed[lame + 34:lame + 36] = b"\0\0"
    assert int.from_bytes(info[lame + 34:lame + 36], "big") == crc16(bytes(unsealed))
    # The seek table climbs from 0 through the file; at 50 % it points near the middle.
    toc = info[tag.toc_at:tag.toc_at + 100]
    assert toc[0] == 0 and list(toc) == sorted(toc)
    assert abs(toc[50] - 128) <= 2


@pytest.mark.e2e
def test_a_part_that_ffmpeg_cut_short_is_an_engine_error(tmp_path: Path) -> None:
    pcm, silences = _bursts([0.5, 0.5, 0.5], gap=0.6)
    total = len(pcm) // 2
    cuts = cut_points(silences, total, 2, min_part=RATE // 2)
    assert cuts
    target = tmp_path / "x.mp3"
    with pytest.raises(EngineError):
        # The first part is fed only half of its samples: it then holds too few frames.
        encode_mp3_parts(lambda start, end: [pcm[2 * start:start + end]], total, cuts, target)
    assert [p.name for p in tmp_path.iterdir()] in ([], ["x.mp3"])
