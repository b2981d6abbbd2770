"""The command line: thin. Each command reads its options, calls the library (narrator), and
prints what it returns (render.py).

Every NarratorError becomes one line on stderr and its exit code; --debug shows tracebacks.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.exceptions import TyperException

import narrator
from narrator.cli.params import CONFIG, takes_options
from narrator.cli.render import clock, inspect_lines, plan_lines
from narrator.errors import EXIT_CODES, NarratorError
from narrator.files import check_target, replace_atomically
from narrator.interrupts import stop_on_termination, stopped_by
from narrator.options import Options, options_for
from narrator.session import Progress

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
    typer.Argument(help="Routine: a .txt/.md/.html/.toml file, an http(s) address, or - for "
                        "stdin. Omit for the built-in routine.", show_default=False),
]


def _options(source: str | None, given: dict[str, Any]) -> Options:
    """The options given, completed from the routine file, the config file and the defaults."""
    config = given.pop(CONFIG, None)
    return options_for(given, config, source)


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


# --------------------------------------------------------------------------- commands


@app.command()
@takes_options("session", "voice", CONFIG, "parse", "output", "fetch")
def build(
    source: SourceArg = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the MP3 "
                      "(or M4B). Default: output/<routine>.mp3")] = None,
    **given: Any,
) -> None:
    """Build the session MP3 (and <name>.timeline.json beside it).

    \b
    Example:
        narrator build article.txt --hold 45 --hold piriformis=60 -o back.mp3
        narrator build article.txt --title "Morning back" --cover me.jpg
        narrator build article.txt --ambience rain.ogg --format m4b --chapters-json
        narrator build https://example.org/back-stretches --hold 45
    """
    options = _options(source, given)
    with _progress(True) as progress:
        result = narrator.build(source, options, output, progress=progress)
    chapters = len(result.session.timeline.chapters)
    typer.echo(f"wrote {result.path} ({clock(result.session.timeline.total)}, "
               f"{chapters} chapters)")
    for path in result.side_files:
        typer.echo(f"wrote {path}")


@app.command()
@takes_options("session", "voice", CONFIG, "parse", "fetch")
def plan(
    source: SourceArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    **given: Any,
) -> None:
    """Show the timeline without building: chapter, start, length and what is said.

    \b
    Example:
        narrator plan article.txt --hold 45 --json
    """
    from narrator.session import plan_dict

    options = _options(source, given)
    session = narrator.plan(source, options)
    if as_json:
        typer.echo(json.dumps(plan_dict(session), indent=2, ensure_ascii=False))
        return
    for line in plan_lines(session, options.session.rounds):
        typer.echo(line)


@app.command()
def inspect(file: Annotated[Path, typer.Argument(
        help="An MP3 or M4B written by narrator.")]) -> None:
    """Show what a player shows of an MP3 or M4B: tags, cover and chapters.

    \b
    Example:
        narrator inspect output/seven-stretches-in-seven-minutes.mp3
    """
    for line in inspect_lines(file, narrator.inspect(file)):
        typer.echo(line)


@app.command()
@takes_options("engine")
def voices(**given: Any) -> None:
    """List every engine's voices and the languages each speaks (use the id with --voice).

    \b
    Example:
        narrator voices | grep -i english
        narrator voices --engine piper
    """
    engine = Options.from_values(given).validate().voice.engine if given.get("engine") else None
    for listed in narrator.voices(engine):
        for voice in listed.voices:
            typer.echo(f"{listed.engine:<8} {voice.id:<24} {voice.name:<32} "
                       f"{','.join(voice.languages)}")
        if listed.missing:
            typer.echo(f"{listed.engine:<8} ({listed.missing})")


@app.command()
@takes_options("parse", CONFIG, "fetch")
def routine(
    source: SourceArg = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                      help="Write the TOML here instead of to stdout.")] = None,
    **given: Any,
) -> None:
    """Write the parsed routine as an editable, commented TOML file.

    \b
    Example:
        narrator routine article.html -o routine.toml && narrator build routine.toml
    """
    if output is not None:
        check_target(output)
    text = narrator.routine_toml(narrator.read_routine(source, _options(source, given)))
    if output is None:
        typer.echo(text, nl=False)
        return
    with replace_atomically(output, ".toml.partial") as partial:
        partial.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command()
@takes_options("serve", "session", "voice", CONFIG, "parse", "output", "fetch")
def serve(
    directory: Annotated[Path, typer.Argument(help="The folder of built sessions.")] = Path(
        "output"),
    build_source: Annotated[str | None, typer.Option(
        "--build", metavar="SOURCE", help="Build this routine into the folder first (with "
        "the build options below), then serve.", show_default=False)] = None,
    **given: Any,
) -> None:
    """Serve the built sessions to a phone on the same Wi-Fi: a page to play them in the
    browser, and a podcast feed. Ctrl-C stops (exit 130).

    \b
    Example:
        narrator serve                      # output/, on this computer's LAN address
        narrator serve --build article.txt --hold 45
        narrator serve sessions/ --host 127.0.0.1 --port 9000 --public
    """
    from narrator.cli.serving import (
        banner_lines,
        build_target,
        can_draw_blocks,
        check_build_options,
        make_folder,
    )
    from narrator.serve import open_server

    check_build_options(given, build_source)
    options = _options(build_source, given)
    if build_source is not None:
        make_folder(directory)
    server = open_server(directory, options.serve)  # a taken port fails before a build
    if build_source is not None:
        target = build_target(directory, build_source, options)
        with _progress(True) as progress:
            result = narrator.build(build_source, options, target, progress=progress)
        typer.echo(f"wrote {result.path} ({clock(result.session.timeline.total)})")
    for line in banner_lines(server, unicode_ok=can_draw_blocks(sys.stdout.encoding)):
        typer.echo(line)
    try:
        server.run()
    except KeyboardInterrupt:
        typer.echo("narrator: stopped serving", err=True)
        raise SystemExit(INTERRUPTED) from None


# --------------------------------------------------------------------------- entry point


INTERRUPTED = 130


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"narrator: error: {message}", err=True)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turn every failure into one line and an exit code."""
    _run_state["debug"] = False
    stop_on_termination()

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
        # Typer reports any KeyboardInterrupt as 130: SIGTERM and SIGHUP are told apart here.
        signum = stopped_by()
        if signum is not None and signum != signal.SIGINT:
            _fail(f"stopped by {signal.Signals(signum).name}; nothing was replaced",
                  128 + signum)
        _fail("interrupted; nothing was replaced", INTERRUPTED)
    raise SystemExit(code if isinstance(code, int) else 0)
