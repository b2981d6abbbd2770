"""Listening by measuring: decode an MP3 with ffmpeg and read what a person would hear."""

from __future__ import annotations

import re
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from narrator.ffmpeg import find_ffmpeg
from narrator.model import SAMPLE_RATE


def decode(path: Path) -> list[int]:
    """The MP3's samples as 16-bit mono at the session rate, encoder delay removed."""
    raw = subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(SAMPLE_RATE), "-"],
        check=True, capture_output=True,
    ).stdout
    return list(struct.unpack(f"<{len(raw) // 2}h", raw))


@dataclass(frozen=True)
class FfChapter:
    title: str
    start_ms: int
    end_ms: int


def ffmpeg_chapters(path: Path) -> list[FfChapter]:
    """Chapters in the order ffmpeg reads them from the file (no ffprobe needed)."""
    text = subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        check=True, capture_output=True, text=True,
    ).stdout
    chapters = []
    for block in text.split("[CHAPTER]")[1:]:
        fields = dict(re.findall(r"^(\w+)=(.*)$", block, re.M))
        # MP3 (ID3 CHAP) chapters come in 1/1000; M4B chapters in the timebase they were
        # written in (narrator writes 1/44100).
        numerator, denominator = (int(x) for x in fields["TIMEBASE"].split("/"))
        chapters.append(FfChapter(
            fields.get("title", ""),
            round(int(fields["START"]) * 1000 * numerator / denominator),
            round(int(fields["END"]) * 1000 * numerator / denominator)))
    return chapters


def onset_near(samples: list[int], expected: int, *, window: int, threshold: int) -> int | None:
    """The first sample within `window` of `expected` whose level reaches `threshold`."""
    for i in range(max(0, expected - window), min(len(samples), expected + window)):
        if abs(samples[i]) >= threshold:
            return i
    return None


def loudness(path: Path) -> dict[str, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ebur128 filter."""
    out = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af",
         "ebur128=peak=true", "-f", "null", "-"],
        check=True, capture_output=True, text=True,
    ).stderr
    summary = out[out.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return {"integrated": integrated, "true_peak": peak}
