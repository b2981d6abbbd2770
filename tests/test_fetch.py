"""A routine from a web address, against a real HTTP server on 127.0.0.1 (tests/pages.py).

Each real-world limit gives one FetchError (exit 3 on the command line); pages are cached by
address for a day, checked when read; offline nothing is fetched.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from measure import decode
from pages import HUGE_SIZE, Served, serve_pages

import narrator
from narrator import fetch
from narrator.cache import write_entry
from narrator.cli.commands import main
from narrator.errors import FetchError, OptionError, SourceError
from narrator.fetch import Limits, read_page
from narrator.model import SAMPLE_RATE
from narrator.options import FetchOptions, Options
from narrator.publish.tags import read_tags

QUICK = Limits(connect_s=1.0, read_s=1.0, total_s=2.0)


@pytest.fixture(scope="module")
def site() -> Iterator[Served]:
    with serve_pages() as served:
        yield served


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache of its own, so each test sees its own fetches."""
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_OFFLINE", raising=False)
    return tmp_path / "cache"


def _fails(url: str, limits: Limits = QUICK) -> str:
    with pytest.raises(FetchError) as caught:
        fetch.fetch(url, limits)
    message = str(caught.value)
    assert message.startswith(url + ": ") and "\n" not in message
    return message


# --------------------------------------------------------------------------- good pages


def test_an_html_page_is_read_as_a_saved_page(site: Served, cache: Path) -> None:
    routine = narrator.read_routine(site.url("/routine.html"))
    assert [e.name for e in routine.exercises] == ["Seated Reach", "Folded Leaf"]
    assert [h.seconds for e in routine.exercises for h in e.holds] == [3, 4]
    assert routine.title == "Evening Unwind"  # the page's <title>, the site's name cut off
    assert routine.source == site.url("/routine.html")


def test_plain_text_and_markdown_pages(site: Served, cache: Path) -> None:
    text = narrator.read_routine(site.url("/desk.txt"))
    assert [e.name for e in text.exercises] == ["Neck Tilt", "Wrist Circle"]
    markdown = narrator.read_routine(site.url("/morning.md"))
    assert markdown.title == "Morning Wake Up"
    assert [h.seconds for e in markdown.exercises for h in e.holds] == [3, 4]


def test_the_charset_comes_from_the_page_when_the_header_has_none(site: Served) -> None:
    page = fetch.fetch(site.url("/latin.html"), QUICK)
    assert "Grüße Reach" in page.text and "café crowd" in page.text
    assert page.format == "html" and page.media_type == "text/html"


def test_the_header_charset_wins_over_the_page(site: Served) -> None:
    # ISO-8859-1 in a header means Windows-1252, as browsers read it; the meta says UTF-8.
    page = fetch.fetch(site.url("/latin-header.html"), QUICK)
    assert "Café Fold" in page.text


def test_five_redirects_are_followed(site: Served) -> None:
    page = fetch.fetch(site.url("/hops/4"), QUICK)  # 4 hops, then one to the page: 5
    assert page.final_url == site.url("/routine.html")
    assert page.url == site.url("/hops/4")


# --------------------------------------------------------------------------- the limits


def test_six_redirects_and_a_loop_are_refused(site: Served) -> None:
    assert "more than 5 redirects" in _fails(site.url("/hops/5"))
    assert "more than 5 redirects" in _fails(site.url("/loop-a"))


def test_an_http_error_status_is_one_line(site: Served) -> None:
    assert _fails(site.url("/missing")).endswith("the server answered 404 Not Found")
    assert "answered 500" in _fails(site.url("/broken"))


def test_a_pdf_is_refused_by_name(site: Served) -> None:
    assert "the page is a PDF" in _fails(site.url("/doc.pdf"))
    assert "the page is a PDF" in _fails(site.url("/disguised-pdf"))  # called text/html
    assert "the page is an image (image/png)" in _fails(site.url("/photo.png"))


def test_a_slow_server_times_out(site: Served) -> None:
    assert "read timeout" in _fails(site.url("/slow"), Limits(read_s=0.5))


def test_a_page_that_never_finishes_hits_the_time_limit(site: Served) -> None:
    # A byte every 0.2 s is never a read timeout; the whole page has a time limit too.
    started = time.monotonic()
    assert "took longer than 1 s" in _fails(site.url("/drip"), Limits(read_s=5, total_s=1))
    assert time.monotonic() - started < 15  # the drip lasts 20 s: the limit cut it short


def test_reading_stops_past_the_size_limit(site: Served) -> None:
    message = _fails(site.url("/huge"), Limits(read_s=5, total_s=30))
    assert "larger than 5 MB" in message
    deadline = time.monotonic() + 10
    while not site.huge_sent and time.monotonic() < deadline:
        time.sleep(0.05)
    # The server got to write only what the socket buffers held past the 5 MB read.
    assert site.huge_sent and site.huge_sent[-1] < HUGE_SIZE // 2


def test_a_declared_length_over_the_limit_is_refused_before_reading(site: Served) -> None:
    assert "is 67.1 MB; at most 5 MB is read" in _fails(site.url("/declared-huge"))


def test_only_http_and_https(site: Served) -> None:
    assert "only http and https" in _fails("ftp://127.0.0.1/routine.txt")
    assert "not http or https" in _fails(site.url("/to-ftp"))


def test_nothing_listening_is_one_line() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "cannot connect" in _fails(f"http://127.0.0.1:{port}/")


def test_a_connection_nobody_accepts_times_out() -> None:
    # A listening socket whose queue is full: the kernel drops further connection attempts.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        address = listener.getsockname()
        fillers = []
        try:
            for _ in range(4):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(address)
                fillers.append(filler)
            time.sleep(0.2)
            message = _fails(f"http://127.0.0.1:{address[1]}/", Limits(connect_s=0.5))
        finally:
            for filler in fillers:
                filler.close()
    assert "connect timeout" in message


def test_an_empty_page(site: Served) -> None:
    assert "the page is empty" in _fails(site.url("/empty"))


def test_a_page_with_no_routine_names_its_address(site: Served, cache: Path) -> None:
    url = site.url("/about.html")
    with pytest.raises(SourceError) as caught:
        narrator.read_routine(url)
    assert str(caught.value).startswith(f"{url}: no exercise found")


# --------------------------------------------------------------------------- the cache


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "pages").rglob("*.json"))


def test_a_page_is_fetched_once_a_day(site: Served, cache: Path) -> None:
    url = site.url("/desk.txt")
    before = site.requests.count("/desk.txt")
    first = read_page(url)
    again = read_page(url)
    assert site.requests.count("/desk.txt") == before + 1
    assert again.from_cache and again.text == first.text
    read_page(url, FetchOptions(refresh=True))
    assert site.requests.count("/desk.txt") == before + 2


def _entry(path: Path) -> tuple[bytes, dict[str, object]]:
    """A cached page's header line (its key and digest) and its JSON."""
    header, _, body = path.read_bytes().partition(b"\n")
    return header, json.loads(body.decode("utf-8"))


def test_a_page_older_than_a_day_is_fetched_again(site: Served, cache: Path) -> None:
    url = site.url("/morning.md")
    read_page(url)
    (entry,) = _entries(cache)
    _header, data = _entry(entry)
    data["fetched_at"] -= fetch.CACHE_SECONDS + 1
    # Sealed again as the cache would: a whole entry of this address, only a day old.
    write_entry(entry, json.dumps(data).encode("utf-8"), fetch._key(url))
    before = site.requests.count("/morning.md")
    assert not read_page(url).from_cache
    assert site.requests.count("/morning.md") == before + 1


def test_a_damaged_or_foreign_entry_is_never_served(site: Served, cache: Path) -> None:
    url = site.url("/desk.txt")
    good = read_page(url)
    (entry,) = _entries(cache)
    header, data = _entry(entry)
    data["text"] = data["text"].replace("Neck", "Back")  # the digest no longer matches
    entry.write_bytes(header + b"\n" + json.dumps(data).encode("utf-8"))
    assert read_page(url).text == good.text
    # Another address's entry put in this one's place: its key says whose it is.
    other = read_page(site.url("/morning.md"))
    other_entry = next(e for e in _entries(cache) if e != entry)
    entry.write_bytes(other_entry.read_bytes())
    before = site.requests.count("/desk.txt")
    assert read_page(url).text == good.text != other.text
    assert site.requests.count("/desk.txt") == before + 1
    entry.write_bytes(b"\x00not json")
    assert read_page(url).text == good.text


def test_offline_uses_the_cache_or_refuses(site: Served, cache: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = site.url("/routine.html")
    with pytest.raises(FetchError, match=r"offline .*not in the cache"):
        read_page(url, FetchOptions(offline=True))
    assert _entries(cache) == []
    read_page(url)
    before = len(site.requests)
    monkeypatch.setenv("NARRATOR_OFFLINE", "1")
    assert read_page(url).from_cache  # offline, a cached page of any age is used
    with pytest.raises(FetchError, match="--refresh asks for a fetch"):
        read_page(url, FetchOptions(refresh=True))
    with pytest.raises(FetchError, match="not in the cache"):
        read_page(site.url("/desk.txt"))
    assert len(site.requests) == before
    with pytest.raises(OptionError, match="contradict"):
        Options(fetch=FetchOptions(offline=True, refresh=True)).validate()


# --------------------------------------------------------------------------- the command line


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_cli_refusals_are_one_line_and_exit_3(
    site: Served, cache: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for path, expected in (("/missing", "the server answered 404 Not Found"),
                           ("/doc.pdf", "the page is a PDF"),
                           ("/loop-a", "more than 5 redirects")):
        code, out, err = _run(capsys, "plan", site.url(path))
        assert (code, out) == (3, "")
        assert err.startswith(f"narrator: error: {site.url(path)}: {expected}")
        assert err.count("\n") == 1
    code, _, err = _run(capsys, "build", "gopher://127.0.0.1/x")
    assert code == 3 and "only http and https" in err
    code, _, err = _run(capsys, "plan", site.url("/routine.html"), "--offline")
    assert code == 3 and "offline" in err and err.count("\n") == 1
    monkeypatch.setenv("NARRATOR_OFFLINE", "1")
    code, _, err = _run(capsys, "routine", site.url("/routine.html"))
    assert code == 3 and "NARRATOR_OFFLINE=1" in err
    code, _, err = _run(capsys, "plan", site.url("/routine.html"), "--offline", "--refresh")
    assert code == 2 and "contradict" in err


def test_cli_plan_and_routine_from_an_address_then_offline(
    site: Served, cache: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    url = site.url("/routine.html")
    code, out, err = _run(capsys, "plan", url, "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["title"] == "Evening Unwind"
    assert [e["holds"] for e in plan["exercises"]] == [[3], [4]]
    fetched = site.requests.count("/routine.html")
    code, out, err = _run(capsys, "routine", url, "--offline")  # from the cache
    assert code == 0, err
    assert 'title = "Evening Unwind"' in out and "Folded Leaf" in out
    assert site.requests.count("/routine.html") == fetched


@pytest.mark.e2e
def test_cli_build_from_an_address_names_the_file_after_the_page(
    site: Served, cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    url = site.url("/routine.html")
    code, out, err = _run(capsys, "build", url, "--ready", "1", "--rest", "1")
    assert code == 0, err
    built = tmp_path / "output" / "evening-unwind.mp3"
    assert out.startswith(f"wrote {Path('output') / 'evening-unwind.mp3'} (")
    tags = read_tags(built)
    assert tags.text["TIT2"] == "Evening Unwind"
    assert tags.text["TXXX:source"] == url and tags.text["WOAS"] == url
    assert [c.title for c in tags.chapters][1:3] == ["Seated Reach", "Folded Leaf"]
    samples = decode(built)
    assert abs(len(samples) / SAMPLE_RATE * 1000 - tags.chapters[-1].end_ms) < 50
