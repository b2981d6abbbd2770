"""Every option narrator takes, stated once: one frozen `Options` tree, and a table of specs.

    Options
      parse    how free text is read (ParseOptions)
      session  what shapes the session around the holds (SessionOptions)
      voice    which engine speaks, with which voice, how fast and how loud (VoiceOptions)
      output   the file written and what players show of it (OutputOptions)
      fetch    whether a routine's web address may be fetched (FetchOptions)
      serve    where `narrator serve` listens, and whether its paths need the token

Each field's default lives in its dataclass; its flag, help text, range and whether it may
sit in a `[session]` TOML table live in one `Spec` in `SPECS`. The command line's typer
parameters (cli/params.py), the `[session]` table of a config or routine file, and the one
validation (`Options.validate`, which raises OptionError naming the option) all read that
table, so the commands cannot drift apart from each other or from the files.

Settings come from three places: the command line wins over the routine file, which wins
over the config file, which wins over the defaults. Files use the options' names:

    [session]
    hold = 45            # or a list: hold = ["45", "piriformis=60"]
    rounds = 2
    countdown = 5
    halfway = false
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, TypeVar

from narrator.errors import NarratorError, OptionError, SourceError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV = "NARRATOR_CONFIG"

DEFAULT_RATE = 150
"""Words per minute: calm for someone following on a mat, yet still natural; eSpeak's own
default is 175, and below about 140 its vowels drag."""
DEFAULT_ENGINE = "pyttsx3"
DEFAULT_BITRATE = "96k"
MIN_HOLD_S = 1.0
MAX_HOLD_S = 600.0

_P = TypeVar("_P", bound="_Part")


# --------------------------------------------------------------------------- the tree


class _Part:
    """A part of the tree: it checks its own fields against their specs."""

    def validate(self: _P) -> _P:
        """Self, if every value is in range; else OptionError naming the first bad option."""
        for spec in SPECS:
            if PARTS[spec.part] is type(self):
                spec.check(getattr(self, spec.field))
        return self


@dataclass(frozen=True)
class ParseOptions(_Part):
    default_hold: float = 30.0
    """Seconds for an exercise when neither it nor the routine says how long."""
    range_choice: Literal["upper", "lower", "middle"] = "upper"
    """Which value of a range ("20-30 seconds") to use."""
    seconds_per_breath: float = 5.0
    seconds_per_count: float = 1.0
    seconds_per_rep: float = 3.0
    """"10 reps" becomes one timed set of 10 x this many seconds."""
    language: str = "auto"
    """"en", "de", "es" (any file in narrator/lang), or "auto" to guess from the text."""


@dataclass(frozen=True)
class SessionOptions(_Part):
    """Everything that shapes the session around the routine's holds."""

    ready: float = 5.0
    """Seconds to get into position, after the instructions and before the start bell."""
    switch: float = 5.0
    """Seconds between the two sides (or two repetitions) of an exercise."""
    rest: float = 5.0
    """Seconds between exercises; "Next: ..." is said in it."""
    countdown: int = 3
    """Count the last N seconds of every hold aloud; 0 turns it off."""
    halfway: bool = True
    """Say "halfway" in holds of 20 seconds or more."""
    bells: bool = True
    rounds: int = 1
    """How many times the whole routine is done."""
    holds: tuple[str, ...] = ()
    """--hold values: "45" for every hold, "3=60" or "piriformis=60" for one exercise."""
    scale: float | None = None
    """Multiply every hold by this."""
    minutes: float | None = None
    """Scale the holds so the whole session lasts this many minutes."""


@dataclass(frozen=True)
class VoiceOptions(_Part):
    engine: str = DEFAULT_ENGINE
    """The speech engine, by its name in narrator.speech.base.ENGINES."""
    voice: str | None = None
    """A voice id or name as `narrator voices` lists it; None picks the engine's default."""
    rate: int = DEFAULT_RATE
    volume: float = 1.0
    """Voice level: 1.0 is the -16 LUFS podcast level; 0.5 is 6 dB quieter."""


@dataclass(frozen=True)
class OutputOptions(_Part):
    format: str = "mp3"
    """"mp3", or "m4b" (AAC in MP4 with chapters)."""
    bitrate: str = DEFAULT_BITRATE
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    cover: Path | None = None
    """An image to embed instead of the generated cover."""
    no_cover: bool = False
    chapters_json: bool = False
    """Also write <name>.chapters.json (Podcasting 2.0 chapters)."""
    vtt: bool = False
    """Also write <name>.vtt (a WebVTT transcript)."""
    ambience: str | None = None
    """An audio file looped under the session, or "soft" for the built-in bed."""

    @property
    def suffix(self) -> str:
        return f".{self.format}"


@dataclass(frozen=True)
class FetchOptions(_Part):
    """For a routine given as a web address (narrator/fetch.py)."""

    offline: bool = False
    """Never fetch: use the cached page, or fail (also NARRATOR_OFFLINE=1)."""
    refresh: bool = False
    """Fetch the page again even when the cache holds it from the last day."""


DEFAULT_PORT = 8765


@dataclass(frozen=True)
class ServeOptions(_Part):
    """For `narrator serve` (narrator/serve/)."""

    host: str | None = None
    """The address to listen on; None: this computer's address on the local network."""
    port: int = DEFAULT_PORT
    """Fixed, so that a phone's bookmark and podcast subscription keep working; 0 picks one."""
    public: bool = False
    """Serve without the random token in every path."""


@dataclass(frozen=True)
class Options:
    """Everything that changes what narrator makes."""

    parse: ParseOptions = field(default_factory=ParseOptions)
    session: SessionOptions = field(default_factory=SessionOptions)
    voice: VoiceOptions = field(default_factory=VoiceOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    serve: ServeOptions = field(default_factory=ServeOptions)

    def validate(self) -> Options:
        """Self, if every value is in range; else OptionError naming the first bad option."""
        for part in PARTS:
            getattr(self, part).validate()
        if self.output.cover is not None and self.output.no_cover:
            raise OptionError("--cover and --no-cover contradict each other")
        if self.fetch.offline and self.fetch.refresh:
            raise OptionError("--offline and --refresh contradict each other")
        return self

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Options:
        """Options from values keyed by the specs' names (what `resolve` returns); names
        not given keep their defaults. Not validated: call `validate`."""
        parts: dict[str, dict[str, Any]] = {p: {} for p in PARTS}
        for spec in SPECS:
            if spec.name in values and values[spec.name] is not None:
                parts[spec.part][spec.field] = spec.convert(values[spec.name])
        return cls(**{p: PARTS[p](**given) for p, given in parts.items()})


PARTS: dict[str, type[Any]] = {
    "parse": ParseOptions, "session": SessionOptions, "voice": VoiceOptions,
    "output": OutputOptions, "fetch": FetchOptions, "serve": ServeOptions,
}


# --------------------------------------------------------------------------- checks

Check = Callable[[Any], "str | None"]
"""Why a value is wrong (what follows the flag in the error), or None if it is fine."""


def in_range(low: float, high: float, *, above: bool = False, unit: str = "",
             shown: str = "g") -> Check:
    """Between low and high inclusive (`above`: strictly above low); finite."""
    span = f"above {low:g}, up to {high:g}" if above else f"{low:g} to {high:g}"

    def check(value: Any) -> str | None:
        if value is None:
            return None
        fine = math.isfinite(value) and (value > low if above else value >= low) and value <= high
        return None if fine else f"{value:{shown}} is out of range ({span}{unit})"
    return check


def one_of(choices: Callable[[], Sequence[str]], phrase: Callable[[Sequence[str]], str]) -> Check:
    def check(value: Any) -> str | None:
        return None if value is None or value in choices() else f"{value!r}: {phrase(choices())}"
    return check


def _expected_one_of(choices: Sequence[str]) -> str:
    return f"expected one of {', '.join(choices)}"


def _languages() -> tuple[str, ...]:
    """What --language takes: a language the parser reads, or one the voice speaks (a TOML
    routine needs no parsing, only narrating)."""
    from narrator.parse.lang import available
    from narrator.script.cues import languages

    return ("auto", *sorted({*available(), *languages()}))


def _engines() -> tuple[str, ...]:
    from narrator.speech.base import ENGINES

    return tuple(ENGINES)


BITRATES = ("32k", "40k", "48k", "56k", "64k", "80k", "96k", "112k", "128k", "160k", "192k",
            "224k", "256k", "320k")
"""The constant bitrates LAME has for MPEG-1 Layer III at 44.1 kHz (the session's rate);
ffmpeg rounds any other to one of these without a word. The M4B's AAC takes the same."""


def _bitrate(value: Any) -> str | None:
    return None if value in BITRATES else (
        f"{value!r}: expected one of {', '.join(BITRATES)} (the MP3 bitrates at 44.1 kHz)")


def _scale(value: Any) -> str | None:
    return None if value is None or (math.isfinite(value) and value > 0) else (
        f"{value:g}: expected a number above 0")


# --------------------------------------------------------------------------- the specs


@dataclass(frozen=True)
class Spec:
    """One option: where it lives in Options, its flag, help, range, and file name."""

    name: str
    """Its name in a [session] table and as a typer parameter; the flag is derived."""
    part: str
    type: Any
    """What the command line parses it as: str, int, float, bool, Path or list[str]."""
    help: str
    field: str = ""
    """The attribute in its part, when it differs from `name`."""
    default: str | None = None
    """What the help shows as [default: ...]; None shows nothing."""
    check_value: Check | None = None
    setting: bool = True
    """Whether a [session] table may set it (the output options may not)."""
    flags: tuple[str, ...] = ()
    """The flags, when not just --name (e.g. "--halfway/--no-halfway")."""

    def __post_init__(self) -> None:
        if not self.field:
            object.__setattr__(self, "field", self.name)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: Any) -> None:
        why = self.check_value(value) if self.check_value else None
        if why is not None:
            raise OptionError(f"{self.flag} {why}")

    def convert(self, value: Any) -> Any:
        """A value from the command line or a file, as its field holds it."""
        if self.type is float:
            return float(value)
        if self.type == list[str]:
            return tuple(value)
        return value

    @property
    def file_types(self) -> tuple[type, ...]:
        """What a TOML file may give for it (a TOML integer is a fine float)."""
        if self.type is float:
            return (int, float)
        if self.type == list[str]:
            return (list, str, int, float)
        return (self.type,)


def _default(part: type[Any], name: str, note: str = "") -> str:
    value = next(f.default for f in fields(part) if f.name == name)
    shown = "on" if value is True else f"{value:g}" if isinstance(value, (int, float)) \
        else str(value)
    return f"{shown}, {note}" if note else shown


_SESSION_TIMES = in_range(0, 300, unit=" seconds")
_PER_UNIT = in_range(0, 600, above=True)

SPECS: tuple[Spec, ...] = (
    # session: the holds and the gaps around them
    Spec("hold", "session", list[str], field="holds",
         help="Hold length: 45 for every hold, or 3=60 / piriformis=60 for one exercise. "
              "Repeatable."),
    Spec("scale", "session", float, help="Multiply every hold, e.g. 1.5.", check_value=_scale),
    Spec("minutes", "session", float,
         help="Scale the holds so the whole session lasts this many minutes.",
         check_value=in_range(0, 24 * 60, above=True)),
    Spec("rounds", "session", int, help="Repeat the whole routine.",
         default=_default(SessionOptions, "rounds"), check_value=in_range(1, 20)),
    Spec("ready", "session", float, help="Seconds to get ready before each start bell.",
         default=_default(SessionOptions, "ready"), check_value=_SESSION_TIMES),
    Spec("switch", "session", float, help="Seconds between sides or repetitions.",
         default=_default(SessionOptions, "switch"), check_value=_SESSION_TIMES),
    Spec("rest", "session", float, help="Seconds of rest between exercises.",
         default=_default(SessionOptions, "rest"), check_value=_SESSION_TIMES),
    Spec("countdown", "session", int, help="Count the last N seconds of each hold; 0: off.",
         default=_default(SessionOptions, "countdown"), check_value=in_range(0, 10)),
    Spec("halfway", "session", bool, help="Say 'halfway' in holds of 20 s or more.",
         default=_default(SessionOptions, "halfway"), flags=("--halfway/--no-halfway",)),
    Spec("bells", "session", bool, help="Ring bells around holds.",
         default=_default(SessionOptions, "bells"), flags=("--bells/--no-bells",)),
    # voice
    Spec("engine", "voice", str, help="Speech engine, by name.",
         default=_default(VoiceOptions, "engine"),
         check_value=one_of(_engines, _expected_one_of)),
    Spec("voice", "voice", str, help="Voice id or name (see `narrator voices`)."),
    Spec("rate", "voice", int, help="Speaking rate in words per minute.",
         default=_default(VoiceOptions, "rate", "calm"),
         check_value=in_range(50, 400, unit=" words a minute")),
    Spec("volume", "voice", float,
         help="Voice level, above 0 and up to 1: 1 is the -16 LUFS podcast level, 0.5 is 6 dB "
              "quieter (the bells stay as they are).",
         default=_default(VoiceOptions, "volume"),
         check_value=in_range(0, 1, above=True, shown="")),
    # parse: how free text is read
    Spec("range", "parse", str, field="range_choice",
         help="Which end of a range such as '20-30 seconds' to hold: upper, lower or middle.",
         default=_default(ParseOptions, "range_choice"),
         check_value=one_of(lambda: ("upper", "lower", "middle"),
                            lambda _: "expected upper, lower or middle")),
    Spec("seconds_per_breath", "parse", float,
         help="Seconds per breath, for holds given in breaths.",
         default=_default(ParseOptions, "seconds_per_breath"), check_value=_PER_UNIT),
    Spec("seconds_per_count", "parse", float, help="Seconds per count, for 'a count of 10'.",
         default=_default(ParseOptions, "seconds_per_count"), check_value=_PER_UNIT),
    Spec("seconds_per_rep", "parse", float,
         help="Seconds per rep, for exercises given only in reps.",
         default=_default(ParseOptions, "seconds_per_rep"), check_value=_PER_UNIT),
    Spec("default_hold", "parse", float,
         help="Seconds for an exercise when the text says nothing.",
         default=_default(ParseOptions, "default_hold"), check_value=_PER_UNIT),
    Spec("language", "parse", str,
         help="Language of the routine's text: en, de, es, fr, it, pt, or auto.",
         default=_default(ParseOptions, "language"),
         check_value=one_of(_languages, _expected_one_of)),
    # output: build only, never from a file
    Spec("bitrate", "output", str, help="Bitrate (constant for MP3).",
         default=_default(OutputOptions, "bitrate"), check_value=_bitrate, setting=False),
    Spec("format", "output", str,
         help="mp3, or m4b: AAC with chapters, for Apple Books and audiobook players.",
         default=_default(OutputOptions, "format"), setting=False,
         check_value=one_of(lambda: ("mp3", "m4b"), lambda _: "expected mp3 or m4b")),
    Spec("title", "output", str, help="Title players show. Default: the routine's.",
         setting=False),
    Spec("artist", "output", str,
         help="Artist players show. Default: the routine's author, or narrator.", setting=False),
    Spec("album", "output", str, help="Album players show. Default: the routine's title.",
         setting=False),
    Spec("cover", "output", Path,
         help="Use this image (JPEG or PNG) as the cover instead of the generated one.",
         setting=False),
    Spec("no_cover", "output", bool, help="Embed no cover.", setting=False),
    Spec("chapters_json", "output", bool,
         help="Also write <name>.chapters.json (Podcasting 2.0 chapters) beside it.",
         setting=False),
    Spec("vtt", "output", bool,
         help="Also write <name>.vtt, a WebVTT transcript of everything said, beside it.",
         setting=False),
    Spec("ambience", "output", str,
         help="Loop this audio file (anything ffmpeg reads) under the session, ducked under "
              "speech; 'soft' for a gentle background made by narrator.", setting=False),
    # fetch: a routine given as a web address
    Spec("offline", "fetch", bool,
         help="Never fetch a web address: use the cached page or fail (also "
              "NARRATOR_OFFLINE=1).", setting=False),
    Spec("refresh", "fetch", bool,
         help="Fetch a web address again, even if the page was cached in the last day.",
         setting=False),
    # serve
    Spec("host", "serve", str,
         help="Listen on this address. Default: this computer's address on the local network.",
         setting=False),
    Spec("port", "serve", int, help="Listen on this port (0: any free one).",
         default=_default(ServeOptions, "port"), check_value=in_range(0, 65535),
         setting=False),
    Spec("public", "serve", bool,
         help="Serve without the random token in every path: anyone on the network who "
              "finds the port can listen.", setting=False),
)

SPEC = {spec.name: spec for spec in SPECS}
SETTINGS = tuple(spec.name for spec in SPECS if spec.setting)
"""The names a [session] table may hold, in the order the help lists them."""


# --------------------------------------------------------------------------- files


_TYPE_WORDS = {int: "a number", float: "a number", str: "text", bool: "true or false",
               list: "a list"}


def _check(table: Mapping[str, Any], origin: str) -> dict[str, object]:
    checked: dict[str, object] = {}
    for key, value in table.items():
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise OptionError(f"{origin}: unknown setting {key!r} (known: {known})")
        types = SPEC[key].file_types
        # bool is an int in Python; only "halfway" and "bells" may be booleans.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = " or ".join(dict.fromkeys(_TYPE_WORDS[t] for t in types))
            raise OptionError(f"{origin}: {key} = {value!r} should be {names}")
        if isinstance(value, float) and not math.isfinite(value):
            raise OptionError(f"{origin}: {key} = {value!r} is not a finite number")
        if key == "hold":
            value = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        checked[key] = value
    return checked


SETTINGS_FILE_LIMIT = 1_000_000
"""Bytes of a config file read at most; a routine file has its own, larger limit."""


def read_settings_file(path: Path, *, required: bool = True,
                       error: type[NarratorError] = OptionError) -> dict[str, object]:
    """The [session] table of a TOML file (config or routine), checked against SPECS.
    A config file's problems are OptionErrors (exit 2); a routine file's are its own
    (`error`: SourceError, exit 3), as are the problems of the rest of it."""
    from narrator.files import read_limited

    if not required:
        try:
            if not path.exists():
                return {}
        except OSError:
            pass  # a name too long, say: read_limited says what is wrong
    limit = SETTINGS_FILE_LIMIT if error is OptionError else 50_000_000
    try:
        text = read_limited(path, limit, error=error, what="a TOML file").decode("utf-8-sig")
        data = tomllib.loads(text)
    except NarratorError as exc:
        if required and "file not found" in exc.message and error is OptionError:
            raise OptionError("no such config file", path=path) from None
        raise
    except UnicodeDecodeError as exc:
        raise error(f"cannot read settings: {exc}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML: {exc}", path=path) from exc
    except RecursionError:
        raise error("not valid TOML: nested too deeply", path=path) from None
    table = data.get("session", {})
    if not isinstance(table, dict):
        raise error("[session] should be a table", path=path)
    try:
        return _check(table, f"{path} [session]")
    except OptionError as exc:
        raise error(exc.message) from None


def default_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("narrator")) / "config.toml"


def resolve(
    command_line: Mapping[str, object | None],
    config: Path | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """Every option's value by name, taking each setting from the first place that sets it;
    an option no file may hold comes from the command line or is left out (its default)."""
    config_values = (
        read_settings_file(config) if config
        else read_settings_file(default_config_path(), required=False)
    )
    routine_values = (
        read_settings_file(Path(source), required=False, error=SourceError)
        if source and source != "-" and source.lower().endswith(".toml") else {}
    )
    resolved: dict[str, Any] = {}
    for spec in SPECS:
        given = command_line.get(spec.name)
        if spec.name == "hold" and not given:
            given = None
        if not spec.setting:
            if given is not None:
                resolved[spec.name] = given
            continue
        found = next((v for v in (given, routine_values.get(spec.name),
                                  config_values.get(spec.name)) if v is not None), None)
        if found is not None:
            resolved[spec.name] = found
    return resolved


def options_for(
    command_line: Mapping[str, object | None],
    config: Path | None = None,
    source: str | None = None,
) -> Options:
    """The Options a command asked for, completed from the routine file, the config file and
    the defaults, and validated."""
    return Options.from_values(resolve(command_line, config, source)).validate()
