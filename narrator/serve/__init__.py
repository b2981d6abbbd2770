"""`narrator serve`: the built sessions of a folder, on the phone over Wi-Fi.

    from narrator.serve import open_server
    server = open_server(Path("output"), ServeOptions(host="127.0.0.1", port=0))
    print(server.page_url, server.feed_url)
    server.run()          # until Ctrl-C (KeyboardInterrupt) or SIGTERM

A real ASGI stack: starlette for the app (app.py), uvicorn to serve it. The folder's
sessions (catalog.py) are listed on a page for the phone's browser (page.py) and in a
podcast feed (feed.py); the socket is bound before anything is printed, so the addresses
shown are the ones that work (network.py).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from narrator.errors import OptionError
from narrator.options import ServeOptions
from narrator.serve.catalog import Catalog
from narrator.serve.network import folder_token, lan_address, listen, url_host

__all__ = ["Server", "open_server"]

GRACEFUL_STOP_S = 2
"""After Ctrl-C, how long a phone still streaming may keep its connection."""


@dataclass
class Server:
    directory: Path
    catalog: Catalog
    socket: socket.socket
    host: str
    """The address shown to the phone."""
    port: int
    token: str | None
    on_lan: bool
    """False when only this computer can connect (a loopback address)."""
    chosen: bool
    """Whether the address came from --host rather than from the interfaces."""

    @property
    def page_url(self) -> str:
        path = f"/s/{self.token}/" if self.token else "/"
        return f"http://{url_host(self.host)}:{self.port}{path}"

    @property
    def feed_url(self) -> str:
        return self.page_url + "feed.xml"

    def run(self) -> None:
        """Serve until interrupted; Ctrl-C ends it with KeyboardInterrupt, once the open
        connections are closed (at most GRACEFUL_STOP_S later)."""
        import uvicorn

        from narrator.serve.app import create_app

        config = uvicorn.Config(create_app(self.catalog, self.token), log_level="warning",
                                access_log=False, lifespan="off", server_header=False,
                                timeout_graceful_shutdown=GRACEFUL_STOP_S)
        try:
            uvicorn.Server(config).run(sockets=[self.socket])
        finally:
            self.socket.close()


def open_server(directory: Path, options: ServeOptions | None = None) -> Server:
    """Bind the address `options` asks for (default: this computer's LAN address) and get
    ready to serve `directory`. OptionError for a folder that is not there, or an address
    that cannot be had."""
    options = (options or ServeOptions()).validate()
    if not directory.is_dir():
        raise OptionError("no such folder: expected the folder of built sessions (default "
                          "output/)", path=directory)
    bind = options.host or lan_address()
    on_lan = bind is not None
    bind = bind or "127.0.0.1"
    sock = listen(bind, options.port)
    shown = bind
    if bind in ("0.0.0.0", "::"):
        shown = lan_address() or "127.0.0.1"
    elif options.host is not None:
        on_lan = not _is_loopback(bind)
    token = None if options.public else folder_token(directory)
    return Server(directory=directory, catalog=Catalog(directory), socket=sock, host=shown,
                  port=sock.getsockname()[1], token=token, on_lan=on_lan,
                  chosen=options.host is not None)


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
