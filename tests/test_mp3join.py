"""An MP3 encoded in parts at once and joined decodes as one encode would, to the sample."""

from __future__ import annotations

import itertools
import math
import random
import struct
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from measure import decode, onset_near

from narrator.errors import EngineError
from narrator.publish.encode import encode_mp3, encode_mp3_parts, gapless_length
from narrator.publish.mp3join import (
    CUT_MARGIN,
    JOIN_QUIET,
    LAME_DELAY,
    MP3_FRAME,
    Part,
    Silence,
    crc16,
    crc16_join,
    crc16_prefix,
    crc16_repeat,
    cut_points,
    frame_offsets,
    info_tag,
    join,
    part_ranges,
    plan_pieces,
)

RATE = 44100


def test_crc_of_a_join_and_of_a_prefix_match_the_crc_worked_out_directly() -> None:
    rng = random.Random(5)
    for _ in range(20):
        a = rng.randbytes(rng.randrange(0, 3000))
        b = rng.randbytes(rng.randrange(0, 3000))
        assert crc16_join(crc16(a), crc16(b), len(b)) == crc16(a + b)
        assert crc16_prefix(crc16(a + b), b) == crc16(a)
        times = rng.randrange(0, 40)
        assert crc16_repeat(crc16(a), len(a), times) == crc16(a * times)
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


def _bursts(seconds: list[float], gap: float | list[float]
            ) -> tuple[bytes, list[tuple[int, int]]]:
    """Noisy tones separated by digital silence (`gap` seconds, or one gap after each),
    and where the silences are."""
    rng = random.Random(3)
    samples = array("h")
    silences = []
    gaps = gap if isinstance(gap, list) else [gap] * len(seconds)
    for index, (length, after) in enumerate(zip(seconds, gaps, strict=True)):
        step = 2 * math.pi * (220 + 90 * index) / RATE
        samples.extend(int(9000 * math.sin(step * n) * (0.6 + 0.4 * rng.random()))
                       for n in range(int(length * RATE)))
        start = len(samples)
        samples.extend(array("h", bytes(2 * int(after * RATE))))
        silences.append((start, len(samples)))
    samples.extend(array("h", bytes(2 * (gapless_length(len(samples)) - len(samples)))))
    return samples.tobytes(), silences


def _rms_difference(a: list[int], b: list[int]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) / len(a))


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    pcm, silences = _bursts([0.8, 1.0, 0.6, 0.9, 0.5, 0.7], gap=0.6)
    total = len(pcm) // 2
    # Silences too short to be written as frames: three parts cut for three encoders.
    pieces = plan_pieces(silences, total, 3, min_part=RATE)
    assert not any(piece.silent for piece in pieces)
    cuts = [piece.start for piece in pieces[1:]]
    assert cuts == cut_points(silences, total, 3, min_part=RATE)
    folder = tmp_path_factory.mktemp("join")
    joined, single = folder / "joined.mp3", folder / "single.mp3"
    encode_mp3_parts(lambda start, end: [pcm[2 * start:2 * end]], total, pieces, joined,
                     workers=3)
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
    offsets = frame_offsets(joined)
    info = data[:offsets[1]]
    tag = info_tag(info)
    frame_count = int.from_bytes(info[tag.frames_at:tag.frames_at + 4], "big")
    size = int.from_bytes(info[tag.frames_at + 4:tag.frames_at + 8], "big")
    assert frame_count == len(offsets) - 1  # the Info frame is not counted
    assert size == len(data)
    lame = tag.lame_at
    delay_padding = int.from_bytes(info[lame + 21:lame + 24], "big")
    delay, padding = delay_padding >> 12, delay_padding & 0xFFF
    assert delay == 576
    assert frame_count * MP3_FRAME - delay - padding == len(encoded["source"])  # type: ignore[arg-type]
    assert int.from_bytes(info[lame + 28:lame + 32], "big") == len(data)
    audio = data[offsets[1]:]
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
    pieces = plan_pieces(silences, total, 2, min_part=RATE // 2)
    assert len(pieces) == 2
    target = tmp_path / "x.mp3"
    with pytest.raises(EngineError, match=r"ffmpeg wrote .* s of audio in a part, not the"):
        # The first part is fed only half of its samples: it then holds too few frames.
        encode_mp3_parts(lambda start, end: [pcm[2 * start:start + end]], total, pieces,
                         target)
    assert [p.name for p in tmp_path.iterdir()] in ([], ["x.mp3"])


# Long silences (holds) are not encoded: they are written as silent frames between parts.
GAPS = [3.0, 0.6, 4.2, 2.5, 0.6, 0.3]


@pytest.fixture(scope="module")
def with_silence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    pcm, silences = _bursts([0.8, 1.0, 0.6, 0.9, 0.5, 0.7], gap=GAPS)
    total = len(pcm) // 2
    pieces = plan_pieces(silences, total, 2, min_part=RATE, min_silence=RATE)
    folder = tmp_path_factory.mktemp("silence")
    joined, single = folder / "joined.mp3", folder / "single.mp3"
    fed: list[tuple[int, int]] = []

    def render(start: int, end: int) -> list[bytes]:
        fed.append((start, end))
        return [pcm[2 * start:2 * end]]

    encode_mp3_parts(render, total, pieces, joined)
    encode_mp3([pcm], single)
    return {"pcm": pcm, "source": list(struct.unpack(f"<{total}h", pcm)),
            "silences": silences, "pieces": pieces, "fed": fed, "joined": joined,
            "joined_samples": decode(joined), "single_samples": decode(single)}


def test_only_long_silences_become_silent_pieces_and_the_pieces_tile_the_session() -> None:
    pcm, silences = _bursts([0.8, 1.0, 0.6, 0.9, 0.5, 0.7], gap=GAPS)
    total = len(pcm) // 2
    pieces = plan_pieces(silences, total, 2, min_part=RATE, min_silence=RATE)
    # The 3.0, 4.2 and 2.5 s gaps, not the 0.6 s ones nor the 0.3 s one at the end.
    assert [piece.silent for piece in pieces] == [False, True, False, True, False, True, False]
    assert pieces[0].start == 0 and pieces[-1].end == total and pieces[-1].keep is None
    for before, after in itertools.pairwise(pieces):
        assert before.end == after.start and before.end % MP3_FRAME == 0
        assert before.keep == (before.end - before.start) // MP3_FRAME
        assert before.feed_end == before.end - LAME_DELAY
    for piece in pieces:
        if piece.silent:  # with a cut's margins on both sides, inside one silence
            assert any(start <= piece.start - LAME_DELAY - CUT_MARGIN
                       and piece.end + CUT_MARGIN <= end for start, end in silences)
    # Nothing long enough: the cut for two encoders only, as before.
    halves = plan_pieces(silences, total, 2, min_part=RATE, min_silence=10 * RATE)
    assert not any(piece.silent for piece in halves)
    assert [piece.start for piece in halves[1:]] == cut_points(silences, total, 2,
                                                                min_part=RATE)
    assert plan_pieces([], total, 2) == [type(pieces[0])(0, total, total, None)]


@pytest.mark.e2e
def test_silence_is_never_fed_to_an_encoder(with_silence: dict[str, object]) -> None:
    pieces, fed = with_silence["pieces"], with_silence["fed"]
    assert isinstance(pieces, list) and isinstance(fed, list)
    assert sorted(fed) == [(p.start, p.feed_end) for p in pieces if not p.silent]
    silent = sum(p.end - p.start for p in pieces if p.silent)
    assert silent > 8 * RATE  # most of the session's silence


@pytest.mark.e2e
def test_silent_pieces_decode_to_exact_zero_and_the_length_is_exact(
    with_silence: dict[str, object],
) -> None:
    source, joined = with_silence["source"], with_silence["joined_samples"]
    assert isinstance(source, list) and isinstance(joined, list)
    assert len(joined) == len(source)
    for piece in with_silence["pieces"]:  # type: ignore[attr-defined]
        if piece.silent:
            around = joined[piece.start - LAME_DELAY - JOIN_QUIET:piece.end + JOIN_QUIET]
            assert set(around) == {0}, f"not silent in the piece at {piece.start}"
    # Wherever the source is silent, away from a sound by the codec's own reach.
    for start, end in with_silence["silences"]:  # type: ignore[attr-defined]
        if end - start > 2 * JOIN_QUIET:
            assert set(joined[start + JOIN_QUIET:end - JOIN_QUIET]) == {0}


@pytest.mark.e2e
def test_around_silent_pieces_the_sound_matches_one_encode_and_onsets_keep_their_sample(
    with_silence: dict[str, object],
) -> None:
    source, joined, single = (with_silence[k] for k in ("source", "joined_samples",
                                                        "single_samples"))
    assert isinstance(source, list) and isinstance(joined, list) and isinstance(single, list)
    codec_noise = _rms_difference(single, source)
    assert codec_noise > 50
    assert _rms_difference(joined, source) < 1.1 * codec_noise
    assert _rms_difference(joined, single) < 0.5 * codec_noise
    two_ms = RATE // 500
    for piece in with_silence["pieces"]:  # type: ignore[attr-defined]
        if not piece.silent:
            continue
        # The sound before the silence ends where one encode ends it, and the sound after
        # it starts where the source does (as a bell would), matching one encode.
        onset = next(n for n in range(piece.end, len(source)) if source[n] != 0)
        heard = onset_near(joined, onset, window=RATE // 20, threshold=3000)
        assert heard is not None and abs(heard - onset) <= two_ms
        # Within the codec's own noise there: the joined file differs from one encode by
        # less than that encode differs from the source, over the same 50 ms.
        ending = next(n for n in range(piece.start, 0, -1) if source[n] != 0)
        for window in (slice(onset, onset + RATE // 20), slice(ending - RATE // 20, ending)):
            local_noise = _rms_difference(single[window], source[window])
            assert _rms_difference(joined[window], single[window]) < local_noise
            assert _rms_difference(joined[window], source[window]) < 1.25 * local_noise


@pytest.mark.e2e
def test_with_silent_pieces_the_info_header_and_seek_table_describe_the_file(
    with_silence: dict[str, object],
) -> None:
    joined = with_silence["joined"]
    assert isinstance(joined, Path)
    data = joined.read_bytes()
    offsets = frame_offsets(joined)
    info = data[:offsets[1]]
    tag = info_tag(info)
    frame_count = int.from_bytes(info[tag.frames_at:tag.frames_at + 4], "big")
    assert frame_count == len(offsets) - 1
    assert int.from_bytes(info[tag.frames_at + 4:tag.frames_at + 8], "big") == len(data)
    lame = tag.lame_at
    delay_padding = int.from_bytes(info[lame + 21:lame + 24], "big")
    assert frame_count * MP3_FRAME - (delay_padding >> 12) - (delay_padding & 0xFFF) == len(
        with_silence["source"])  # type: ignore[arg-type]
    assert int.from_bytes(info[lame + 32:lame + 34], "big") == crc16(data[offsets[1]:])
    unsealed = bytearray(info[:190])
    unsealed[lame + 34:lame + 36] = b"\0\0"
    assert int.from_bytes(info[lame + 34:lame + 36], "big") == crc16(bytes(unsealed))
    toc = info[tag.toc_at:tag.toc_at + 100]
    assert list(toc) == [0] + [min(255, 256 * offsets[1 + p * frame_count // 100] // len(data))
                               for p in range(1, 100)]
    # Still 96 kb/s to the byte, silent frames and all (they are padded as LAME pads).
    seconds = frame_count * MP3_FRAME / RATE
    assert abs(8 * (len(data) - offsets[1]) / seconds - 96000) < 96000 / 1000


@pytest.mark.e2e
def test_a_part_broken_after_ffmpeg_wrote_it_fails_the_join(tmp_path: Path) -> None:
    pcm, _ = _bursts([0.5], gap=0.5)
    parts = []
    for name in "ab":
        path = tmp_path / f"{name}.mp3"
        encode_mp3([pcm], path)
        parts.append(path)
    whole = parts[1].read_bytes()
    last_frame = whole[frame_offsets(parts[1])[-1]:]
    keep = len(frame_offsets(parts[0])) - 2

    def joined() -> int:
        return join([Part(parts[0], keep), Silence(100), Part(parts[1], None)])

    parts[1].write_bytes(whole[:-100])
    with pytest.raises(EngineError, match="ends in the middle of a frame"):
        joined()
    parts[1].write_bytes(whole + last_frame)  # one more frame than its Info header says
    with pytest.raises(EngineError, match="does not count its frames"):
        joined()
    parts[1].write_bytes(whole)
    assert joined() == keep + 100 + len(frame_offsets(parts[1])) - 1


@pytest.mark.e2e
def test_a_piece_that_fails_to_render_stops_every_encoder_and_leaves_no_part(
    tmp_path: Path,
) -> None:
    pcm, silences = _bursts([0.5, 0.5, 0.5, 0.5], gap=[1.5, 1.5, 1.5, 0.2])
    total = len(pcm) // 2
    pieces = plan_pieces(silences, total, 2, min_part=RATE // 2, min_silence=RATE)
    assert [p.silent for p in pieces].count(False) == 4
    third = [p.start for p in pieces if not p.silent][2]

    def render(start: int, end: int) -> Iterator[bytes]:
        if start == third:
            raise RuntimeError("the mixer failed")
        yield pcm[2 * start:2 * end]

    with pytest.raises(RuntimeError, match="the mixer failed"):
        encode_mp3_parts(render, total, pieces, tmp_path / "x.mp3")
    assert [p.name for p in tmp_path.iterdir()] in ([], ["x.mp3"])
