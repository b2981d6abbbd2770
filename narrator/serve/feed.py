"""The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, through feedgen.

One episode per session, newest first, with its enclosure (length and type), duration,
cover and description, a `podcast:chapters` link to its chapters JSON and a
`podcast:transcript` link to its WebVTT. feedgen's own podcast extension writes the iTunes
tags; the two Podcasting 2.0 tags come from a small feedgen extension here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from narrator.serve.catalog import Episode

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CHAPTERS_TYPE = "application/json+chapters"
TRANSCRIPT_TYPE = "text/vtt"


def clock(ms: int) -> str:
    """m:ss, or h:mm:ss from an hour on, in whole seconds (as players show times)."""
    hours, rest = divmod(ms // 1000, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else \
        f"{rest // 60}:{rest % 60:02d}"


def _duration(ms: int) -> str:
    return clock(round(ms / 1000) * 1000)


def describe(episode: Episode) -> str:
    """A line or two for the feed and the page: the length and the stretches, in order."""
    names = [c.title for c in episode.chapters[1:-1]] or [c.title for c in episode.chapters]
    names = list(dict.fromkeys(names))
    text = (f"A voice-guided session of {_duration(episode.duration_ms)}, "
            f"{len(episode.chapters)} chapters: {', '.join(names)}.")
    if episode.source.startswith(("http://", "https://")):
        text += f" From {episode.source}"
    return text


def _extensions() -> tuple[type[Any], type[Any]]:
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from feedgen.util import xml_elem

    class PodcastIndexFeed(BaseExtension):  # type: ignore[misc]
        def extend_ns(self) -> dict[str, str]:
            return {"podcast": PODCAST_NS}

    class PodcastIndexEntry(BaseEntryExtension):  # type: ignore[misc]
        def __init__(self) -> None:
            self.links: list[tuple[str, str, str]] = []

        def extend_ns(self) -> dict[str, str]:
            return {"podcast": PODCAST_NS}

        def link(self, tag: str, url: str, media_type: str) -> None:
            self.links.append((tag, url, media_type))

        def extend_rss(self, entry: Any) -> Any:
            for tag, url, media_type in self.links:
                element = xml_elem(f"{{{PODCAST_NS}}}{tag}", entry)
                element.attrib["url"] = url
                element.attrib["type"] = media_type
                if tag == "transcript":
                    element.attrib["rel"] = "captions"
            return entry

    return PodcastIndexFeed, PodcastIndexEntry


def feed_xml(episodes: list[Episode], base: str, *, page: str) -> bytes:
    """The feed for `episodes`; every link is absolute, under `base` (ending in "/")."""
    from feedgen.feed import FeedGenerator

    import narrator

    feed: Any = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcastindex", *_extensions())
    feed.title("narrator sessions")
    feed.link(href=page, rel="alternate")
    feed.description("Voice-guided stretching sessions built by narrator on this computer.")
    feed.language("en")
    feed.generator("narrator", version=str(narrator.__version__))
    feed.podcast.itunes_author("narrator")
    feed.podcast.itunes_category("Health & Fitness", "Fitness")
    feed.podcast.itunes_explicit("no")
    feed.podcast.itunes_type("episodic")
    with_cover = [e for e in episodes if e.has_cover]
    if with_cover:
        cover = f"{base}cover/{_quote(with_cover[0].cover_file)}"
        feed.image(url=cover, title="narrator sessions", link=page)
        feed.podcast.itunes_image(cover)
    for episode in reversed(episodes):  # feedgen puts each new entry first
        entry: Any = feed.add_entry()
        audio = f"{base}audio/{_quote(episode.name)}"
        entry.guid(episode.guid, permalink=False)
        entry.title(episode.title)
        entry.description(describe(episode))
        entry.link(href=f"{page}#{_quote(episode.stem)}")
        entry.enclosure(audio, str(episode.size), episode.media_type)
        entry.pubDate(datetime.fromtimestamp(episode.modified, tz=timezone.utc))
        entry.podcast.itunes_duration(_duration(episode.duration_ms))
        entry.podcast.itunes_author(episode.artist or "narrator")
        entry.podcast.itunes_explicit("no")
        if episode.has_cover:
            entry.podcast.itunes_image(f"{base}cover/{_quote(episode.cover_file)}")
        entry.podcastindex.link("chapters", f"{base}chapters/{_quote(episode.stem)}.json",
                                CHAPTERS_TYPE)
        entry.podcastindex.link("transcript", f"{base}transcript/{_quote(episode.stem)}.vtt",
                                TRANSCRIPT_TYPE)
    xml: bytes = feed.rss_str(pretty=True)
    return xml


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
