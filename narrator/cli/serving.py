"""What `narrator serve` prints on start, and where `--build` writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrator.errors import OptionError, OutputError
from narrator.options import SPECS, Options
from narrator.serve import Server


def build_target(directory: Path, source: str, options: Options) -> Path:
    """Where `serve --build` writes: in the served folder, named as `build` would name it."""
    import narrator
    from narrator.session import slugify

    title = options.output.title or narrator.read_routine(source, options).title
    return directory / f"{slugify(title)}{options.output.suffix}"


def make_folder(directory: Path) -> None:
    """The folder `serve --build` writes into, made if need be."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder: {exc.strerror or exc}",
                          path=directory) from None


def check_build_options(given: dict[str, Any], build_source: str | None) -> None:
    """Build options without --build would be silently ignored: say so instead."""
    if build_source is not None:
        return
    serve_names = {s.name for s in SPECS if s.part == "serve"}
    stray = [s.flag for s in SPECS if s.name not in serve_names
             and given.get(s.name) not in (None, False, (), [])]
    if given.get("config") is not None:
        stray.append("--config")
    if stray:
        raise OptionError(f"{stray[0]} is a build option: give it with --build SOURCE")


def can_draw_blocks(encoding: str | None) -> bool:
    """Whether the terminal's encoding has the half blocks the QR code is drawn with."""
    try:
        "\u2588\u2580\u2584".encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def banner_lines(server: Server, *, unicode_ok: bool) -> list[str]:
    from narrator.serve.network import qr_text

    count = len(server.catalog.episodes())
    sessions = f"{count} session{'s' if count != 1 else ''}" if count else "no sessions yet"
    lines = [f"Serving {sessions} from {server.directory}/ "
             f"(new builds there appear by themselves).", ""]
    if server.on_lan:
        lines.append("On the phone, on the same Wi-Fi, open this address or scan the code:")
    elif server.chosen:
        lines.append(f"Listening on {server.host} only: just this computer can connect.")
    else:
        lines.append("No local network address was found: only this computer can connect "
                     "(choose one with --host).")
    lines += ["", f"  {server.page_url}", ""]
    if unicode_ok:
        lines += [qr_text(server.page_url).rstrip("\n"), ""]
    lines += ["Podcast feed (AntennaPod, Podcast Addict, Downcast...: add a podcast by URL):",
              f"  {server.feed_url}", ""]
    if server.token is None:
        lines.append("Public: there is no token in the address, so anyone on the same network "
                     "who finds this port can listen.")
    else:
        lines.append("Anyone on the same network who knows this address can listen.")
    lines.append("Ctrl-C stops.")
    return lines
