"""ID3v2.3 chapters and metadata, all through mutagen, and read back for `inspect`.

Every mutagen call lives here so that its exceptions become TagReadError or TagWriteError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrator.errors import TagReadError, TagWriteError
from narrator.model import Routine, Timeline, samples_to_ms
from narrator.publish.cover import Cover, image_size

CHAPTER_ID_WIDTH = 24
"""Every CHAP element id is padded to this width plus the title's length difference.

mutagen writes frames of equal priority ordered by size, then by id (mutagen issue 506),
and ffmpeg and several players take chapters in file order. Frames of one size with
zero-padded ids are therefore written in chronological order.
"""


DEFAULT_ARTIST = "narrator"
GENRE = "Fitness"


@dataclass(frozen=True)
class Metadata:
    title: str
    artist: str = DEFAULT_ARTIST
    album: str = "narrator sessions"
    genre: str = GENRE
    lyrics: str = ""
    """The full spoken script, written as USLT."""
    comment: str = ""
    source: str = ""
    """Where the routine came from (a file name, a web address, "built-in")."""
    cover: Cover | None = None
    """Embedded as the front cover."""

    @classmethod
    def for_routine(cls, routine: Routine, *, title: str | None = None,
                    artist: str | None = None, album: str | None = None) -> Metadata:
        """What the routine says about itself, with the user's overrides.

        The album is the routine's title, as for an audiobook: players group a session's
        files (MP3, M4B) under it, and the lock screen shows "title - artist".
        """
        title = title or routine.title
        source = routine.source if routine.source not in ("", "-") else ""
        return cls(
            title=title,
            artist=artist or routine.author or DEFAULT_ARTIST,
            album=album or routine.title,
            comment=f"Made with narrator from {source}." if source else "Made with narrator.",
            source=source,
        )


@dataclass(frozen=True)
class ChapterInfo:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class CoverInfo:
    mime: str
    width: int | None
    height: int | None
    bytes: int
    kind: str
    """"front cover" (APIC type 3, or MP4 covr), or another picture type's name."""


@dataclass(frozen=True)
class TagInfo:
    """What a player would show, as read back from a file."""

    length_ms: int
    bitrate: int
    sample_rate: int
    bitrate_mode: str
    text: dict[str, str] = field(default_factory=dict)
    chapters: tuple[ChapterInfo, ...] = ()
    toc: tuple[str, ...] = ()
    lyrics_chars: int = 0
    cover: CoverInfo | None = None
    format: str = "MP3"


def _id3() -> Any:
    from mutagen import id3

    return id3


def _chapter_ids(titles: list[str]) -> list[str]:
    """Element ids that make every CHAP frame the same size (see CHAPTER_ID_WIDTH)."""
    lengths = [len(t.encode("utf-16")) for t in titles]
    longest = max(lengths, default=0)
    ids = []
    for index, size in enumerate(lengths):
        base = f"chp{index:04d}"
        ids.append(base + "_" * (CHAPTER_ID_WIDTH - len(base) + longest - size))
    return ids


CTOC_MAX_ENTRIES = 255
"""A CTOC frame counts its entries in one byte. A longer session gets a top-level table
whose entries are child tables of up to this many chapters each (ID3v2 chapter spec 1.0)."""


def _tables_of_contents(id3: Any, ids: list[str], title: str) -> list[Any]:
    def table(element_id: str, children: list[str], top: bool) -> Any:
        flags = id3.CTOCFlags.ORDERED | (id3.CTOCFlags.TOP_LEVEL if top else 0)
        return id3.CTOC(element_id=element_id, flags=flags, child_element_ids=children,
                        sub_frames=[id3.TIT2(encoding=id3.Encoding.UTF16, text=title)])

    if len(ids) <= CTOC_MAX_ENTRIES:
        return [table("toc", ids, True)]
    parts = [ids[i:i + CTOC_MAX_ENTRIES] for i in range(0, len(ids), CTOC_MAX_ENTRIES)]
    names = [f"toc{n}" for n in range(1, len(parts) + 1)]
    if len(names) > CTOC_MAX_ENTRIES:
        raise TagWriteError(f"{len(ids)} chapters are more than ID3 tables can list")
    return [table("toc", names, True),
            *(table(name, part, False) for name, part in zip(names, parts, strict=True))]


def _toc_order(tags: Any) -> tuple[str, ...]:
    """The chapter ids in the order the top-level table lists them, child tables opened."""
    tables = {frame.element_id: frame for frame in tags.getall("CTOC")}
    top_level = _id3().CTOCFlags.TOP_LEVEL
    top = next((f for f in tables.values() if f.flags & top_level), None)
    if top is None:
        return tuple(next(iter(tables.values())).child_element_ids) if tables else ()
    order: list[str] = []
    for child in top.child_element_ids:
        if child in tables and child != top.element_id:
            order += tables[child].child_element_ids
        else:
            order.append(child)
    return tuple(order)


def write_tags(path: Path, timeline: Timeline, metadata: Metadata) -> None:
    """Replace all tags of the MP3 at `path` with ours, as ID3v2.3."""
    id3 = _id3()
    try:
        tags = id3.ID3()
        tags.add(id3.TIT2(encoding=id3.Encoding.UTF16, text=metadata.title))
        tags.add(id3.TPE1(encoding=id3.Encoding.UTF16, text=metadata.artist))
        tags.add(id3.TALB(encoding=id3.Encoding.UTF16, text=metadata.album))
        tags.add(id3.TCON(encoding=id3.Encoding.UTF16, text=metadata.genre))
        tags.add(id3.TLEN(encoding=id3.Encoding.UTF16, text=str(samples_to_ms(timeline.total))))
        if metadata.lyrics:
            tags.add(id3.USLT(encoding=id3.Encoding.UTF16, lang="eng", desc="script",
                              text=metadata.lyrics))
        if metadata.comment:
            tags.add(id3.COMM(encoding=id3.Encoding.UTF16, lang="eng", desc="",
                              text=metadata.comment))
        if metadata.source:
            tags.add(id3.TXXX(encoding=id3.Encoding.UTF16, desc="source", text=metadata.source))
            if metadata.source.startswith(("http://", "https://")):
                tags.add(id3.WOAS(url=metadata.source))
        if metadata.cover:
            tags.add(id3.APIC(encoding=id3.Encoding.UTF16, mime=metadata.cover.mime,
                              type=id3.PictureType.COVER_FRONT, desc="Cover",
                              data=metadata.cover.data))
        titles = [c.title for c in timeline.chapters]
        ids = _chapter_ids(titles)
        for element_id, chapter in zip(ids, timeline.chapters, strict=True):
            tags.add(
                id3.CHAP(
                    element_id=element_id,
                    start_time=samples_to_ms(chapter.start),
                    end_time=samples_to_ms(chapter.end),
                    sub_frames=[id3.TIT2(encoding=id3.Encoding.UTF16, text=chapter.title)],
                )
            )
        for frame in _tables_of_contents(id3, ids, metadata.title):
            tags.add(frame)
        tags.update_to_v23()
        tags.save(str(path), v2_version=3, v1=id3.ID3v1SaveOptions.REMOVE)
    except (OSError, id3.error, ValueError) as exc:
        raise TagWriteError(f"cannot write tags: {exc}", path=path) from exc


def read_tags(path: Path) -> TagInfo:
    """Chapters, text frames and stream facts of an MP3, as a player would see them."""
    id3 = _id3()
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        audio: Any = MP3(str(path))  # type: ignore[no-untyped-call]
    except (MutagenError, OSError) as exc:
        raise TagReadError(f"not a readable MP3: {exc}", path=path) from exc
    tags = audio.tags or id3.ID3()
    text = {
        key: str(frame.text[0])
        for key in ("TIT2", "TPE1", "TALB", "TCON", "TLEN", "TXXX:source")
        if (frame := tags.get(key)) is not None and frame.text
    }
    comments = tags.getall("COMM")
    if comments and comments[0].text:
        text["COMM"] = str(comments[0].text[0])
    if (woas := tags.get("WOAS")) is not None:
        text["WOAS"] = str(woas.url)
    pictures = tags.getall("APIC")
    cover = None
    if pictures:
        picture = next((p for p in pictures if p.type == id3.PictureType.COVER_FRONT),
                       pictures[0])
        size = image_size(picture.data)
        kind = ("front cover" if picture.type == id3.PictureType.COVER_FRONT
                else str(id3.PictureType(picture.type)).rsplit(".", 1)[-1].lower())
        cover = CoverInfo(mime=str(picture.mime), width=size[0] if size else None,
                          height=size[1] if size else None, bytes=len(picture.data), kind=kind)
    chapters = sorted(
        (
            ChapterInfo(
                title=str(f.sub_frames["TIT2"].text[0]) if "TIT2" in f.sub_frames else "",
                start_ms=f.start_time,
                end_ms=f.end_time,
            )
            for f in tags.getall("CHAP")
        ),
        key=lambda c: c.start_ms,
    )
    lyrics = tags.getall("USLT")
    return TagInfo(
        length_ms=round(audio.info.length * 1000),
        bitrate=int(audio.info.bitrate),
        sample_rate=int(audio.info.sample_rate),
        bitrate_mode=str(audio.info.bitrate_mode).rsplit(".", 1)[-1],
        text=text,
        chapters=tuple(chapters),
        toc=_toc_order(tags),
        lyrics_chars=sum(len(u.text) for u in lyrics),
        cover=cover,
    )


# --------------------------------------------------------------------------- MP4 (M4B)

_MP4_TEXT = {"\xa9nam": "TIT2", "\xa9ART": "TPE1", "\xa9alb": "TALB", "\xa9gen": "TCON",
             "\xa9cmt": "COMM", "----:com.apple.iTunes:source": "TXXX:source"}
"""MP4 atoms and the ID3 frames that mean the same, so `inspect` reads both alike."""
_MP4_AUDIOBOOK = 2
"""stik (media kind) 2: Apple Books and iOS file it as an audiobook."""


def write_mp4_tags(path: Path, metadata: Metadata) -> None:
    """Tags, the script and the front cover of the M4B at `path` (ffmpeg wrote its chapters)."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

    try:
        audio: Any = MP4(str(path))  # type: ignore[no-untyped-call]
        if audio.tags is None:
            audio.add_tags()
        tags = audio.tags
        tags["\xa9nam"] = [metadata.title]
        tags["\xa9ART"] = [metadata.artist]
        tags["\xa9alb"] = [metadata.album]
        tags["\xa9gen"] = [metadata.genre]
        tags["stik"] = [_MP4_AUDIOBOOK]
        if metadata.comment:
            tags["\xa9cmt"] = [metadata.comment]
        if metadata.lyrics:
            tags["\xa9lyr"] = [metadata.lyrics]
        if metadata.source:
            tags["----:com.apple.iTunes:source"] = [MP4FreeForm(metadata.source.encode())]  # type: ignore[no-untyped-call]
        if metadata.cover:
            kind = (MP4Cover.FORMAT_PNG if metadata.cover.mime == "image/png"
                    else MP4Cover.FORMAT_JPEG)
            tags["covr"] = [MP4Cover(metadata.cover.data, imageformat=kind)]  # type: ignore[no-untyped-call]
        audio.save()
    except (MutagenError, OSError, ValueError) as exc:
        raise TagWriteError(f"cannot write tags: {exc}", path=path) from exc


def read_mp4_tags(path: Path) -> TagInfo:
    """Tags, chapters and cover of an M4B, as `read_tags` reads an MP3."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4, MP4Cover

    try:
        audio: Any = MP4(str(path))  # type: ignore[no-untyped-call]
    except (MutagenError, OSError) as exc:
        raise TagReadError(f"not a readable MP4: {exc}", path=path) from exc
    tags = audio.tags or {}
    text = {}
    for atom, key in _MP4_TEXT.items():
        if tags.get(atom):
            value = tags[atom][0]
            text[key] = bytes(value).decode("utf-8", "replace") if atom.startswith("----") \
                else str(value)
    length_ms = round(audio.info.length * 1000)
    text["TLEN"] = str(length_ms)
    chapters: list[ChapterInfo] = []
    if audio.chapters:
        starts = [round(c.start * 1000) for c in audio.chapters]
        ends = [*starts[1:], length_ms]
        chapters = [ChapterInfo(title=str(c.title), start_ms=s, end_ms=e)
                    for c, s, e in zip(audio.chapters, starts, ends, strict=True)]
    cover = None
    if tags.get("covr"):
        picture = tags["covr"][0]
        size = image_size(bytes(picture))
        mime = "image/png" if picture.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
        cover = CoverInfo(mime=mime, width=size[0] if size else None,
                          height=size[1] if size else None, bytes=len(picture),
                          kind="front cover")
    return TagInfo(
        length_ms=length_ms,
        bitrate=int(audio.info.bitrate),
        sample_rate=int(audio.info.sample_rate),
        bitrate_mode=str(getattr(audio.info, "codec_description", "") or audio.info.codec),
        text=text,
        chapters=tuple(chapters),
        toc=(),
        lyrics_chars=len(tags["\xa9lyr"][0]) if tags.get("\xa9lyr") else 0,
        cover=cover,
        format="M4B",
    )


def read_cover(path: Path) -> tuple[str, bytes] | None:
    """The front cover embedded in an MP3 or M4B, as (MIME type, image bytes), or None."""
    from mutagen import MutagenError

    try:
        if path.suffix.lower() in (".m4b", ".m4a", ".mp4"):
            from mutagen.mp4 import MP4, MP4Cover

            mp4: Any = MP4(str(path))  # type: ignore[no-untyped-call]
            covers = (mp4.tags or {}).get("covr")
            if not covers:
                return None
            png = covers[0].imageformat == MP4Cover.FORMAT_PNG
            return ("image/png" if png else "image/jpeg"), bytes(covers[0])
        id3 = _id3()
        pictures = id3.ID3(str(path)).getall("APIC")
    except (MutagenError, OSError) as exc:
        raise TagReadError(f"cannot read the cover: {exc}", path=path) from exc
    if not pictures:
        return None
    picture = next((p for p in pictures if p.type == id3.PictureType.COVER_FRONT), pictures[0])
    return str(picture.mime), bytes(picture.data)
