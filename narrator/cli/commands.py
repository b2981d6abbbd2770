"""The command line: thin. Each command reads its options, calls the library, prints.

Every NarratorError becomes one line on stderr and its exit code; --debug shows tracebacks.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.exceptions import TyperException

import narrator
from narrator.errors import EXIT_CODES, NarratorError, OptionError
from narrator.model import SAMPLE_RATE, Routine, samples_to_ms
from narrator.publish.tags import Metadata
from narrator.script.compile import SessionOptions
from narrator.session import Progress, Session

if TYPE_CHECKING:
    from narrator.parse import ParseOptions

EXIT_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {code:>3}  {what}" for code, what in EXIT_CODES.items()
)

app = typer.Typer(
    name="narrator",
    help=(
        "Turn a stretching routine, written as an ordinary article, into one voice-guided,\n"
        "chaptered MP3 to follow hands-free on the mat.\n\n"
        "\b\nExamples:\n"
        "  narrator build                        # the built-in seven-stretch routine\n"
        "  narrator build article.txt --hold 45  # every hold 45 seconds\n"
        "  narrator plan article.txt --json      # the timeline, without building\n"
        "  narrator inspect output/session.mp3   # chapters and tags read back"
    ),
    epilog=EXIT_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"narrator {narrator.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """narrator: voice-guided stretching sessions as chaptered MP3s."""
    _run_state["debug"] = debug


_run_state = {"debug": False}
"""What the root options asked for in this run (they are parsed before the command's)."""


# --------------------------------------------------------------------------- shared options

SourceArg = Annotated[
    str | None,
    typer.Argument(help="Routine: a .txt/.md/.html/.toml file, or - for stdin. "
                        "Omit for the built-in routine.", show_default=False),
]
HoldOpt = Annotated[list[str] | None, typer.Option(
    "--hold", help="Hold length: 45 for every hold, or 3=60 / piriformis=60 for one exercise. "
                   "Repeatable.", show_default=False)]
ScaleOpt = Annotated[float | None, typer.Option(help="Multiply every hold, e.g. 1.5.",
                                                show_default=False)]
MinutesOpt = Annotated[float | None, typer.Option(
    help="Scale the holds so the whole session lasts this many minutes.", show_default=False)]
RoundsOpt = Annotated[int | None, typer.Option(help="Repeat the whole routine.  [default: 1]",
                                               show_default=False)]
ReadyOpt = Annotated[float | None, typer.Option(
    help="Seconds to get ready before each start bell.  [default: 5]", show_default=False)]
SwitchOpt = Annotated[float | None, typer.Option(
    help="Seconds between sides or repetitions.  [default: 5]", show_default=False)]
RestOpt = Annotated[float | None, typer.Option(
    help="Seconds of rest between exercises.  [default: 5]", show_default=False)]
CountdownOpt = Annotated[int | None, typer.Option(
    help="Count the last N seconds of each hold; 0: off.  [default: 3]", show_default=False)]
HalfwayOpt = Annotated[bool | None, typer.Option(
    "--halfway/--no-halfway", help="Say 'halfway' in holds of 20 s or more.  [default: on]",
    show_default=False)]
BellsOpt = Annotated[bool | None, typer.Option(
    "--bells/--no-bells", help="Ring bells around holds.  [default: on]", show_default=False)]
VoiceOpt = Annotated[str | None, typer.Option(help="Voice id or name (see `narrator voices`).",
                                              show_default=False)]
RateOpt = Annotated[int | None, typer.Option(
    help="Speaking rate in words per minute.  [default: 150, calm]", show_default=False)]
VolumeOpt = Annotated[float | None, typer.Option(
    help="Voice level, above 0 and up to 1: 1 is the -16 LUFS podcast level, 0.5 is 6 dB "
         "quieter (the bells stay as they are).  [default: 1]", show_default=False)]
RangeOpt = Annotated[str | None, typer.Option(
    "--range", help="Which end of a range such as '20-30 seconds' to hold: upper, lower or "
    "middle.  [default: upper]", show_default=False)]
BreathOpt = Annotated[float | None, typer.Option(
    help="Seconds per breath, for holds given in breaths.  [default: 5]", show_default=False)]
CountOpt = Annotated[float | None, typer.Option(
    help="Seconds per count, for 'a count of 10'.  [default: 1]", show_default=False)]
RepOpt = Annotated[float | None, typer.Option(
    help="Seconds per rep, for exercises given only in reps.  [default: 3]",
    show_default=False)]
DefaultHoldOpt = Annotated[float | None, typer.Option(
    help="Seconds for an exercise when the text says nothing.  [default: 30]",
    show_default=False)]
LanguageOpt = Annotated[str | None, typer.Option(
    help="Language of the routine's text: en, de, es, or auto.  [default: auto]",
    show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="A TOML file whose [session] table holds defaults for these options. "
    "Default: $NARRATOR_CONFIG, else config.toml in the user's config directory.",
    show_default=False)]


@dataclass(frozen=True)
class SessionArgs:
    source: str | None
    parse: ParseOptions
    holds: tuple[str, ...]
    scale: float | None
    minutes: float | None
    options: SessionOptions
    voice: str | None
    rate: int | None
    volume: float


def _settings_given(parameters: dict[str, Any]) -> dict[str, Any]:
    """A command's own parameters, as the names settings files use (see narrator.settings)."""
    from narrator.settings import SETTINGS

    renamed = {"range_choice": "range"}
    return {renamed.get(name, name): value for name, value in parameters.items()
            if renamed.get(name, name) in SETTINGS}


def _session_args(source: str | None, config: Path | None, **command_line: object) -> SessionArgs:
    """The options given, completed from the routine file, the config file and the defaults."""
    from narrator.settings import resolve

    values = resolve(command_line, config, source)
    parse = _parse_options(values)
    options = SessionOptions(
        ready=float(values["ready"]), switch=float(values["switch"]), rest=float(values["rest"]),
        countdown=values["countdown"], halfway=values["halfway"], bells=values["bells"],
        rounds=values["rounds"],
    ).validate()
    minutes = values["minutes"]
    if minutes is not None and not (0 < minutes <= 24 * 60):
        raise OptionError(f"--minutes {minutes:g} is out of range (above 0, up to 1440)")
    return SessionArgs(source, parse, tuple(values["hold"] or ()), values["scale"], minutes,
                       options, values["voice"], values["rate"], float(values["volume"]))


def _parse_options(values: dict[str, Any]) -> ParseOptions:
    """How free text is read: the documented guesses, each changeable."""
    from narrator.parse import ParseOptions
    from narrator.parse.lang import available

    if values["range"] not in ("upper", "lower", "middle"):
        raise OptionError(f"--range {values['range']!r}: expected upper, lower or middle")
    for name in ("seconds_per_breath", "seconds_per_count", "seconds_per_rep", "default_hold"):
        if not (math.isfinite(values[name]) and 0 < values[name] <= 600):
            flag = "--" + name.replace("_", "-")
            raise OptionError(f"{flag} {values[name]:g} is out of range (above 0, up to 600)")
    languages = ["auto", *available()]
    if values["language"] not in languages:
        raise OptionError(f"--language {values['language']!r}: expected one of "
                          f"{', '.join(languages)}")
    return ParseOptions(
        default_hold=float(values["default_hold"]), range_choice=values["range"],
        seconds_per_breath=float(values["seconds_per_breath"]),
        seconds_per_count=float(values["seconds_per_count"]),
        seconds_per_rep=float(values["seconds_per_rep"]), language=values["language"])


def _load(source: str | None, options: ParseOptions) -> Routine:
    from narrator.parse import load_routine

    return load_routine(source, options)


def _prepare(args: SessionArgs, *, show_progress: bool) -> Session:
    from narrator.script.holds import apply_hold_options
    from narrator.session import prepare
    from narrator.speech.speak import DEFAULT_RATE, ClipCache, Pyttsx3Synthesizer, VoiceOptions

    routine = apply_hold_options(_load(args.source, args.parse), args.holds, args.scale)
    synthesizer = Pyttsx3Synthesizer(
        VoiceOptions(voice=args.voice, rate=args.rate or DEFAULT_RATE, volume=args.volume)
    )
    with _progress(show_progress) as progress:
        return prepare(routine, args.options, synthesizer, ClipCache(),
                       minutes=args.minutes, progress=progress)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:

    if not enabled or not sys.stderr.isatty():
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, TaskID, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
             console=Console(stderr=True), transient=True) as bar:
        speech = bar.add_task("Speaking", total=None)
        state: dict[str, TaskID] = {}

        def on_encode_start(total: int) -> None:
            bar.update(speech, visible=False)
            state["encode"] = bar.add_task("Encoding", total=total)

        yield Progress(
            on_clip=lambda _text: bar.advance(speech),
            on_encode_start=on_encode_start,
            on_samples=lambda n: bar.advance(state["encode"], n),
        )


def slugify(title: str, limit: int = 60) -> str:
    """A safe file name from a title: no path separators, dots at the start or odd characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "session"


def _fmt_time(samples: int) -> str:
    ms = samples_to_ms(samples)
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}"


# --------------------------------------------------------------------------- commands


@app.command()
def build(
    source: SourceArg = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the MP3 "
                      "(or M4B). Default: output/<routine>.mp3")] = None,
    hold: HoldOpt = None, scale: ScaleOpt = None, minutes: MinutesOpt = None,
    rounds: RoundsOpt = None, ready: ReadyOpt = None, switch: SwitchOpt = None,
    rest: RestOpt = None, countdown: CountdownOpt = None, halfway: HalfwayOpt = None,
    bells: BellsOpt = None, voice: VoiceOpt = None, rate: RateOpt = None,
    volume: VolumeOpt = None, config: ConfigOpt = None, range_choice: RangeOpt = None,
    seconds_per_breath: BreathOpt = None, seconds_per_count: CountOpt = None,
    seconds_per_rep: RepOpt = None, default_hold: DefaultHoldOpt = None,
    language: LanguageOpt = None,
    bitrate: Annotated[str, typer.Option(help="Bitrate (constant for MP3).")] = "96k",
    audio_format: Annotated[str, typer.Option("--format", help="mp3, or m4b: AAC with "
                            "chapters, for Apple Books and audiobook players.")] = "mp3",
    title: Annotated[str | None, typer.Option(help="Title players show. "
                     "Default: the routine's.")] = None,
    artist: Annotated[str | None, typer.Option(help="Artist players show. "
                      "Default: the routine's author, or narrator.")] = None,
    album: Annotated[str | None, typer.Option(help="Album players show. "
                     "Default: the routine's title.")] = None,
    cover: Annotated[Path | None, typer.Option(help="Use this image (JPEG or PNG) as the "
                     "cover instead of the generated one.")] = None,
    no_cover: Annotated[bool, typer.Option("--no-cover", help="Embed no cover.")] = False,
    chapters_json: Annotated[bool, typer.Option("--chapters-json", help="Also write "
                             "<name>.chapters.json (Podcasting 2.0 chapters) beside it.")] = False,
    vtt: Annotated[bool, typer.Option("--vtt", help="Also write <name>.vtt, a WebVTT "
                   "transcript of everything said, beside it.")] = False,
    ambience: Annotated[str | None, typer.Option(help="Loop this audio file (anything ffmpeg "
                        "reads) under the session, ducked under speech; 'soft' for a gentle "
                        "background made by narrator.")] = None,
) -> None:
    """Build the session MP3 (and <name>.timeline.json beside it).

    \b
    Example:
        narrator build article.txt --hold 45 --hold piriformis=60 -o back.mp3
        narrator build article.txt --title "Morning back" --cover me.jpg
        narrator build article.txt --ambience rain.ogg --format m4b --chapters-json
    """
    from narrator.publish.cover import load_cover
    from narrator.publish.metadata import metadata_for
    from narrator.session import build as build_session
    from narrator.session import side_file_paths
    from narrator.sound.ambience import Ambience

    if not re.fullmatch(r"\d{2,3}k", bitrate):
        raise OptionError(f"--bitrate {bitrate!r}: expected a bitrate such as 96k or 128k")
    args = _session_args(source, config, **_settings_given(locals()))
    audio_format = audio_format.lower()
    if audio_format not in ("mp3", "m4b"):
        raise OptionError(f"--format {audio_format!r}: expected mp3 or m4b")
    if cover is not None and no_cover:
        raise OptionError("--cover and --no-cover contradict each other")
    # Read the user's image before the slow part, so a bad one fails at once.
    own_cover = load_cover(cover) if cover is not None else None
    bed = Ambience.from_option(ambience) if ambience is not None else None
    session = _prepare(args, show_progress=True)
    def metadata() -> Metadata:
        return metadata_for(session, title=title, artist=artist, album=album, cover=own_cover,
                            with_cover=not no_cover)

    suffix = f".{audio_format}"
    target = output or Path("output") / f"{slugify(title or session.routine.title)}{suffix}"
    if target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    with _progress(True) as progress:
        build_session(session, target, bitrate=bitrate, metadata=metadata, progress=progress,
                      chapters_json=chapters_json, vtt=vtt, ambience=bed)
    chapters = len(session.timeline.chapters)
    typer.echo(f"wrote {target} ({_fmt_time(session.timeline.total)}, {chapters} chapters)")
    for name, path in side_file_paths(target).items():
        if {"chapters_json": chapters_json, "vtt": vtt}[name]:
            typer.echo(f"wrote {path}")


@app.command()
def plan(
    source: SourceArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    hold: HoldOpt = None, scale: ScaleOpt = None, minutes: MinutesOpt = None,
    rounds: RoundsOpt = None, ready: ReadyOpt = None, switch: SwitchOpt = None,
    rest: RestOpt = None, countdown: CountdownOpt = None, halfway: HalfwayOpt = None,
    bells: BellsOpt = None, voice: VoiceOpt = None, rate: RateOpt = None,
    volume: VolumeOpt = None, config: ConfigOpt = None, range_choice: RangeOpt = None,
    seconds_per_breath: BreathOpt = None, seconds_per_count: CountOpt = None,
    seconds_per_rep: RepOpt = None, default_hold: DefaultHoldOpt = None,
    language: LanguageOpt = None,
) -> None:
    """Show the timeline without building: chapter, start, length and what is said.

    \b
    Example:
        narrator plan article.txt --hold 45 --json
    """
    from narrator.session import plan_dict

    args = _session_args(source, config, **_settings_given(locals()))
    session = _prepare(args, show_progress=False)
    if as_json:
        typer.echo(json.dumps(plan_dict(session), indent=2, ensure_ascii=False))
        return
    timeline = session.timeline
    typer.echo(f"{session.routine.title}  ({session.routine.source})")
    for note in session.routine.notes:
        typer.echo(f"  note: {note}")
    typer.echo(f"\n{'chapter':<32} {'start':>9} {'length':>9}  said")
    for chapter in timeline.chapters:
        said = [e.text for e in timeline.events
                if e.kind == "speech" and chapter.start <= e.start < chapter.end and e.text]
        summary = " / ".join(s for s in said if not s.isdigit())
        typer.echo(f"{chapter.title[:32]:<32} {_fmt_time(chapter.start):>9} "
                   f"{_fmt_time(chapter.end - chapter.start):>9}  {summary[:90]}")
    typer.echo("\nholds:")
    for exercise in session.routine.exercises:
        holds = ", ".join(f"{h.seconds:g}s" + (f" {h.side}" if h.side else "")
                          for h in exercise.holds)
        typer.echo(f"  {exercise.name}: {holds}")
        for note in exercise.notes:
            typer.echo(f"    guessed: {note}")
    held = session.routine.hold_seconds * args.options.rounds
    typer.echo(f"\ntotal {_fmt_time(timeline.total)}  "
               f"({held:g} s holding, {timeline.total / SAMPLE_RATE:.1f} s in all)")


@app.command()
def inspect(file: Annotated[Path, typer.Argument(
        help="An MP3 or M4B written by narrator.")]) -> None:
    """Show what a player shows of an MP3 or M4B: tags, cover and chapters.

    \b
    Example:
        narrator inspect output/seven-stretches-in-seven-minutes.mp3
    """
    from narrator.publish.tags import read_mp4_tags, read_tags

    if not file.is_file():
        raise OptionError("no such file", path=file)
    mp4 = file.suffix.lower() in (".m4b", ".m4a", ".mp4")
    info = read_mp4_tags(file) if mp4 else read_tags(file)
    typer.echo(f"{file}")
    typer.echo(f"  length    {info.length_ms / 1000:.3f} s, {info.format} "
               f"{info.bitrate // 1000} kb/s {info.bitrate_mode}, {info.sample_rate} Hz")
    for key, label in (("TIT2", "title"), ("TPE1", "artist"), ("TALB", "album"),
                       ("TCON", "genre"), ("TLEN", "length ms"), ("COMM", "comment"),
                       ("TXXX:source", "source"), ("WOAS", "web page")):
        if key in info.text:
            typer.echo(f"  {label:<9} {info.text[key]}")
    if info.cover:
        size = (f"{info.cover.width}x{info.cover.height}" if info.cover.width
                else "unreadable image")
        typer.echo(f"  cover     {info.cover.kind}, {info.cover.mime}, {size}, "
                   f"{info.cover.bytes // 1024} KiB")
    else:
        typer.echo("  cover     none")
    if info.lyrics_chars:
        typer.echo(f"  script    {info.lyrics_chars} characters (USLT)")
    typer.echo(f"  chapters ({len(info.chapters)}):")
    for number, chapter in enumerate(info.chapters, 1):
        typer.echo(f"    {number:>2}. {chapter.start_ms / 1000:8.3f} - "
                   f"{chapter.end_ms / 1000:8.3f}  {chapter.title}")


@app.command()
def voices() -> None:
    """List the voices eSpeak NG offers (use the id with --voice).

    \b
    Example:
        narrator voices | grep -i english
    """
    from narrator.speech.speak import Pyttsx3Synthesizer

    for voice in Pyttsx3Synthesizer.list_voices():
        typer.echo(f"{voice.id:<24} {voice.name:<32} {','.join(voice.languages)}")


@app.command()
def routine(
    source: SourceArg = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                      help="Write the TOML here instead of to stdout.")] = None,
    range_choice: RangeOpt = None, seconds_per_breath: BreathOpt = None,
    seconds_per_count: CountOpt = None, seconds_per_rep: RepOpt = None,
    default_hold: DefaultHoldOpt = None, language: LanguageOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the parsed routine as an editable, commented TOML file.

    \b
    Example:
        narrator routine article.html -o routine.toml && narrator build routine.toml
    """
    from narrator.parse import routine_to_toml
    from narrator.publish.encode import replace_atomically
    from narrator.settings import resolve

    values = resolve(_settings_given(locals()), config, source)
    text = routine_to_toml(_load(source, _parse_options(values)))
    if output is None:
        typer.echo(text, nl=False)
        return
    with replace_atomically(output, ".toml.partial") as partial:
        partial.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


# --------------------------------------------------------------------------- entry point


INTERRUPTED = 130


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"narrator: error: {message}", err=True)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turn every failure into one line and an exit code."""
    _run_state["debug"] = False

    def debug() -> bool:
        # The parsed flag, not a "--debug" anywhere in argv: that may be an option's value.
        return _run_state["debug"] or bool(os.environ.get("NARRATOR_DEBUG"))

    try:
        code = app(args=argv, standalone_mode=False)
    except NarratorError as exc:
        if debug():
            raise
        _fail(str(exc), exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        code = INTERRUPTED
    except TyperException as exc:  # usage errors (unknown option, bad value): no traceback helps
        _fail(exc.format_message().replace("\n", " "), exc.exit_code)
    except typer.Exit as exc:
        code = exc.exit_code
    except Exception as exc:
        if debug():
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)
    if code == INTERRUPTED:
        _fail("interrupted; nothing was replaced", INTERRUPTED)
    raise SystemExit(code if isinstance(code, int) else 0)
