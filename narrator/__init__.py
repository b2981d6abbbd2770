"""narrator: a stretching routine in, one voice-guided, chaptered MP3 out.

The library, in the order of the pipeline (the command line is a thin layer over it):

    import narrator
    from narrator.options import Options, SessionOptions

    options = Options(session=SessionOptions(holds=("45",), countdown=5))
    session = narrator.plan("routine.txt", options)      # what would be built, timed
    result = narrator.build("routine.txt", options, Path("out.mp3"))

A source is a path to a .txt, .md, .html or .toml file, an http(s) address, "-" for standard
input, or None for the built-in routine. Errors are narrator.errors types, each with the exit
code the command line gives it: OptionError (2), SourceError, FetchError and other ReadErrors
(3), EngineError (4), OutputError (5).

Nothing heavy is imported here: each function imports the stages it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from narrator.model import Routine
    from narrator.options import Options
    from narrator.publish.tags import TagInfo
    from narrator.session import BuildResult, Progress, Session
    from narrator.speech.base import EngineVoices

__all__ = ["build", "inspect", "plan", "read_routine", "routine_toml", "voices"]


def read_routine(source: str | Path | None, options: Options | None = None) -> Routine:
    """parse: the routine's exercises, instructions and holds, read as `options.parse` says
    (narrator/parse/), then the session options' --hold and --scale applied
    (script/holds.py). Parsed routines are cached by their text and the parser's code. A
    --language given (not "auto") is the routine's language, a TOML routine's too.

    A source that is a web address is fetched first (narrator/fetch.py, as `options.fetch`
    says; cached for a day) and then read as a saved page of its kind would be."""
    from dataclasses import replace

    from narrator.fetch import is_url
    from narrator.options import Options
    from narrator.parse import load_routine
    from narrator.script.holds import apply_hold_options

    options = (options or Options()).validate()
    if is_url(source):
        from narrator.fetch import read_page
        from narrator.parse import parse_text

        page = read_page(str(source), options.fetch)
        routine = parse_text(page.text, source=page.url, fmt=page.format,
                             options=options.parse)
    else:
        routine = load_routine(None if source is None else str(source), options.parse)
    if options.parse.language not in ("auto", "", routine.language):
        routine = replace(routine, language=options.parse.language)
    return apply_hold_options(routine, options.session.holds, options.session.scale)


def plan(source: str | Path | None, options: Options | None = None, *,
         progress: Progress | None = None) -> Session:
    """Everything a build does before the audio: read the routine (`read_routine`), compile
    it into what is said and held (script/compile.py, with the cues of script/cues.py),
    speak each distinct sentence once through the engine `options.voice` names, with its
    voice for the routine's language, or eSpeak NG where it has none (speech/, cached by
    engine, version, voice, rate and text), and place it all on one 44,100 Hz
    sample clock (script/timeline.py). With `options.session.minutes`, the holds are scaled
    to fill that time. The Session's timeline is the one `build` renders: plan and build
    agree to the sample."""
    from narrator.options import Options

    options = (options or Options()).validate()
    _check_speech_ahead(options)
    return _prepare(read_routine(source, options), options, progress)


def _check_speech_ahead(options: Options) -> None:
    """Start the one-time check of eSpeak NG's data (speech/espeak_check.py) in its child
    process now, so that it runs on the other core while the routine is read."""
    if options.voice.engine != "pyttsx3":
        return
    import contextlib

    from narrator.errors import NarratorError
    from narrator.speech.espeak import find_espeak
    from narrator.speech.espeak_check import start_check

    with contextlib.suppress(NarratorError, OSError):
        location = find_espeak()
        start_check(location.library, location.data)


def _prepare(routine: Routine, options: Options, progress: Progress | None) -> Session:
    from narrator.script.cues import narration_language
    from narrator.session import Progress, prepare
    from narrator.speech.base import choose_engine
    from narrator.speech.cache import ClipCache

    engine, voice = choose_engine(options.voice, narration_language(routine.language))
    return prepare(routine, options.session, engine, ClipCache(),
                   minutes=options.session.minutes, progress=progress or Progress(),
                   voice=voice)


def build(source: str | Path | None, options: Options | None = None, out: Path | None = None,
          *, progress: Progress | None = None) -> BuildResult:
    """`plan`, then the audio: mix it in ten-second blocks (sound/mix.py) that stream into
    one ffmpeg process (publish/encode.py), write ID3v2.3 chapters, a table of contents and
    the spoken script (publish/tags.py), and `<name>.timeline.json` beside it, plus the side
    files `options.output` asks for (publish/exports.py).

    `out` defaults to output/<title>.mp3 (or .m4b); the file is written under a temporary
    name and renamed into place, so a failed build never replaces a good file. The user's
    cover image and ambience file are checked before anything slow starts."""
    from narrator.files import check_name, check_outputs
    from narrator.options import Options
    from narrator.publish.cover import load_cover
    from narrator.publish.metadata import metadata_for
    from narrator.publish.tags import Metadata
    from narrator.session import BuildResult, Progress, output_files, output_path
    from narrator.session import build as render_and_encode
    from narrator.sound.ambience import Ambience

    options = (options or Options()).validate()
    wanted = options.output
    if out is not None:
        check_name(out)
    own_cover = load_cover(wanted.cover) if wanted.cover is not None else None
    bed = Ambience.from_option(wanted.ambience) if wanted.ambience is not None else None
    progress = progress or Progress()
    _check_speech_ahead(options)
    routine = read_routine(source, options)
    target = output_path(routine, wanted, out)
    # Every file the build will write is checked before speech and encoding start.
    files = output_files(target, chapters_json=wanted.chapters_json, vtt=wanted.vtt)
    check_outputs(list(files.values()))
    session = _prepare(routine, options, progress)

    def metadata() -> Metadata:
        return metadata_for(session.routine, session.timeline.total, title=wanted.title,
                            artist=wanted.artist, album=wanted.album, cover=own_cover,
                            with_cover=not wanted.no_cover)

    render_and_encode(session, target, bitrate=wanted.bitrate, metadata=metadata,
                      progress=progress, chapters_json=wanted.chapters_json, vtt=wanted.vtt,
                      ambience=bed)
    side_files = tuple(path for name, path in files.items() if name not in ("audio", "timeline"))
    return BuildResult(session=session, path=target, timeline_path=files["timeline"],
                       side_files=side_files)


def routine_toml(routine: Routine) -> str:
    """The routine as narrator's own commented TOML, to edit by hand and build again."""
    from narrator.parse import routine_to_toml

    return routine_to_toml(routine)


def inspect(file: Path) -> TagInfo:
    """What a player shows of an MP3 or M4B: tags, cover, chapters and length. A file that
    is not audio raises TagReadError (exit 3)."""
    from narrator.errors import OptionError
    from narrator.publish.tags import read_mp4_tags, read_tags

    if not file.is_file():
        raise OptionError("no such file", path=file)
    mp4 = file.suffix.lower() in (".m4b", ".m4a", ".mp4")
    return read_mp4_tags(file) if mp4 else read_tags(file)


def voices(engine: str | None = None) -> list[EngineVoices]:
    """The voices of every engine (or of the one named), with the languages each speaks; an
    engine that cannot run here says why (`missing`) and lists the voices it would have."""
    from narrator.speech.base import ENGINES, EngineVoices, engine_class

    listed = []
    for name in [engine] if engine else list(ENGINES):
        found = engine_class(name)
        missing = found.missing()
        listed.append(EngineVoices(name, tuple(found.list_voices() if missing is None
                                               else found.known_voices()), missing))
    return listed


def __getattr__(name: str) -> str:
    # Looked up on demand: importlib.metadata costs tens of milliseconds, which every build
    # and every speech helper process would pay at start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("narrator")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(f"module 'narrator' has no attribute {name!r}")
