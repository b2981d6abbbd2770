"""`narrator serve`, as a real process on 127.0.0.1, asked by a real HTTP client (httpx).

The folder holds two sessions built with real eSpeak NG and ffmpeg, and files that must
never be served: an MP3 that narrator did not make, a dotfile, a symlink that leads out,
a subfolder, a text file. Nothing here touches an address outside 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest

import narrator
from narrator.ffmpeg import find_ffmpeg
from narrator.options import Options, SessionOptions
from narrator.publish.tags import read_cover, read_tags

pytestmark = pytest.mark.e2e

BACK = """\
title = "Back Ease"

[[exercise]]
name = "Cat Stretch"
instructions = ["Round your back up toward the ceiling."]
hold = 3

[[exercise]]
name = "Child Pose"
instructions = ["Sit back on your heels and rest your forehead down."]
hold = 3
"""
HIPS = """\
title = "Hip Opener"

[[exercise]]
name = "Low Lunge"
instructions = ["Step one foot forward and sink your hips."]
hold = 2
sides = true
"""
QUICK = Options(session=SessionOptions(ready=1, rest=1, switch=1))
# In the child, Ctrl-C raises KeyboardInterrupt as in a terminal, even where the test
# runner was started with SIGINT ignored (a background job of a shell does that).
LAUNCH = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "from narrator.cli import main; main()")


@dataclass
class Running:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    page: str = ""
    feed: str = ""

    @property
    def token_path(self) -> str:
        return urlsplit(self.page).path  # /s/<token>/

    @property
    def origin(self) -> str:
        parts = urlsplit(self.page)
        return f"{parts.scheme}://{parts.netloc}"

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, then the exit code and what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        assert self.process.stderr is not None and self.process.stdout is not None
        err = self.process.stderr.read()
        self.process.stderr.close()
        self.process.stdout.close()
        return self.process.returncode, err


def start_serve(*args: str, ready_after: float = 120) -> Running:
    """`narrator serve ARGS` as its own process; returns once it printed its addresses."""
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    running = Running(process)
    done = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.lines.append(line.rstrip("\n"))
            if line.startswith("Ctrl-C stops"):
                done.set()
        done.set()

    threading.Thread(target=read, daemon=True).start()
    if not done.wait(ready_after) or process.poll() is not None:
        code, err = running.stop()
        raise AssertionError(f"serve did not start (exit {code}): {err}\n" +
                             "\n".join(running.lines))
    addresses = [line.strip() for line in running.lines if line.startswith("  http://")]
    running.page, running.feed = addresses[0], addresses[1]
    return running


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real sessions, and what must never be served beside them."""
    root = tmp_path_factory.mktemp("serve")
    sources = root / "sources"
    sources.mkdir()
    served = root / "sessions"
    for name, text in (("back-ease", BACK), ("hip-opener", HIPS)):
        narrator.build(_write(sources / f"{name}.toml", text), QUICK, served / f"{name}.mp3")
    outside = root / "elsewhere"
    outside.mkdir()
    for suffix in (".mp3", ".timeline.json"):
        shutil.copy(served / f"back-ease{suffix}", outside / f"kept{suffix}")
        (served / f"link-out{suffix}").symlink_to(outside / f"kept{suffix}")
        shutil.copy(served / f"back-ease{suffix}", served / f".hidden{suffix}")
    (served / "sub").mkdir()
    for suffix in (".mp3", ".timeline.json"):
        shutil.copy(served / f"back-ease{suffix}", served / "sub" / f"nested{suffix}")
    # An MP3 narrator did not make, with a timeline beside it: still not a session.
    subprocess.run([find_ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "sine=d=1", "-b:a",
                    "64k", str(served / "other.mp3")], check=True)
    shutil.copy(served / "back-ease.timeline.json", served / "other.timeline.json")
    _write(served / "notes.txt", "private notes")
    _write(outside / "secret.txt", "a secret outside the folder")
    return served


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Running]:
    running = start_serve(str(folder), "--host", "127.0.0.1", "--port", "0")
    yield running
    running.stop()


def get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=30)


# --------------------------------------------------------------------------- what it prints


def test_it_prints_the_address_the_feed_and_the_warning(server: Running, folder: Path) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]{16}/", server.page)
    assert server.feed == server.page + "feed.xml"
    text = "\n".join(server.lines)
    assert "Serving 2 sessions" in text
    assert "Anyone on the same network who knows this address can listen." in text
    # The token is kept in the folder, as a dotfile that is itself never served.
    assert (folder / ".narrator-token").read_text().strip() in server.page


def _printed_matrix(lines: list[str]) -> list[list[int]]:
    """The QR code as printed (segno's compact terminal form: a light module is drawn, a
    dark one left blank, two rows a line), back into rows of modules, 1 for dark."""
    light = {"\u2588": (1, 1), "\u2580": (1, 0), "\u2584": (0, 1), " ": (0, 0)}
    drawn = [line for line in lines if line.strip() and set(line) <= set(light)]
    rows: list[list[int]] = []
    for line in drawn:
        pairs = [light[ch] for ch in line]
        rows.append([1 - top for top, _ in pairs])
        rows.append([1 - bottom for _, bottom in pairs])
    return rows


def test_the_qr_code_encodes_the_page_address(server: Running, tmp_path: Path) -> None:
    import segno

    printed = _printed_matrix(server.lines)
    expected = segno.make(server.page, error="m", micro=False)
    size = len(expected.matrix) + 4  # the 2-module quiet zone on each side
    wanted = [[0] * size for _ in range(2)] + [
        [0, 0, *[1 if m else 0 for m in row], 0, 0] for row in expected.matrix
    ] + [[0] * size for _ in range(2)]
    assert printed[:size] == wanted
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        return  # the matrix is segno's for exactly this address; no decoder to read it back
    from PIL import Image

    image = Image.new("L", (size, size), 255)
    image.putdata([0 if dark else 255 for row in printed[:size] for dark in row])
    picture = tmp_path / "qr.png"
    image.resize((size * 8, size * 8), Image.Resampling.NEAREST).save(picture)
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(picture)],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == server.page


# --------------------------------------------------------------------------- the page


def test_the_page_lists_each_session_with_its_chapters(server: Running, folder: Path) -> None:
    response = get(server.page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    html = response.text
    assert html.count("<audio ") == 2
    assert "Back Ease" in html and "Hip Opener" in html
    for name in ("back-ease", "hip-opener"):
        chapters = read_tags(folder / f"{name}.mp3").chapters
        starts = re.findall(
            rf'<article id="{name}">.*?</article>', html, re.S)[0]
        jumps = [float(s) for s in re.findall(r'data-start="([\d.]+)"', starts)]
        assert jumps == pytest.approx([c.start_ms / 1000 for c in chapters], abs=0.002)
        assert f'src="audio/{name}.mp3"' in starts and f'href="download/{name}.mp3"' in starts
    for never in ("other.mp3", "link-out", ".hidden", "nested.mp3", "notes.txt"):
        assert never not in html
    # No external asset: every link and source is relative to the page.
    for link in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert not re.match(r"[a-z]+:|//|/", link), link


# --------------------------------------------------------------------------- the feed


def test_the_feed_has_an_episode_per_session(server: Running, folder: Path) -> None:
    response = get(server.feed)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.version == "rss20"
    assert {"itunes", "podcast"} <= set(parsed.namespaces)
    assert parsed.feed.image.href.startswith(server.page + "cover/")
    by_title = {e.title: e for e in parsed.entries}
    assert sorted(by_title) == ["Back Ease", "Hip Opener"]
    for title, name in (("Back Ease", "back-ease"), ("Hip Opener", "hip-opener")):
        entry = by_title[title]
        audio = folder / f"{name}.mp3"
        (enclosure,) = entry.enclosures
        assert enclosure.href == f"{server.page}audio/{name}.mp3"
        assert int(enclosure.length) == audio.stat().st_size
        assert enclosure.type == "audio/mpeg"
        tags = read_tags(audio)
        minutes, seconds = entry.itunes_duration.split(":")
        assert int(minutes) * 60 + int(seconds) == round(tags.length_ms / 1000)
        assert entry.image.href == f"{server.page}cover/{name}.jpg"
        assert "chapters" in entry.summary
        # The chapter link gives the same chapters as the MP3's own ID3 chapters.
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        chapters = get(entry.podcast_chapters["url"]).json()
        assert [(c["title"], round(c["startTime"] * 1000)) for c in chapters["chapters"]] == [
            (c.title, c.start_ms) for c in tags.chapters]
        transcript = get(entry.podcast_transcript["url"])
        assert transcript.headers["content-type"].startswith("text/vtt")
        assert transcript.text.startswith("WEBVTT") and title in transcript.text
        cover = get(entry.image.href)
        embedded = read_cover(audio)
        assert embedded is not None
        assert (cover.headers["content-type"], cover.content) == embedded


def test_a_new_build_appears_without_a_restart(server: Running, folder: Path) -> None:
    for suffix in (".mp3", ".timeline.json"):
        shutil.copy(folder / f"hip-opener{suffix}", folder / f"hips-again{suffix}")
    try:
        entries = feedparser.parse(get(server.feed).content).entries
        assert len(entries) == 3
        assert f"{server.page}audio/hips-again.mp3" in [e.enclosures[0].href for e in entries]
    finally:
        for suffix in (".mp3", ".timeline.json"):
            (folder / f"hips-again{suffix}").unlink()
    assert len(feedparser.parse(get(server.feed).content).entries) == 2


# --------------------------------------------------------------------------- audio


def test_audio_answers_range_requests(server: Running, folder: Path) -> None:
    data = (folder / "back-ease.mp3").read_bytes()
    url = f"{server.page}audio/back-ease.mp3"
    whole = get(url)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    part = get(url, Range="bytes=1000-1999")
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    assert part.content == data[1000:2000]
    tail = get(url, Range="bytes=-100")
    assert tail.status_code == 206 and tail.content == data[-100:]
    assert get(url, Range=f"bytes={len(data)}-").status_code == 416
    download = get(f"{server.page}download/back-ease.mp3")
    assert download.headers["content-disposition"] == 'attachment; filename="back-ease.mp3"'
    assert download.content == data


# --------------------------------------------------------------------------- what is refused


def _raw_status(running: Running, path: str) -> int:
    """The status for a path sent exactly as written (httpx would tidy up the dots)."""
    parts = urlsplit(running.page)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_anything_but_a_session_is_404(server: Running) -> None:
    base = server.token_path
    for path in (
        "/", "/feed.xml", "/audio/back-ease.mp3",                       # no token
        "/s/AAAAAAAAAAAAAAAA/", "/s/AAAAAAAAAAAAAAAA/feed.xml",         # a wrong token
        base.rstrip("/") + "x/feed.xml", base[:-2] + "/feed.xml",
        f"{base}audio/other.mp3",                                       # not narrator's
        f"{base}audio/.hidden.mp3", f"{base}chapters/.hidden.json",     # dotfiles
        f"{base}audio/.narrator-token",
        f"{base}audio/link-out.mp3", f"{base}cover/link-out.jpg",       # symlink out
        f"{base}audio/notes.txt", f"{base}audio/back-ease.timeline.json",
        f"{base}audio/sub/nested.mp3", f"{base}audio/sub%2Fnested.mp3",  # a subfolder
        f"{base}audio/../../elsewhere/secret.txt",                       # traversal
        f"{base}audio/..%2F..%2Felsewhere%2Fsecret.txt",
        f"{base}audio/%2e%2e/%2e%2e/elsewhere/secret.txt",
        f"{base}../elsewhere/secret.txt", f"{base}chapters/../../../etc/passwd",
        f"{base}transcript/back-ease.json", f"{base}nothing",
    ):
        assert _raw_status(server, path) == 404, path
    assert httpx.post(server.feed, timeout=30).status_code == 404


# --------------------------------------------------------------------------- the browser


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.mark.skipif(_browser() is None, reason="no Chromium installed for a screenshot")
def test_a_phone_sized_browser_shows_the_page(server: Running, tmp_path: Path) -> None:
    from PIL import Image

    shot = Path(os.environ.get("NARRATOR_SCREENSHOT", tmp_path / "phone.png"))
    profile = tmp_path / "profile"
    subprocess.run(
        [str(_browser()), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={profile}", "--window-size=390,1400",
         "--force-device-scale-factor=1", f"--screenshot={shot}", server.page],
        check=True, capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    assert image.size == (390, 1400)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50  # text, covers and buttons were drawn, not a blank page
    # The download buttons' green (--accent) is there: the inline style was applied.
    accent = sum(n for n, (r, g, b) in colours
                 if abs(r - 0x2F) + abs(g - 0x6F) + abs(b - 0x5E) < 12)
    assert accent > 2000


# --------------------------------------------------------------------------- start and stop


def test_build_then_serve_public_and_ctrl_c(tmp_path: Path) -> None:
    source = _write(tmp_path / "back.toml", BACK)
    folder = tmp_path / "fresh"  # made by --build
    running = start_serve(str(folder), "--host", "127.0.0.1", "--port", "0", "--public",
                          "--build", str(source), "--ready", "1", "--rest", "1")
    try:
        assert urlsplit(running.page).path == "/"
        assert any(line.startswith(f"wrote {folder / 'back-ease.mp3'}")
                   for line in running.lines)
        assert "Public: there is no token" in "\n".join(running.lines)
        entries = feedparser.parse(get(running.feed).content).entries
        assert [e.title for e in entries] == ["Back Ease"]
        assert int(entries[0].enclosures[0].length) == (folder / "back-ease.mp3").stat().st_size
    finally:
        code, err = running.stop()
    assert code == 130
    assert "Traceback" not in err and err.strip() == "narrator: stopped serving"
    assert not (folder / ".narrator-token").exists()  # --public makes none


def test_a_taken_port_and_stray_build_options_are_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH, "serve", str(tmp_path), "--host", "127.0.0.1",
             "--port", port], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"narrator: error: cannot listen on 127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1
    result = subprocess.run([sys.executable, "-c", LAUNCH, "serve", str(tmp_path), "--hold",
                             "45"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("narrator: error: --hold is a build option: give it with "
                             "--build SOURCE\n")
    result = subprocess.run([sys.executable, "-c", LAUNCH, "serve", str(tmp_path / "none"),
                             "--host", "127.0.0.1"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no such folder" in result.stderr


def _as_fds_3_and_4(read_end: int, write_end: int) -> None:
    """In the browser's process: the pipe ends where --remote-debugging-pipe looks."""
    import fcntl

    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (read_end, write_end)]
    os.dup2(high[0], 3)
    os.dup2(high[1], 4)


class _DevTools:
    """Chromium driven over its DevTools pipe (fds 3 and 4), with no driver library."""

    def __init__(self, browser: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        self.process = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", "--autoplay-policy=no-user-gesture-required",
             f"--user-data-dir={profile}", "--window-size=390,844", "about:blank"],
            pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: _as_fds_3_and_4(to_browser_r, from_browser_w))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next = 0
        self._buffer = b""

    def call(self, method: str, session: str | None = None, **params: object) -> dict[str, object]:
        self._next += 1
        message: dict[str, object] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next:
                    assert "error" not in reply, reply
                    result: dict[str, object] = reply["result"]
                    return result
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                break
            self._buffer += chunk
        raise AssertionError(f"no answer from Chromium to {method}")

    def evaluate(self, session: str, expression: str) -> object:
        answer = self.call("Runtime.evaluate", session, expression=expression,
                           awaitPromise=True, returnByValue=True)
        result = answer["result"]
        assert isinstance(result, dict) and "exceptionDetails" not in answer, answer
        return result.get("value")

    def close(self) -> None:
        with contextlib.suppress(OSError, AssertionError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.mark.skipif(_browser() is None, reason="no Chromium installed")
def test_tapping_a_chapter_seeks_the_player_there(server: Running, tmp_path: Path) -> None:
    devtools = _DevTools(str(_browser()), tmp_path / "profile")
    try:
        target = devtools.call("Target.createTarget", url=server.page)["targetId"]
        session = str(devtools.call("Target.attachToTarget", targetId=target,
                                    flatten=True)["sessionId"])
        deadline = time.monotonic() + 60
        loaded = ("document.readyState === 'complete' && "
                  "document.getElementById('player-0') !== null")
        while devtools.evaluate(session, loaded) is not True:
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.2)
        # Tap the third chapter of the first session, and wait until the player got there.
        result = devtools.evaluate(session, """
            new Promise(function (resolve) {
              var audio = document.getElementById("player-0");
              var button = document.querySelectorAll('button[data-player="player-0"]')[2];
              audio.muted = true;
              var answer = function () {
                resolve({time: audio.currentTime, start: Number(button.dataset.start),
                         current: button.hasAttribute("aria-current"),
                         ready: audio.readyState, duration: audio.duration});
              };
              audio.addEventListener("seeked", function () { setTimeout(answer, 500); },
                                     {once: true});
              setTimeout(answer, 20000);
              button.click();
            })""")
    finally:
        devtools.close()
    assert isinstance(result, dict), result
    assert result["start"] > 10 and result["duration"] > result["start"]
    assert result["time"] == pytest.approx(result["start"], abs=1.0)
    assert result["current"] is True  # the chapter playing is marked
