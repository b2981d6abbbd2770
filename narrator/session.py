"""The pipeline end to end: routine -> script -> clips -> timeline -> MP3 with tags.

`prepare` does everything up to the timeline (what `plan` shows); `build` renders, encodes
and tags it. Both share one timeline, so plan and build agree to the sample. The library's
`narrator.plan` and `narrator.build` read the routine and options and call these two.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from narrator.errors import OptionError
from narrator.files import replace_all
from narrator.model import (
    SAMPLE_RATE,
    Gap,
    HoldStep,
    Routine,
    Say,
    Script,
    Timeline,
    samples_to_ms,
)
from narrator.options import DEFAULT_BITRATE, MAX_HOLD_S, MIN_HOLD_S, OutputOptions, SessionOptions
from narrator.publish.check import check_encoded
from narrator.publish.encode import (
    encode_cores,
    encode_m4b,
    encode_mp3,
    encode_mp3_parts,
    gapless_length,
)
from narrator.publish.mp3join import plan_pieces
from narrator.publish.tags import Metadata, write_mp4_tags, write_tags
from narrator.script.compile import compile_routine
from narrator.script.cues import DEFAULT_LANGUAGE, narration_language, phrases
from narrator.script.holds import scale_to_fit
from narrator.script.timeline import extend, schedule
from narrator.sound.ambience import Ambience, open_bed
from narrator.sound.audio import Sound
from narrator.sound.bells import load_bells
from narrator.sound.mix import placed_sounds, render, silent_spans
from narrator.speech.base import Synthesizer, VoiceChoice
from narrator.speech.cache import ClipCache
from narrator.speech.speak import SpeechStats, finish_in_background, synthesize_all

MINUTES_TOLERANCE_S = 15.0
"""Scaling the holds stops within this of --minutes (holds are whole seconds, and speech
has its own length); the gaps then take up the rest."""
MINUTES_MET_S = 1.0
"""--minutes is met within this, or the plan says why not."""
MAX_GAP_S = 300.0
"""The longest --ready, --switch or --rest."""


@dataclass(frozen=True)
class Session:
    routine: Routine
    script: Script
    timeline: Timeline
    clips: dict[str, Sound] = field(repr=False)
    language: str = DEFAULT_LANGUAGE
    """The language its cues are said in."""
    voice: VoiceChoice | None = None
    """Who speaks it, when the engine was chosen for the routine (narrator.plan does)."""


@dataclass(frozen=True)
class BuildResult:
    """What `narrator.build` made: the session, and every file it wrote."""

    session: Session
    path: Path
    timeline_path: Path
    side_files: tuple[Path, ...]
    """The chapters JSON and WebVTT files, those that were asked for."""


@dataclass
class Progress:
    """Callbacks the command line turns into progress bars."""

    on_clip: Callable[[str], None] | None = None
    on_encode_start: Callable[[int], None] | None = None
    on_samples: Callable[[int], None] | None = None


ESTIMATED_SECONDS_PER_CHAR = 0.065
"""Speech length guessed from text, only to choose the minutes the intro announces."""


@dataclass
class _Planner:
    """Compiles, speaks and schedules, keeping every clip made along the way."""

    options: SessionOptions
    synthesizer: Synthesizer
    cache: ClipCache | None
    progress: Progress
    stats: SpeechStats
    language: str = DEFAULT_LANGUAGE
    clips: dict[str, Sound] = field(default_factory=dict)

    def _lengths(self, script: Script) -> dict[str, int]:
        return {
            t: self.clips[t].samples if t in self.clips
            else round(len(t) * ESTIMATED_SECONDS_PER_CHAR * SAMPLE_RATE)
            for t in script.spoken_texts
        }

    def _speak(self, script: Script) -> None:
        missing = [t for t in script.spoken_texts if t not in self.clips]
        self.clips.update(synthesize_all(missing, self.synthesizer, self.cache,
                                         on_clip=self.progress.on_clip, stats=self.stats))

    def timeline_for(self, routine: Routine) -> tuple[Script, Timeline]:
        """Compile and schedule. The intro says the total time, which depends on the intro,
        so settle the minutes on estimated speech lengths first, then speak only the final
        texts.
        """
        bells = load_bells()
        bell_samples = (bells.start.samples, bells.end.samples)
        minutes: int | None = None
        for _ in range(6):
            script = compile_routine(routine, self.options, total_minutes=minutes,
                                     language=self.language)
            estimate = schedule(script, self._lengths(script), bell_samples)
            said = max(1, round(estimate.total / SAMPLE_RATE / 60))
            if said == minutes:
                if all(t in self.clips for t in script.spoken_texts):
                    break
                self._speak(script)
                continue
            minutes = said
        # Should the minutes not settle, the last script is still spoken and timed exactly.
        self._speak(script)
        timeline = schedule(script, self._lengths(script), bell_samples)
        return script, extend(timeline, gapless_length(timeline.total))

    def fit_minutes(self, original: Routine, minutes: float) -> tuple[Routine, Script, Timeline]:
        """The routine with its holds scaled so the session lasts `minutes`."""
        target = minutes * 60 * SAMPLE_RATE
        holds = sum(len(e.holds) for e in original.exercises) * self.options.rounds
        original_held = original.hold_seconds * self.options.rounds * SAMPLE_RATE
        routine = original
        script, timeline = self.timeline_for(routine)
        for _ in range(5):
            held = sum(s.samples for sec in script.sections for s in sec.steps
                       if isinstance(s, HoldStep))
            fixed = timeline.total - held
            low = fixed + holds * MIN_HOLD_S * SAMPLE_RATE
            high = fixed + holds * MAX_HOLD_S * SAMPLE_RATE
            if target < low:
                raise OptionError(
                    f"--minutes {minutes:g} cannot be met: the speech and gaps alone take "
                    f"{fixed / SAMPLE_RATE / 60:.1f} min, so the session lasts at least "
                    f"{low / SAMPLE_RATE / 60:.1f} min")
            if target > high:
                raise OptionError(f"--minutes {minutes:g} cannot be met: holds are at most "
                                  f"{MAX_HOLD_S / 60:g} min each")
            routine = scale_to_fit(original, (target - fixed) / original_held)
            script, timeline = self.timeline_for(routine)
            if abs(timeline.total - target) <= MINUTES_TOLERANCE_S * SAMPLE_RATE:
                break
        script, timeline = self._spread_remainder(routine, script, timeline, round(target))
        if abs(timeline.total - target) > MINUTES_MET_S * SAMPLE_RATE:
            lasts = timeline.total / SAMPLE_RATE
            routine = replace(routine, notes=(*routine.notes, (
                f"--minutes {minutes:g}: the session lasts {int(lasts // 60)}:{lasts % 60:04.1f}, "
                "as near as whole-second holds and gaps of 0 to 300 s allow")))
        return routine, script, timeline

    def _spread_remainder(self, routine: Routine, script: Script, timeline: Timeline,
                          target: int) -> tuple[Script, Timeline]:
        """Holds stay whole seconds (as a person would say them); what they leave over, up
        to a few seconds a hold, is spread over the gaps around them (get ready, switch
        sides, rest), so the session lands within a second of the minutes asked. A gap that
        grows to fit its cue takes less than its share: measured, and spread again."""
        for _ in range(4):
            remainder = target - timeline.total
            if abs(remainder) <= SAMPLE_RATE // 4:
                break
            gaps = sum(1 for section in script.sections for step in section.steps
                       if isinstance(step, Gap) and step.kind in ("ready", "switch", "rest"))
            if not gaps:
                break
            delta = remainder / gaps / SAMPLE_RATE
            options = self.options

            def spread(seconds: float, delta: float = delta) -> float:
                return min(MAX_GAP_S, max(0.0, round(seconds + delta, 3)))

            widened = replace(options, ready=spread(options.ready),
                              switch=spread(options.switch), rest=spread(options.rest))
            if widened == options:
                break
            self.options = widened
            script, timeline = self.timeline_for(routine)
        return script, timeline


def prepare(
    routine: Routine,
    options: SessionOptions,
    synthesizer: Synthesizer,
    cache: ClipCache | None = None,
    *,
    minutes: float | None = None,
    progress: Progress | None = None,
    stats: SpeechStats | None = None,
    voice: VoiceChoice | None = None,
) -> Session:
    """Everything up to the timeline, its cues in the routine's language. With `minutes`,
    holds are scaled to fill that time."""
    language = narration_language(routine.language)
    planner = _Planner(options, synthesizer, cache, progress or Progress(),
                       stats or SpeechStats(), language)
    if minutes is None:
        script, timeline = planner.timeline_for(routine)
    else:
        routine, script, timeline = planner.fit_minutes(routine, minutes)
    used = {t: planner.clips[t] for t in script.spoken_texts}
    return Session(routine=routine, script=script, timeline=timeline, clips=used,
                   language=language, voice=voice)


def spoken_script(script: Script, language: str = DEFAULT_LANGUAGE) -> str:
    """Everything said, in the order it is heard, a chapter a paragraph, the holds marked
    in `language` (for USLT, for reading along, and what scripts/bench --voice compares a
    transcript with). The cues said over a hold follow its marker."""
    say = phrases(language)
    paragraphs = []
    for section in script.sections:
        lines = [f"[{section.title}]"]
        for step in section.steps:
            if isinstance(step, Say):
                lines.append(step.text)
            elif isinstance(step, HoldStep):
                lines.append(say.hold_marker(step.samples / SAMPLE_RATE, step.side))
                lines.extend(overlay.text for overlay in step.overlays)
            elif step.cue:
                lines.append(step.cue)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def plan_dict(session: Session) -> dict[str, object]:
    """The plan as JSON-ready data; its times come from the same timeline the build writes."""
    timeline = session.timeline
    routine = session.routine
    return {
        "title": routine.title,
        "source": routine.source,
        "language": session.language,
        "voice": session.voice.voice if session.voice else None,
        "engine": session.voice.engine if session.voice else None,
        "total_seconds": round(timeline.total / SAMPLE_RATE, 3),
        "total_ms": samples_to_ms(timeline.total),
        "hold_seconds": routine.hold_seconds,
        "exercises": [
            {
                "name": e.name,
                "holds": [h.seconds for h in e.holds],
                "sides": [h.side for h in e.holds],
                "sets": None if e.sets is None else {
                    "count": e.sets.count, "reps": e.sets.reps, "rest": e.sets.rest},
                "instructions": list(e.instructions),
                "notes": list(e.notes),
            }
            for e in routine.exercises
        ],
        "notes": list(routine.notes),
        "chapters": [
            {"title": c.title, "start_ms": samples_to_ms(c.start), "end_ms": samples_to_ms(c.end)}
            for c in timeline.chapters
        ],
    }


def build(
    session: Session,
    output: Path,
    *,
    bitrate: str | None = None,
    metadata: Metadata | Callable[[], Metadata] | None = None,
    progress: Progress | None = None,
    chapters_json: bool = False,
    vtt: bool = False,
    ambience: Ambience | None = None,
    encoders: int | None = None,
) -> Path:
    """Render, encode and tag the session; write `output` and its timeline JSON beside it,
    and if asked, <name>.chapters.json (Podcasting 2.0) and <name>.vtt (WebVTT) too.

    An `output` ending in .m4b is AAC in MP4 with chapters (audiobook players, Apple
    Books); anything else is MP3. `bitrate` defaults to each format's own. `ambience`
    is looped under the whole session, ducked under speech. `metadata` may be a function,
    called while the audio encodes (drawing the cover takes a moment). An MP3 is encoded
    by `encoders` processes at once (default: one per core), joined into one file.
    """
    progress = progress or Progress()
    bells = load_bells()

    def complete_metadata() -> Metadata:
        if metadata is None:
            from narrator.publish.metadata import metadata_for

            made = metadata_for(session.routine, session.timeline.total)
        else:
            made = metadata() if callable(metadata) else metadata
        return made if made.lyrics else replace(
            made, lyrics=spoken_script(session.script, session.language))

    if progress.on_encode_start:
        progress.on_encode_start(session.timeline.total)
    m4b = output.suffix.lower() == ".m4b"
    sounds = {"start": bells.start, "end": bells.end}
    total = session.timeline.total
    # An MP3 is encoded in parts, one per core, cut where the mix is digital silence, and
    # its long silences are not encoded at all but written as silent frames; under ambience
    # there is no silence, and an M4B takes its chapters with the audio: one process.
    workers = encode_cores() if encoders is None else encoders
    pieces = [] if m4b or ambience else plan_pieces(
        silent_spans(placed_sounds(session.timeline, session.clips, sounds), total), total,
        workers)
    with contextlib.ExitStack() as stack:
        bed = stack.enter_context(open_bed(ambience, session.timeline)) if ambience else None
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))
        drawn: list[Future[Metadata]] = []

        def encoders_started() -> None:
            # Called once ffmpeg runs, so the work that can run beside it starts only then
            # and does not hold up its start. The cover is drawn on one thread (the tags are
            # needed only afterwards); clips spoken in this run are levelled on another, in
            # the order they play, and the mixer waits only for one it reaches before that
            # thread does.
            if not m4b:  # an M4B takes its tags with the audio, so they are made before
                drawn.append(pool.submit(complete_metadata))
            stack.enter_context(finish_in_background(
                session.clips[e.text] for e in session.timeline.events
                if e.kind == "speech" and e.text is not None))

        def blocks() -> Generator[bytes, None, None]:
            encoders_started()
            yield from render(session.timeline, session.clips, sounds, bed=bed)

        def encode(partial: Path) -> None:
            # Either way, an encoder that "succeeds" without writing the audio must not
            # replace a file: the joined file is checked part by part as it is joined, a
            # file encoded whole by walking its frames.
            if len(pieces) > 1:
                encode_mp3_parts(
                    lambda start, end: render(session.timeline, session.clips, sounds,
                                              start=start, end=end),
                    total, pieces, partial, bitrate=bitrate or DEFAULT_BITRATE,
                    workers=workers, on_block=progress.on_samples, on_start=encoders_started)
            else:
                encode_mp3(stack.enter_context(contextlib.closing(blocks())), partial,
                           bitrate=bitrate or DEFAULT_BITRATE, on_block=progress.on_samples)
                check_encoded(partial, total, "mp3")

        def tags() -> Metadata:
            return drawn[0].result() if drawn else complete_metadata()

        _encode_and_write(session, encode, lambda: stack.enter_context(
            contextlib.closing(blocks())), output, tags, bitrate, progress, m4b,
            chapters_json=chapters_json, vtt=vtt)
    return output


def _encode_and_write(session: Session, encode_mp3_into: Callable[[Path], None],
                      blocks: Callable[[], Iterator[bytes]], output: Path,
                      tags: Callable[[], Metadata], bitrate: str | None, progress: Progress,
                      m4b: bool, *, chapters_json: bool, vtt: bool) -> None:
    # Every file of the build is written under a temporary name and renamed at the end,
    # all of them or none: a failed build leaves the old MP3 with its own timeline.
    paths = output_files(output, chapters_json=chapters_json, vtt=vtt)
    with replace_all(list(paths.values())) as temporaries:
        partial = dict(zip(paths, temporaries, strict=True))
        if m4b:
            metadata = tags()  # the chapters go in with the audio
            _encode_m4b(session, blocks(), partial["audio"], metadata,
                        bitrate or DEFAULT_BITRATE, progress)
        else:
            encode_mp3_into(partial["audio"])  # checked that it holds the planned audio
            metadata = tags()
            write_tags(partial["audio"], session.timeline, metadata)
        partial["timeline"].write_text(json.dumps(session.timeline.as_dict(), indent=1) + "\n")
        _write_side_files(session, partial, metadata)


def slugify(title: str, limit: int = 60) -> str:
    """A safe file name from a title: no path separators, dots at the start or odd characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "session"


def output_path(routine: Routine, output: OutputOptions, out: Path | None) -> Path:
    """Where to write: `out`, or output/<title>, ending in the format's suffix either way."""
    target = out or Path("output") / f"{slugify(output.title or routine.title)}"
    if target.suffix.lower() != output.suffix:
        target = target.with_name(target.name + output.suffix)
    return target


def side_file_paths(output: Path) -> dict[str, Path]:
    """Where build writes the optional side files: beside the audio, named after it."""
    return {"chapters_json": output.with_suffix(".chapters.json"),
            "vtt": output.with_suffix(".vtt")}


def output_files(output: Path, *, chapters_json: bool, vtt: bool) -> dict[str, Path]:
    """Every file a build writes: the audio, its timeline, and the side files asked for."""
    asked = {"chapters_json": chapters_json, "vtt": vtt}
    return {"audio": output, "timeline": output.with_suffix(".timeline.json"),
            **{name: path for name, path in side_file_paths(output).items() if asked[name]}}


def _write_side_files(session: Session, partial: dict[str, Path], metadata: Metadata) -> None:
    from narrator.publish.exports import podcast_chapters, webvtt

    if "chapters_json" in partial:
        partial["chapters_json"].write_text(
            podcast_chapters(session.timeline, title=metadata.title), encoding="utf-8")
    if "vtt" in partial:
        partial["vtt"].write_text(webvtt(session.timeline), encoding="utf-8")


def _encode_m4b(session: Session, blocks: Iterator[bytes], target: Path, metadata: Metadata,
                bitrate: str, progress: Progress) -> None:
    """AAC with chapters by ffmpeg (from an FFMETADATA file), then cover and tags by mutagen."""
    from narrator.publish.exports import ffmetadata

    chapters = target.with_name(target.name + ".ffmetadata")
    try:
        chapters.write_text(ffmetadata(session.timeline, {
            "title": metadata.title, "artist": metadata.artist, "album": metadata.album,
            "genre": metadata.genre}), encoding="utf-8")
        encode_m4b(blocks, target, chapters, bitrate=bitrate, on_block=progress.on_samples)
    finally:
        chapters.unlink(missing_ok=True)
    check_encoded(target, session.timeline.total, "m4b")
    write_mp4_tags(target, metadata)
