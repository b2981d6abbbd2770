"""The sessions in a folder that narrator built, and the only files `narrator serve` serves.

A session is an MP3 or M4B directly inside the folder, with the `<name>.timeline.json`
narrator writes beside it and narrator's own comment in its tags. Anything else is never
served: other files, dotfiles (narrator's unfinished `.name.*.partial` files among them),
subfolders, and files or symlinks whose real path lies outside the folder.

Everything a session offers besides its audio is made from what narrator wrote: the cover
from its tags, the Podcasting 2.0 chapters and the WebVTT transcript from its timeline (with
the same functions `build --chapters-json --vtt` uses), so they exist for every session.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrator.errors import NarratorError
from narrator.model import Chapter, Event, Timeline, samples_to_ms
from narrator.publish.tags import TagInfo

AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4b": "audio/mp4"}
MADE_BY = "Made with narrator"
"""How narrator's comment tag starts (publish/tags.py: Metadata.for_routine)."""


@dataclass(frozen=True)
class Episode:
    """One built session, as the page and the feed show it."""

    name: str
    """The audio file's name inside the folder, e.g. "evening-unwind.mp3"."""
    audio: Path
    media_type: str
    size: int
    modified: float
    title: str
    artist: str
    source: str
    """Where its routine came from: a file name, a web address, "built-in"."""
    duration_ms: int
    chapters: tuple[Chapter, ...]
    timeline: Timeline
    cover_type: str | None
    """The embedded cover's MIME type (image/jpeg or image/png), or None."""

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @property
    def has_cover(self) -> bool:
        return self.cover_type is not None

    @property
    def cover_file(self) -> str:
        """The cover's name in the served paths, ending as podcast apps need (.jpg/.png)."""
        return f"{self.stem}.{'png' if self.cover_type == 'image/png' else 'jpg'}"

    @property
    def guid(self) -> str:
        """Stable while the file is the same; a rebuild is a new episode to a podcast app."""
        key = f"{self.name}:{self.size}:{self.modified}"
        return "narrator-" + hashlib.sha256(key.encode()).hexdigest()[:24]

    def chapter_ms(self) -> list[tuple[str, int, int]]:
        return [(c.title, samples_to_ms(c.start), samples_to_ms(c.end)) for c in self.chapters]


class Catalog:
    """The sessions of one folder, read again whenever a file changes (new builds appear
    without a restart); each file's tags are read once per version of it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.root = directory.resolve()
        self._known: dict[tuple[str, int, int, int], Episode | None] = {}
        self._lock = threading.Lock()

    def episodes(self) -> list[Episode]:
        """Every session, newest first."""
        found: list[Episode] = []
        try:
            entries = sorted(os.scandir(self.root), key=lambda e: e.name)
        except OSError:
            return []
        for entry in entries:
            episode = self._episode(entry)
            if episode is not None:
                found.append(episode)
        return sorted(found, key=lambda e: (-e.modified, e.name))

    def find(self, name: str) -> Episode | None:
        """The session whose audio file is called `name` exactly, or whose stem it is."""
        return next((e for e in self.episodes() if name in (e.name, e.stem)), None)

    def _episode(self, entry: os.DirEntry[str]) -> Episode | None:
        name = entry.name
        suffix = Path(name).suffix.lower()
        if name.startswith(".") or suffix not in AUDIO_TYPES:
            return None
        audio = self._inside(self.root / name)
        timeline_path = self._inside(self.root / (Path(name).stem + ".timeline.json"))
        if audio is None or timeline_path is None:
            return None
        try:
            stat, timeline_stat = audio.stat(), timeline_path.stat()
        except OSError:
            return None
        key = (name, stat.st_size, stat.st_mtime_ns, timeline_stat.st_mtime_ns)
        with self._lock:
            if key not in self._known:
                self._known[key] = _read_episode(name, audio, suffix, stat, timeline_path)
            return self._known[key]

    def _inside(self, path: Path) -> Path | None:
        """The real path, if it is a regular file directly inside the folder."""
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if real.parent != self.root or real.name.startswith(".") or not real.is_file():
            return None
        return real


def _read_episode(name: str, audio: Path, suffix: str, stat: os.stat_result,
                  timeline_path: Path) -> Episode | None:
    from narrator.publish.tags import read_cover, read_mp4_tags, read_tags

    try:
        timeline = timeline_from_json(timeline_path.read_text(encoding="utf-8"))
        tags: TagInfo = read_mp4_tags(audio) if suffix == ".m4b" else read_tags(audio)
        cover = read_cover(audio)
    except (NarratorError, OSError, ValueError, KeyError, TypeError):
        return None
    if not tags.text.get("COMM", "").startswith(MADE_BY):
        return None
    return Episode(
        name=name, audio=audio, media_type=AUDIO_TYPES[suffix], size=stat.st_size,
        modified=stat.st_mtime, title=tags.text.get("TIT2") or timeline.title,
        artist=tags.text.get("TPE1", ""), source=tags.text.get("TXXX:source", ""),
        duration_ms=tags.length_ms, chapters=timeline.chapters, timeline=timeline,
        cover_type=cover[0] if cover is not None else None,
    )


def timeline_from_json(text: str) -> Timeline:
    """A timeline as `<name>.timeline.json` holds it (Timeline.as_dict); ValueError, KeyError
    or TypeError when it is not one."""
    data: Any = json.loads(text)
    chapters = tuple(Chapter(title=str(c["title"]), start=int(c["start"]), end=int(c["end"]))
                     for c in data["chapters"])
    events = tuple(
        Event(kind=e["kind"], start=int(e["start"]), end=int(e["end"]), text=e.get("text"),
              exercise=e.get("exercise"), side=e.get("side"), repetition=e.get("repetition"),
              overlay=bool(e.get("overlay", False)))
        for e in data["events"])
    if not chapters or int(data["total"]) <= 0:
        raise ValueError("an empty timeline")
    return Timeline(title=str(data["title"]), total=int(data["total"]), events=events,
                    chapters=chapters, sample_rate=int(data["sample_rate"]))


def cover_of(episode: Episode) -> tuple[str, bytes] | None:
    from narrator.publish.tags import read_cover

    with contextlib.suppress(NarratorError):
        return read_cover(episode.audio)
    return None
