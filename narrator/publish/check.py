"""Is the encoded file really the session? Checked before it may replace anything.

ffmpeg's exit status is not proof: a broken or substituted ffmpeg that exits 0 after
writing nothing, or random bytes, would otherwise replace a good MP3 with tags and no audio.
The MP3 is walked frame by frame (mp3join.frame_offsets: each MPEG header gives the next
one's place), without decoding: the frames must fill the file exactly and hold the planned
number of samples. A file encoded in parts is checked as it is joined instead: each part's
frames are walked there, once, and the joined file must add up to them (mp3join.join).
An M4B's track length is read from its header by mutagen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrator.errors import EngineError
from narrator.model import SAMPLE_RATE
from narrator.publish.mp3join import LAME_DELAY, MP3_FRAME, frame_offsets

M4B_TOLERANCE_S = 0.1
"""AAC adds priming and padding of its own (about 1024 samples at each end)."""


def mp3_audio_frames(path: Path) -> int:
    """The number of audio frames in an MP3 that ffmpeg wrote (no ID3 tags yet), not
    counting the LAME/Info header frame; EngineError unless MPEG-1 Layer III frames fill
    the file from its first byte to its last."""
    offsets = frame_offsets(path)
    if not offsets:
        return 0
    with path.open("rb") as file:
        head = file.read(offsets[1] if len(offsets) > 1 else -1)
    return len(offsets) - 1 if b"Info" in head or b"Xing" in head else len(offsets)


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
    check_frames(frames, samples)


def check_frames(frames: int, samples: int) -> None:
    """EngineError unless `frames` MP3 audio frames hold `samples` (the planned session)."""
    # The encoder's delay comes first and its padding fills the last frame (encode.py).
    needed = -(-(samples + LAME_DELAY) // MP3_FRAME)
    if frames not in (needed, needed + 1):
        raise EngineError(f"ffmpeg wrote {frames * MP3_FRAME / SAMPLE_RATE:.2f} s of audio, "
                          f"not the planned {samples / SAMPLE_RATE:.2f} s; nothing was replaced")
