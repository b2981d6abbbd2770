"""Where `narrator serve` listens and what it prints: the LAN address, the token, the QR code.

The LAN address is read from this computer's own interfaces (nothing is sent anywhere to
find it): a private IPv4 address, preferring Wi-Fi and Ethernet over container and VPN
bridges. The token is random (96 bits) and kept in the folder as `.narrator-token`, so the
address a phone bookmarked, or a podcast app subscribed to, stays the same between runs.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
import socket
import struct
import sys
from pathlib import Path

from narrator.errors import OptionError, OutputError
from narrator.files import replace_atomically

TOKEN_FILE = ".narrator-token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_BRIDGES = ("docker", "br-", "veth", "virbr", "lxc", "lxd", "cni", "flannel", "podman",
            "tun", "tap", "wg", "zt", "tailscale", "utun")
_SIOCGIFADDR = 0x8915
_HOME_NETWORKS = tuple(ipaddress.ip_network(n) for n in
                       ("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12"))
"""Where home and office Wi-Fi put a computer, most likely first."""


def _interface_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) of every interface that has one; Linux asks the kernel,
    elsewhere the host name's addresses stand in."""
    found: list[tuple[str, str]] = []
    if sys.platform.startswith("linux"):
        import fcntl

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, name in socket.if_nameindex():
                with contextlib.suppress(OSError):
                    packed = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR,
                                         struct.pack("256s", name.encode()[:15]))
                    found.append((name, socket.inet_ntoa(packed[20:24])))
    if not found:
        with contextlib.suppress(OSError):
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                found.append(("", str(info[4][0])))
    return found


def lan_address() -> str | None:
    """This computer's address on the local network, or None if it has none: a private
    IPv4 address, Wi-Fi or Ethernet before bridges, RFC 1918 ranges before other ones."""
    candidates = []
    for name, address in _interface_addresses():
        ip = ipaddress.ip_address(address)
        if ip.is_loopback or ip.is_link_local or not ip.is_private:
            continue
        bridge = name.lower().startswith(_BRIDGES)
        home = next((rank for rank, net in enumerate(_HOME_NETWORKS) if ip in net),
                    len(_HOME_NETWORKS))
        candidates.append((bridge, home, address))
    return min(candidates)[2] if candidates else None


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OptionError when the address cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise OptionError(f"--host {host}: not an address of this computer ({exc})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        why = exc.strerror or str(exc)
        hint = " (pick another with --port)" if exc.errno == 98 else ""
        raise OptionError(f"cannot listen on {url_host(host)}:{port}: {why}{hint}") from None
    sock.set_inheritable(True)
    return sock


def folder_token(directory: Path) -> str:
    """The folder's token: the one kept in it, else a new one (kept if the folder allows)."""
    path = directory / TOKEN_FILE
    with contextlib.suppress(OSError, UnicodeDecodeError):
        kept = path.read_text(encoding="utf-8").strip()
        if _TOKEN.fullmatch(kept):
            return kept
    token = secrets.token_urlsafe(12)
    with contextlib.suppress(OutputError, OSError), \
            replace_atomically(path, ".partial") as partial:
        partial.write_text(token + "\n", encoding="utf-8")
        os.chmod(partial, 0o600)
    return token


def qr_text(url: str) -> str:
    """The address as a QR code drawn with half blocks, two rows of modules a line."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m", micro=False).terminal(out=out, compact=True, border=2)
    return out.getvalue()
