"""Finding and loading the eSpeak NG library that the pyttsx3 engine drives.

Order of preference: the environment variables, then a system install, then the copy that
ships inside the PyPI package espeakng-loader, so a bare machine works.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from narrator.errors import EngineError

ESPEAK_LIBRARY_ENV = "NARRATOR_ESPEAK_LIBRARY"
ESPEAK_DATA_ENV = "NARRATOR_ESPEAK_DATA"

# eSpeak NG calls exit(1) when it cannot find these, taking the whole process with it,
# so they are checked before the library is ever initialised.
_ESPEAK_DATA_FILES = ("phontab", "phonindex", "phondata", "intonations", "en_dict")
ESPEAK_DATA_FILES = _ESPEAK_DATA_FILES

_SYSTEM_ESPEAK_DATA_DIRS = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/lib/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
    "/usr/local/lib/espeak-ng-data",
    "/opt/homebrew/share/espeak-ng-data",
)


@dataclass(frozen=True)
class EspeakLocation:
    library: str
    data: str
    origin: str
    """"environment", "system" or "espeakng-loader"."""


def _data_dir_is_complete(path: str) -> bool:
    return all((Path(path) / name).is_file() for name in _ESPEAK_DATA_FILES)


def _system_data_dir() -> str | None:
    env_path = os.environ.get("ESPEAK_DATA_PATH")
    candidates = ([env_path, str(Path(env_path) / "espeak-ng-data")] if env_path else []) + list(
        _SYSTEM_ESPEAK_DATA_DIRS
    )
    return next((c for c in candidates if _data_dir_is_complete(c)), None)


@cache
def find_espeak() -> EspeakLocation:
    """Where the eSpeak NG library and its data are; raises EngineError if incomplete."""
    library = os.environ.get(ESPEAK_LIBRARY_ENV)
    data = os.environ.get(ESPEAK_DATA_ENV)
    if library or data:
        if not library or not data:
            raise EngineError(f"set both {ESPEAK_LIBRARY_ENV} and {ESPEAK_DATA_ENV}, or neither")
        if not Path(library).is_file():
            raise EngineError(f"{ESPEAK_LIBRARY_ENV}={library}: no such library")
        if not _data_dir_is_complete(data):
            raise EngineError(f"{ESPEAK_DATA_ENV}={data}: eSpeak NG data is missing or incomplete")
        return EspeakLocation(library, data, "environment")

    system_library = ctypes.util.find_library("espeak-ng")
    system_data = _system_data_dir()
    if system_library and system_data:
        return EspeakLocation(system_library, system_data, "system")

    try:
        import espeakng_loader

        bundled_library: str = espeakng_loader.get_library_path()
        bundled_data: str = espeakng_loader.get_data_path()
    except Exception as exc:  # ImportError, or RuntimeError when its data is gone
        raise EngineError(
            "eSpeak NG not found: install espeak-ng, `pip install espeakng-loader`, "
            f"or set {ESPEAK_LIBRARY_ENV} and {ESPEAK_DATA_ENV}"
        ) from exc
    if not Path(bundled_library).is_file() or not _data_dir_is_complete(bundled_data):
        raise EngineError(f"eSpeak NG data is missing or incomplete in {bundled_data}")
    return EspeakLocation(bundled_library, bundled_data, "espeakng-loader")


_loaded_espeak: ctypes.CDLL | None = None


def load_espeak() -> EspeakLocation:
    """Load eSpeak NG so that pyttsx3's own lookup by soname finds this copy.

    Loaded RTLD_LOCAL: the dynamic loader still hands this copy to pyttsx3's dlopen by
    soname, but its symbols do not interpose on other modules. Piper's espeakbridge carries
    its own eSpeak NG inside and exports the same names; with this copy loaded globally, its
    calls landed here and the process crashed as soon as both engines were used."""
    global _loaded_espeak
    location = find_espeak()
    if _loaded_espeak is None:
        os.environ["ESPEAK_DATA_PATH"] = location.data
        try:
            _loaded_espeak = ctypes.CDLL(location.library, mode=ctypes.RTLD_LOCAL)
        except OSError as exc:
            raise EngineError(f"cannot load eSpeak NG from {location.library}: {exc}") from exc
    return location


def espeak_version() -> str:
    """The loaded eSpeak NG's version, read without initialising it."""
    load_espeak()
    try:
        info = _loaded_espeak.espeak_Info  # type: ignore[union-attr]
        info.restype = ctypes.c_char_p
        info.argtypes = [ctypes.c_void_p]
        version: bytes | None = info(None)
    except (AttributeError, OSError):
        return "unknown"
    return version.decode("utf-8", "replace") if version else "unknown"
