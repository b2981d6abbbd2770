"""What a player shows for a session: title, artist, album, source and the front cover.

The routine supplies each of them; the user's options override them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from narrator.model import SAMPLE_RATE, Routine
from narrator.publish.cover import Cover, generate_cover, load_cover
from narrator.publish.tags import Metadata


def metadata_for(
    routine: Routine,
    total_samples: int,
    *,
    title: str | None = None,
    artist: str | None = None,
    album: str | None = None,
    cover: Cover | Path | None = None,
    with_cover: bool = True,
) -> Metadata:
    """The session's metadata, with a generated cover unless the user's `cover` (an image
    file, or one already loaded) is given, or `with_cover` is False. The session is
    `routine`, lasting `total_samples`."""
    metadata = Metadata.for_routine(routine, title=title, artist=artist, album=album)
    if not with_cover:
        return metadata
    if cover is not None:
        return replace(metadata, cover=load_cover(cover) if isinstance(cover, Path) else cover)
    names = list(dict.fromkeys(e.name for e in routine.exercises if e.holds))
    art = generate_cover(metadata.title, total_samples / SAMPLE_RATE, names,
                         language=routine.language)
    return replace(metadata, cover=art)
