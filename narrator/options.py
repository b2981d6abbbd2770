"""Session settings from three places: a config file, the routine file, the command line.

The command line wins over the routine file, which wins over the config file, which wins over
the built-in defaults. Files hold the same names as the options, in a [session] table:

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from narrator.errors import OptionError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV = "NARRATOR_CONFIG"

# name -> (accepted types, default)
SETTINGS: dict[str, tuple[tuple[type, ...], object]] = {
    "hold": ((list, str, int, float), None),
    "scale": ((int, float), None),
    "minutes": ((int, float), None),
    "rounds": ((int,), 1),
    "ready": ((int, float), 5.0),
    "switch": ((int, float), 5.0),
    "rest": ((int, float), 5.0),
    "countdown": ((int,), 3),
    "halfway": ((bool,), True),
    "bells": ((bool,), True),
    "voice": ((str,), None),
    "rate": ((int,), None),
    "volume": ((int, float), 1.0),
    # how free text is read (narrator.parse.ParseOptions)
    "range": ((str,), "upper"),
    "seconds_per_breath": ((int, float), 5.0),
    "seconds_per_count": ((int, float), 1.0),
    "seconds_per_rep": ((int, float), 3.0),
    "default_hold": ((int, float), 30.0),
    "language": ((str,), "auto"),
}


_TYPE_WORDS = {int: "a number", float: "a number", str: "text", bool: "true or false",
               list: "a list"}


def _check(table: Mapping[str, Any], origin: str) -> dict[str, object]:
    checked: dict[str, object] = {}
    for key, value in table.items():
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise OptionError(f"{origin}: unknown setting {key!r} (known: {known})")
        types, _ = SETTINGS[key]
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


def read_settings_file(path: Path, *, required: bool = True) -> dict[str, object]:
    """The [session] table of a TOML file (config or routine), checked against SETTINGS."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        if required:
            raise OptionError("no such config file", path=path) from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"cannot read settings: {exc}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise OptionError(f"not valid TOML: {exc}", path=path) from exc
    table = data.get("session", {})
    if not isinstance(table, dict):
        raise OptionError("[session] should be a table", path=path)
    return _check(table, f"{path} [session]")


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
    """Every setting's value, taking each from the first place that sets it."""
    config_values = (
        read_settings_file(config) if config
        else read_settings_file(default_config_path(), required=False)
    )
    routine_values = (
        read_settings_file(Path(source), required=False)
        if source and source != "-" and source.lower().endswith(".toml") and Path(source).is_file()
        else {}
    )
    resolved: dict[str, Any] = {}
    for key, (_, default) in SETTINGS.items():
        given = command_line.get(key)
        if key == "hold" and not given:
            given = None
        resolved[key] = next(
            (v for v in (given, routine_values.get(key), config_values.get(key)) if v is not None),
            default,
        )
    return resolved
