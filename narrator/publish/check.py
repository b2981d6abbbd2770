"""Is the encoded file really the session? Checked before it may replace anything.

ffmpeg's exit status is not proof: a broken or substituted ffmpeg that exits 0 after
writing nothing, or random bytes, would otherwise replace a good MP3 with tags and no audio.
The MP3 is walked frame by frame (each MPEG header gives the next one's place), without
decoding: the frames must fill the file exactly and hold the planned number of samples.
An M4B's track length is read from its header by mutagen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrator.errors import EngineError
from narrator.model import SAMPLE_RATE

MP3_FRAME = 1152
LAME_DELAY = 1105
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
"""MPEG-1 Layer III bitrates by the header's 4-bit index (0 and 15 are not audio)."""
_SAMPLE_RATES = (44100, 48000, 32000, 0)
_CHUNK = 1 << 20
M4B_TOLERANCE_S = 0.1
"""AAC adds priming and padding of its own (about 1024 samples at each end)."""


def mp3_audio_frames(path: Path) -> int:
    """The number of audio frames in an MP3 that ffmpeg wrote (no ID3 tags yet), not
    counting the LAME/Info header frame; EngineError unless MPEG-1 Layer III frames fill
    the file from its first byte to its last."""
    size = path.stat().st_size
    frames, offset, info_frame = 0, 0, False
    chunk, start = b"", 0  # a piece of the file, and where it starts
    with path.open("rb") as file:
        while offset < size:
            if offset + 4 > start + len(chunk):
                file.seek(offset)
                chunk, start = file.read(_CHUNK), offset
                if len(chunk) < 4:
                    raise EngineError("ffmpeg wrote an MP3 that ends in the middle of a frame")
            at = offset - start
            b0, b1, b2 = chunk[at], chunk[at + 1], chunk[at + 2]
            if b0 != 0xFF or (b1 & 0xFE) != 0xFA:  # frame sync, MPEG-1, Layer III
                raise EngineError("ffmpeg wrote something that is not an MP3: no MPEG frame "
                                  f"at byte {offset}")
            bitrate = _BITRATES_KBPS[b2 >> 4] * 1000
            rate = _SAMPLE_RATES[(b2 >> 2) & 3]
            if not bitrate or not rate:
                raise EngineError(f"ffmpeg wrote an MP3 with a broken frame at byte {offset}")
            length = 144 * bitrate // rate + ((b2 >> 1) & 1)
            if frames == 0:
                first = chunk[at:at + length]
                info_frame = b"Info" in first or b"Xing" in first
            frames += 1
            offset += length
    if offset != size:
        raise EngineError("ffmpeg wrote an MP3 that ends in the middle of a frame")
    return frames - 1 if info_frame else frames


def _mp4_length(path: Path) -> float:
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        audio: Any = MP4(str(path))  # type: ignore[no-untyped-call]
    except (MutagenError, OSError) as exc:
        raise EngineError(f"ffmpeg wrote something that is not an M4B: {exc}") from exc
    return float(audio.info.length)


def check_encoded(path: Path, samples: int, fmt: str) -> None:
    """EngineError unless the file at `path` holds `samples` of audio (the planned
    session), as far as its frames (MP3) or its header (M4B) tell."""
    planned = samples / SAMPLE_RATE
    if fmt == "m4b":
        length = _mp4_length(path)
        if abs(length - planned) > M4B_TOLERANCE_S:
            raise EngineError(f"ffmpeg wrote {length:.2f} s of audio, not the planned "
                              f"{planned:.2f} s; nothing was replaced")
        return
    try:
        frames = mp3_audio_frames(path)
    except OSError as exc:
        raise EngineError(f"cannot read back the encoded MP3: {exc.strerror or exc}") from exc
    # The encoder's delay comes first and its padding fills the last frame (encode.py).
    needed = -(-(samples + LAME_DELAY) // MP3_FRAME)
    if frames not in (needed, needed + 1):
        raise EngineError(f"ffmpeg wrote {frames * MP3_FRAME / SAMPLE_RATE:.2f} s of audio, "
                          f"not the planned {planned:.2f} s; nothing was replaced")
