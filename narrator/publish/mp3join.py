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

A long stretch of digital silence (a hold) is not encoded at all (`plan_pieces`): between two
such cuts the file gets frames written here, each one what LAME writes for digital silence (no
Huffman data, every granule empty), pointing nowhere into the bit reservoir
(main_data_begin 0). They decode to exact zero, and the frame after them is the first of a
fresh encode, which starts from an empty reservoir, so nothing refers to bytes they replace:
to the decoder, the join is the one that two encoded parts make, with frames of silence
between. So the encoders only see the sound (and the margins a join needs), and a
two-hour session of long holds is encoded in the time of its few minutes of speech.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import math
import os
import struct
from array import array
from collections.abc import Iterable, Sequence
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
MIN_SILENT_PIECE = 5 * 44100
"""The shortest silence written as frames instead of encoded: an encoder of its own for the
sound after it costs a process (about 30 ms of CPU here), and LAME takes about 4 ms of CPU a
second of silence, plus the mixing and the pipe."""
JOIN_QUIET = 2 * MP3_FRAME
"""Within this of a cut (and of the delay before it) the decoded file is exactly zero: a
sound just beyond the margin can reach about 1,700 samples back into silence as the codec's
own pre-echo (a window of two granules and the synthesis filter), in one encode as in parts."""

_BITRATES_MPEG1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES_MPEG1 = (44100, 48000, 32000)


def _frame_size(header: int) -> int:
    """The length in bytes of the MPEG-1 layer III frame that starts with `header`."""
    if header >> 21 != 0x7FF or (header >> 19) & 3 != 3 or (header >> 17) & 3 != 1:
        raise EngineError("ffmpeg wrote an MP3 frame narrator cannot join (not MPEG-1 layer III)")
    bitrate = _BITRATES_MPEG1[(header >> 12) & 15] * 1000
    rate_index = (header >> 10) & 3
    if not bitrate or rate_index == 3:
        raise EngineError("ffmpeg wrote an MP3 frame with a free or bad bitrate or rate")
    return 144 * bitrate // _RATES_MPEG1[rate_index] + ((header >> 9) & 1)


def frame_offsets(path: Path, *, chunk: int = 1 << 20) -> array[int]:
    """Where every frame of an MP3 file without tags starts, read in chunks; EngineError
    unless MPEG-1 layer III frames fill the file from its first byte to its last. The one
    walk over a file's frames: it serves the check that the audio is whole and the seek
    table (a frame's size depends only on its header, so each header is worked out once)."""
    size = path.stat().st_size
    offsets = array("q")
    sizes: dict[int, int] = {}
    unpack = struct.Struct(">I").unpack_from
    with path.open("rb") as file:
        buffer = b""
        base = 0  # file offset of buffer[0]
        position = 0  # file offset of the next frame
        while position < size:
            if position + 4 > base + len(buffer):
                file.seek(position)
                buffer, base = file.read(chunk), position
                if len(buffer) < 4:
                    raise EngineError("ffmpeg wrote an MP3 that ends in the middle of a frame")
            (header,) = unpack(buffer, position - base)
            frame_size = sizes.get(header)
            if frame_size is None:
                frame_size = sizes[header] = _frame_size(header)
            offsets.append(position)
            position += frame_size
    if position != size:
        raise EngineError("ffmpeg wrote an MP3 that ends in the middle of a frame")
    return offsets


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


@functools.lru_cache(maxsize=256)
def _shift_bytes(length: int) -> tuple[int, ...]:
    """The CRC register moved through `length` zero bytes (the silent runs' lengths recur)."""
    return tuple(_power(_SHIFT, 8 * length))


_SHIFT = [(1 << i) >> 1 ^ (_POLY if i == 0 else 0) for i in range(16)]
"""One bit through the CRC register, as a GF(2) matrix (column i = the image of bit i)."""
_UNSHIFT = [((((1 << i) ^ _POLY) << 1) | 1) & 0xFFFF if i == 15 else (1 << i) << 1
            for i in range(16)]
"""Its inverse: a register whose top bit is set came from one whose low bit was set."""


def crc16_join(first: int, second: int, second_length: int) -> int:
    """The CRC of A + B from crc(A), crc(B) and len(B)."""
    return _apply(_shift_bytes(second_length), first) ^ second


def crc16_repeat(crc: int, length: int, times: int) -> int:
    """The CRC of `times` copies of a block from the block's CRC and length (by doubling)."""
    result = 0
    while times:
        if times & 1:
            result = crc16_join(result, crc, length)
        crc, length = crc16_join(crc, crc, length), 2 * length
        times >>= 1
    return result


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
class Silence:
    """`frames` frames of digital silence, written by the join itself."""

    frames: int


@dataclass(frozen=True)
class _Kept:
    """What is kept of an encoded part, found by one walk over its frames."""

    start: int  # first byte of the audio kept (after the part's Info frame)
    end: int
    frames: int
    crc: int  # CRC-16 of the bytes kept
    offsets: array[int]  # where each kept frame starts in the part's file
    header: int  # the first audio frame's MPEG header

    def frame_at(self, index: int) -> int:
        """Where kept frame `index` starts, counted from the first byte kept."""
        return self.offsets[index] - self.start


def _kept(part: Part) -> _Kept:
    try:
        offsets = frame_offsets(part.path)
        if len(offsets) < 2:
            raise EngineError("ffmpeg wrote an MP3 part without audio; nothing was replaced")
        size = part.path.stat().st_size
        info, tag = _info_frame(part.path)
    except FileNotFoundError as exc:
        raise EngineError("ffmpeg wrote no MP3 part; nothing was replaced") from exc
    except OSError as exc:
        raise EngineError(f"cannot read back an encoded MP3 part: {exc.strerror or exc}") from exc
    total = len(offsets) - 1  # frame 0 is the Info frame
    if int.from_bytes(info[tag.frames_at:tag.frames_at + 4], "big") != total:
        raise EngineError("ffmpeg wrote an MP3 part whose Info header does not count its frames")
    keep = total if part.keep is None else part.keep
    if keep > total:
        raise EngineError(f"ffmpeg wrote {total * MP3_FRAME / 44100:.2f} s of audio in a part, "
                          f"not the planned {keep * MP3_FRAME / 44100:.2f} s; "
                          "nothing was replaced")
    crc = int.from_bytes(info[tag.lame_at + 32:tag.lame_at + 34], "big")
    end = size
    if keep < total:
        # Only the frames after the kept ones are read: the part's own CRC covers the rest.
        end = offsets[keep + 1]
        with part.path.open("rb") as file:
            file.seek(end)
            crc = crc16_prefix(crc, file.read())
    with part.path.open("rb") as file:
        file.seek(offsets[1])
        header = int.from_bytes(file.read(4), "big")
    return _Kept(offsets[1], end, keep, crc, offsets[1:keep + 1], header)


class _SilentRun:
    """A run of silent frames: each one an MPEG header (the encoded parts' own, padded or
    not so that the run keeps the exact bitrate, as LAME pads) and zero bytes after it,
    that is side information with main_data_begin 0 and two empty granules (no scale
    factors, no Huffman data) and nothing in its main data. The frames repeat with a period
    of `len(frames)` (49 at 96k and 44,100 Hz), so a run is a block written many times."""

    def __init__(self, header: int) -> None:
        bitrate = _BITRATES_MPEG1[(header >> 12) & 15] * 1000
        rate = _RATES_MPEG1[(header >> 10) & 3]
        self._per_frame = (144 * bitrate, rate)  # bytes a frame, as a fraction
        numerator, denominator = self._per_frame
        period = denominator // math.gcd(numerator, denominator)
        plain = (header & ~0x200).to_bytes(4, "big")
        padded = (header | 0x200).to_bytes(4, "big")
        frames = []
        for n in range(period):
            size = self.frame_at(n + 1) - self.frame_at(n)
            frames.append((padded if size > numerator // denominator else plain)
                          + bytes(size - 4))
        self.block = b"".join(frames)
        self.period = period
        self._prefix_crcs = [0]
        for frame in frames:
            self._prefix_crcs.append(crc16(frame, self._prefix_crcs[-1]))

    def frame_at(self, index: int) -> int:
        """Where frame `index` of a run starts, counted from the run's first byte."""
        numerator, denominator = self._per_frame
        return index * numerator // denominator

    def crc(self, frames: int) -> int:
        whole, rest = divmod(frames, self.period)
        return crc16_join(crc16_repeat(self._prefix_crcs[-1], len(self.block), whole),
                          self._prefix_crcs[rest], self.frame_at(rest))

    def write(self, out: BinaryIO, frames: int) -> None:
        whole, rest = divmod(frames, self.period)
        batch = max(1, (1 << 20) // len(self.block))  # about 1 MiB a write
        for done in range(0, whole, batch):
            out.write(self.block * min(batch, whole - done))
        out.write(self.block[:self.frame_at(rest)])


@dataclass(frozen=True)
class _Placed:
    """A piece of the joined file: its first frame's number and byte, and what it is."""

    frame: int
    offset: int
    frames: int
    piece: _Kept | tuple[_SilentRun, int]

    def frame_at(self, index: int) -> int:
        if isinstance(self.piece, _Kept):
            return self.offset + self.piece.frame_at(index)
        return self.offset + self.piece[0].frame_at(index)


def _info_frame(path: Path) -> tuple[bytes, InfoTag]:
    with path.open("rb") as file:
        head = file.read(4)
        if len(head) < 4:
            raise EngineError("ffmpeg wrote an empty MP3 part")
        frame = head + file.read(_frame_size(int.from_bytes(head, "big")) - 4)
    return frame, info_tag(frame)


def join(pieces: Sequence[Part | Silence]) -> int:
    """Append the later pieces (encoded parts' kept audio frames, and runs of silent frames)
    to the first part's file, under one Info header for the whole; the number of audio
    frames in the joined file. Each part's frames are walked once, here: EngineError unless
    they fill its file and hold the frames to keep."""
    if not pieces or not isinstance(pieces[0], Part) or not isinstance(pieces[-1], Part):
        raise ValueError("a join starts and ends with an encoded part")
    first = pieces[0]
    header_bytes, tag = _info_frame(first.path)
    header = bytearray(header_bytes)
    placed: list[_Placed] = []
    silent: _SilentRun | None = None
    frame, offset, crc = 0, len(header), 0
    for piece in pieces:
        if isinstance(piece, Part):
            kept = _kept(piece)
            placed.append(_Placed(frame, offset, kept.frames, kept))
            length, piece_crc = kept.end - kept.start, kept.crc
            if silent is None:
                silent = _SilentRun(kept.header)
        else:
            assert silent is not None  # the first piece is a part
            placed.append(_Placed(frame, offset, piece.frames, (silent, piece.frames)))
            length, piece_crc = silent.frame_at(piece.frames), silent.crc(piece.frames)
        crc = crc16_join(crc, piece_crc, length)
        frame, offset = frame + placed[-1].frames, offset + length
    frame_count, size = frame, offset
    # The delay is every part's own; the end padding is the last part's.
    last_info, last_tag = _info_frame(pieces[-1].path)
    delay_and_padding = last_info[last_tag.lame_at + 21:last_tag.lame_at + 24]
    with first.path.open("r+b") as out:
        first_kept = placed[0].piece
        assert isinstance(first_kept, _Kept)
        out.truncate(first_kept.end)
        out.seek(first_kept.end)
        for piece, where in zip(pieces[1:], placed[1:], strict=True):
            if isinstance(where.piece, _Kept):
                assert isinstance(piece, Part)
                with piece.path.open("rb") as source:
                    source.seek(where.piece.start)
                    _copy(source, out, where.piece.end - where.piece.start)
            else:
                where.piece[0].write(out, where.frames)
        out.flush()
        if out.tell() != size:
            raise EngineError("the joined MP3 is not the length its parts add up to")
        lame = tag.lame_at
        header[tag.frames_at:tag.frames_at + 8] = (frame_count.to_bytes(4, "big")
                                                   + size.to_bytes(4, "big"))
        if tag.flags & 4:
            header[tag.toc_at:tag.toc_at + 100] = _seek_table(placed, frame_count, size)
        header[lame + 21:lame + 24] = delay_and_padding
        header[lame + 28:lame + 32] = size.to_bytes(4, "big")
        header[lame + 32:lame + 34] = crc.to_bytes(2, "big")
        # ffmpeg takes the tag's CRC over the frame's first 190 bytes, its own field zero.
        header[lame + 34:lame + 36] = b"\0\0"
        header[lame + 34:lame + 36] = crc16(bytes(header[:190])).to_bytes(2, "big")
        out.seek(0)
        out.write(header)
    return frame_count


def _seek_table(placed: Sequence[_Placed], frame_count: int, size: int) -> bytes:
    """The Xing seek table: for each percent of the length, where its frame starts, in
    256ths of the file (near linear at a constant bitrate, but taken from the frames: the
    parts' as walked, the silent runs' as written)."""
    toc = bytearray(100)
    starts = [p.frame for p in placed]
    for percent in range(1, 100):
        frame = percent * frame_count // 100
        where = placed[bisect.bisect_right(starts, frame) - 1]
        toc[percent] = min(255, 256 * where.frame_at(frame - where.frame) // size)
    return bytes(toc)


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


@dataclass(frozen=True)
class Piece:
    """A span [start, end) of the session in the joined file. An encoded piece is fed the
    source [start, feed_end) and keeps `keep` of its frames (None: all; the last piece); a
    silent piece is `keep` frames of silence, written by the join."""

    start: int
    end: int
    feed_end: int
    keep: int | None
    silent: bool = False


def plan_pieces(silences: Iterable[tuple[int, int]], total: int, workers: int, *,
                min_part: int = 10 * 44100,
                min_silence: int = MIN_SILENT_PIECE) -> list[Piece]:
    """The session as pieces to encode at once by `workers` encoders, and runs of silence.

    Every span of digital silence that leaves at least `min_silence` between two cuts (each
    with the margins a cut needs) becomes a silent piece. What is left is encoded; a piece
    that is much more than its share of the work is cut further by `cut_points`, so the
    workers have about as much to do. One piece: encode in one process."""
    silences = sorted(silences)
    spans: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in silences:
        first = -(-(start + LAME_DELAY + CUT_MARGIN) // MP3_FRAME) * MP3_FRAME
        last = (end - CUT_MARGIN) // MP3_FRAME * MP3_FRAME
        if last - first >= min_silence and first > position and last < total:
            spans += [(position, first, False), (first, last, True)]
            position = last
    spans.append((position, total, False))
    encoded = sum(end - start for start, end, silent in spans if not silent)
    share = encoded / max(1, workers)
    bounds: list[tuple[int, int, bool]] = []
    for start, end, silent in spans:
        split = 0 if silent or workers < 2 else min(workers, round((end - start) / share))
        if split < 2:
            bounds.append((start, end, silent))
            continue
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in silences
                  if b > start and a < end]
        edges = [start, *(start + cut for cut in cut_points(inside, end - start, split,
                                                            min_part)), end]
        bounds += [(a, b, False) for a, b in itertools.pairwise(edges)]
    pieces = []
    for start, end, silent in bounds:
        if end == total:
            pieces.append(Piece(start, end, end, None))
        else:
            pieces.append(Piece(start, end, end - LAME_DELAY, (end - start) // MP3_FRAME,
                                silent))
    return pieces
