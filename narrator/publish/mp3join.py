"""MP3 parts encoded side by side -> one MP3, joined frame by frame.

The session is cut at points of digital silence into parts that separate ffmpeg processes
encode at once (one per core). LAME delays its output by `LAME_DELAY` samples and pads the
end to whole frames, so part k is given the source from frame boundary `cut_k` (a multiple of
1152 samples) to `cut_(k+1) - LAME_DELAY`, and exactly `(cut_(k+1) - cut_k) / 1152` of its
audio frames are kept. Then every kept frame of every part decodes to the very source
positions it would have in one file:

- a part's delay (its first 1105 decoded samples) falls on the 1105 silent samples before its
  cut, and the padding of the frames kept before a cut falls after the previous part's input;
- a part starts with an empty bit reservoir, so no kept frame refers to bytes of a dropped one;
- the decoder's overlap from the last frame before a cut is silence, as is the first frame's.

Silence must therefore cover `[cut - LAME_DELAY - CUT_MARGIN, cut + CUT_MARGIN]`, which
`cut_points` guarantees. The whole file gets one Info header (frame count, bytes, seek table,
delay, padding, audio CRC and tag CRC) written the way ffmpeg writes it for one encode.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from narrator.errors import EngineError

MP3_FRAME = 1152
LAME_DELAY = 1105
"""Samples by which ffmpeg's libmp3lame output lags its input when decoded (576 written as
the encoder delay in the LAME tag, plus the decoder's own 529)."""
CUT_MARGIN = 4 * MP3_FRAME
"""Silence kept on both sides of a cut beyond the delay: the MDCT windows of the frames at a
join reach about one frame either way, and LAME's look-ahead a little further."""
JOIN_QUIET = 2 * MP3_FRAME
"""Within this of a cut (and of the delay before it) the decoded file is exactly zero: a
sound just beyond the margin can reach about 1,700 samples back into silence as the codec's
own pre-echo (a window of two granules and the synthesis filter), in one encode as in parts."""

_BITRATES_MPEG1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES_MPEG1 = (44100, 48000, 32000)


@dataclass(frozen=True)
class Frame:
    offset: int
    size: int


def _frame_size(header: int) -> int:
    """The length in bytes of the MPEG-1 layer III frame that starts with `header`."""
    if header >> 21 != 0x7FF or (header >> 19) & 3 != 3 or (header >> 17) & 3 != 1:
        raise EngineError("ffmpeg wrote an MP3 frame narrator cannot join (not MPEG-1 layer III)")
    bitrate = _BITRATES_MPEG1[(header >> 12) & 15] * 1000
    rate_index = (header >> 10) & 3
    if not bitrate or rate_index == 3:
        raise EngineError("ffmpeg wrote an MP3 frame with a free or bad bitrate or rate")
    return 144 * bitrate // _RATES_MPEG1[rate_index] + ((header >> 9) & 1)


def frames(path: Path, *, chunk: int = 1 << 20) -> Iterator[Frame]:
    """Every frame of an MP3 file without tags, in order, read in chunks (memory stays flat)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        buffer = b""
        base = 0  # file offset of buffer[0]
        position = 0  # file offset of the next frame
        while position < size:
            if position + 4 > base + len(buffer):
                file.seek(position)
                buffer, base = file.read(chunk), position
                if len(buffer) < 4:
                    raise EngineError("ffmpeg wrote an MP3 that ends inside a frame header")
            at = position - base
            frame_size = _frame_size(int.from_bytes(buffer[at:at + 4], "big"))
            yield Frame(position, frame_size)
            position += frame_size


# CRC-16/ARC (reflected 0x8005, start 0), as ffmpeg's AV_CRC_16_ANSI_LE: the LAME tag's
# audio CRC and tag CRC. Zero start and no final xor make it linear, so the CRC of a whole
# file is worked out from the CRCs ffmpeg already wrote for each part, with only a few
# frames read here: Python would take seconds over the whole audio.
_POLY = 0xA001
_TABLE = []
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ _POLY if _crc & 1 else _crc >> 1
    _TABLE.append(_crc)


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ byte) & 0xFF]
    return crc


def _apply(matrix: Sequence[int], vector: int) -> int:
    result = 0
    bit = 0
    while vector:
        if vector & 1:
            result ^= matrix[bit]
        vector >>= 1
        bit += 1
    return result


def _power(matrix: Sequence[int], exponent: int) -> list[int]:
    result = [1 << i for i in range(16)]
    square = list(matrix)
    while exponent:
        if exponent & 1:
            result = [_apply(square, column) for column in result]
        square = [_apply(square, column) for column in square]
        exponent >>= 1
    return result


_SHIFT = [(1 << i) >> 1 ^ (_POLY if i == 0 else 0) for i in range(16)]
"""One bit through the CRC register, as a GF(2) matrix (column i = the image of bit i)."""
_UNSHIFT = [((((1 << i) ^ _POLY) << 1) | 1) & 0xFFFF if i == 15 else (1 << i) << 1
            for i in range(16)]
"""Its inverse: a register whose top bit is set came from one whose low bit was set."""


def crc16_join(first: int, second: int, second_length: int) -> int:
    """The CRC of A + B from crc(A), crc(B) and len(B)."""
    return _apply(_power(_SHIFT, 8 * second_length), first) ^ second


def crc16_prefix(whole: int, tail: bytes) -> int:
    """The CRC of A from crc(A + T) and T itself."""
    return _apply(_power(_UNSHIFT, 8 * len(tail)), whole ^ crc16(tail))


@dataclass(frozen=True)
class InfoTag:
    """Where the fields of ffmpeg's Info (Xing + LAME) header sit in its frame."""

    tag: int  # offset of b"Info" / b"Xing" in the frame
    flags: int

    @property
    def frames_at(self) -> int:
        return self.tag + 8

    @property
    def toc_at(self) -> int:
        return self.tag + 16

    @property
    def lame_at(self) -> int:
        return self.toc_at + (100 if self.flags & 4 else 0) + (4 if self.flags & 8 else 0)


def info_tag(frame: bytes) -> InfoTag:
    for side_info in (17, 32, 9):  # mono, stereo (MPEG-1), mono MPEG-2
        at = 4 + side_info
        if frame[at:at + 4] in (b"Info", b"Xing"):
            tag = InfoTag(at, int.from_bytes(frame[at + 4:at + 8], "big"))
            if tag.flags & 7 == 7 and len(frame) >= tag.lame_at + 36:
                return tag
    raise EngineError("ffmpeg wrote an MP3 without the Info header narrator needs to join parts")


@dataclass(frozen=True)
class Part:
    """One encoded part: its file, and how many of its audio frames to keep (None: all)."""

    path: Path
    keep: int | None


@dataclass(frozen=True)
class _Kept:
    start: int  # first byte of the audio kept (after the part's Info frame)
    end: int
    frames: int
    crc: int  # CRC-16 of the bytes kept


def _info_frame(path: Path) -> tuple[bytes, InfoTag]:
    with path.open("rb") as file:
        head = file.read(4)
        if len(head) < 4:
            raise EngineError("ffmpeg wrote an empty MP3 part")
        frame = head + file.read(_frame_size(int.from_bytes(head, "big")) - 4)
    return frame, info_tag(frame)


def _kept(part: Part, info: bytes, tag: InfoTag) -> _Kept:
    total = int.from_bytes(info[tag.frames_at:tag.frames_at + 4], "big")
    crc = int.from_bytes(info[tag.lame_at + 32:tag.lame_at + 34], "big")
    size = part.path.stat().st_size
    if part.keep is None or part.keep == total:
        return _Kept(len(info), size, total, crc)
    if part.keep > total:
        raise EngineError(f"an encoded part holds {total} frames, not the {part.keep} needed")
    # Only the few frames after the kept ones are read: the part's own CRC covers the rest.
    end = next(frame.offset for index, frame in enumerate(frames(part.path))
               if index == part.keep + 1)  # frame 0 is the Info frame
    with part.path.open("rb") as file:
        file.seek(end)
        tail = file.read()
    return _Kept(len(info), end, part.keep, crc16_prefix(crc, tail))


def join(parts: Sequence[Part]) -> int:
    """Append the later parts' kept audio frames to the first part's file, under one Info
    header for the whole; the number of audio frames in the joined file."""
    if not parts:
        raise ValueError("no parts to join")
    header_bytes, tag = _info_frame(parts[0].path)
    header = bytearray(header_bytes)
    kept = []
    delay_and_padding = b""
    for part in parts:
        info, part_tag = _info_frame(part.path)
        kept.append(_kept(part, info, part_tag))
        # The delay is every part's own; the end padding is the last part's.
        delay_and_padding = info[part_tag.lame_at + 21:part_tag.lame_at + 24]
    frame_count = sum(k.frames for k in kept)
    size = len(header) + sum(k.end - k.start for k in kept)
    crc = 0
    for k in kept:
        crc = crc16_join(crc, k.crc, k.end - k.start)
    with parts[0].path.open("r+b") as out:
        out.truncate(kept[0].end)
        out.seek(kept[0].end)
        for part, k in zip(parts[1:], kept[1:], strict=True):
            with part.path.open("rb") as source:
                source.seek(k.start)
                _copy(source, out, k.end - k.start)
        out.flush()
        lame = tag.lame_at
        header[tag.frames_at:tag.frames_at + 8] = (frame_count.to_bytes(4, "big")
                                                   + size.to_bytes(4, "big"))
        if tag.flags & 4:
            header[tag.toc_at:tag.toc_at + 100] = _seek_table(parts[0].path, frame_count, size)
        header[lame + 21:lame + 24] = delay_and_padding
        header[lame + 28:lame + 32] = size.to_bytes(4, "big")
        header[lame + 32:lame + 34] = crc.to_bytes(2, "big")
        # ffmpeg takes the tag's CRC over the frame's first 190 bytes, its own field zero.
        header[lame + 34:lame + 36] = b"\0\0"
        header[lame + 34:lame + 36] = crc16(bytes(header[:190])).to_bytes(2, "big")
        out.seek(0)
        out.write(header)
    return frame_count


def _copy(source: BinaryIO, out: BinaryIO, length: int) -> None:
    """`length` bytes from `source` to `out`, each at its position, in the kernel if it can."""
    copied = 0
    with contextlib.suppress(OSError, AttributeError):  # no copy_file_range: copy by hand
        while copied < length:
            done = os.copy_file_range(source.fileno(), out.fileno(), length - copied,
                                      source.tell() + copied, out.tell() + copied)
            if done <= 0:
                break
            copied += done
    source.seek(source.tell() + copied)
    out.seek(out.tell() + copied)
    while copied < length:
        block = source.read(min(length - copied, 1 << 20))
        if not block:
            raise EngineError("an encoded MP3 part ended early")
        out.write(block)
        copied += len(block)


def _seek_table(path: Path, frame_count: int, size: int) -> bytes:
    """The Xing seek table: for each percent of the length, where its frame starts, in
    256ths of the file (near linear at a constant bitrate, but taken from the frames)."""
    wanted = {percent * frame_count // 100: percent for percent in range(100)}
    last = max(wanted)
    toc = bytearray(100)
    for index, frame in enumerate(frames(path)):
        percent = wanted.get(index - 1)  # frame 0 is the Info frame
        if percent is not None:
            toc[percent] = min(255, 256 * frame.offset // size)
        if index - 1 >= last:
            break
    toc[0] = 0
    return bytes(toc)


def cut_points(silences: Iterable[tuple[int, int]], total: int, parts: int,
               min_part: int = 10 * 44100) -> list[int]:
    """Up to `parts - 1` frame-aligned cuts, each as near an equal share as the silences
    allow: `silences` are the spans (start, end) where the mix is digital silence, and a
    cut needs `LAME_DELAY + CUT_MARGIN` of it before and `CUT_MARGIN` after. Parts shorter
    than `min_part` samples are not worth a process of their own."""
    candidates: list[tuple[int, int]] = []  # the frame-aligned range of cuts each span allows
    for start, end in silences:
        first = -(-(start + LAME_DELAY + CUT_MARGIN) // MP3_FRAME) * MP3_FRAME
        last = (end - CUT_MARGIN) // MP3_FRAME * MP3_FRAME
        if first <= last:
            candidates.append((first, last))
    cuts: list[int] = []
    for k in range(1, parts):
        ideal = round(total * k / parts / MP3_FRAME) * MP3_FRAME
        best = None
        for first, last in candidates:
            cut = min(max(ideal, first), last)
            if best is None or abs(cut - ideal) < abs(best - ideal):
                best = cut
        if best is None:
            break
        previous = cuts[-1] if cuts else 0
        if best - previous >= min_part and total - best >= min_part:
            cuts.append(best)
    return cuts


def part_ranges(cuts: Sequence[int], total: int) -> list[tuple[int, int, int | None]]:
    """For each part: the source samples it encodes, and the audio frames kept of it."""
    bounds = [0, *cuts, total]
    if any(cut % MP3_FRAME for cut in cuts) or bounds != sorted(set(bounds)):
        raise ValueError(f"cuts must be distinct whole frames inside the session: {cuts}")
    ranges: list[tuple[int, int, int | None]] = []
    for index in range(len(bounds) - 1):
        start, end = bounds[index], bounds[index + 1]
        if index == len(bounds) - 2:
            ranges.append((start, total, None))
        else:
            ranges.append((start, end - LAME_DELAY, (end - start) // MP3_FRAME))
    return ranges
