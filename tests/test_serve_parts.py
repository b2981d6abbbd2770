"""The parts of `narrator serve` in process: the LAN address choice, the kept token, the
catalog's refusals, and the page and feed of an empty folder."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from narrator.errors import OptionError
from narrator.options import ServeOptions
from narrator.serve import network, open_server
from narrator.serve.catalog import Catalog, timeline_from_json
from narrator.serve.feed import feed_xml
from narrator.serve.page import page_html


@pytest.mark.parametrize(("interfaces", "chosen"), [
    ([("lo", "127.0.0.1"), ("docker0", "172.17.0.1"), ("wlan0", "192.168.1.23")],
     "192.168.1.23"),
    ([("lo", "127.0.0.1"), ("eth0", "10.0.0.5"), ("wlp2s0", "192.168.0.9")], "192.168.0.9"),
    ([("lo", "127.0.0.1"), ("docker0", "172.17.0.1")], "172.17.0.1"),  # a bridge at worst
    ([("lo", "127.0.0.1"), ("eth0", "8.8.4.4"), ("en0", "169.254.3.3")], None),  # no LAN
    ([("lo", "127.0.0.1")], None),
])
def test_the_lan_address_is_a_private_one_off_the_bridges(
    monkeypatch: pytest.MonkeyPatch, interfaces: list[tuple[str, str]], chosen: str | None,
) -> None:
    monkeypatch.setattr(network, "_interface_addresses", lambda: interfaces)
    assert network.lan_address() == chosen


def test_the_token_is_random_kept_and_checked(tmp_path: Path) -> None:
    first = network.folder_token(tmp_path)
    assert len(first) == 16 and network.folder_token(tmp_path) == first
    assert (tmp_path / network.TOKEN_FILE).stat().st_mode & 0o077 == 0
    other = tmp_path / "other"
    other.mkdir()
    assert network.folder_token(other) != first
    (tmp_path / network.TOKEN_FILE).write_text("../../x\n")  # not a token: a new one
    replaced = network.folder_token(tmp_path)
    assert replaced != first and network.TOKEN_FILE not in replaced and "/" not in replaced


def test_a_damaged_timeline_or_a_foreign_file_is_no_session(tmp_path: Path) -> None:
    (tmp_path / "a.mp3").write_bytes(b"\xff\xfb" + bytes(4000))
    (tmp_path / "a.timeline.json").write_text("{not json")
    (tmp_path / "b.mp3").write_bytes(b"not audio at all")
    (tmp_path / "b.timeline.json").write_text(json.dumps(
        {"title": "B", "sample_rate": 44100, "total": 10, "chapters": [
            {"title": "x", "start": 0, "end": 10}], "events": []}))
    assert Catalog(tmp_path).episodes() == []
    with pytest.raises(ValueError, match="empty"):
        timeline_from_json(json.dumps({"title": "", "sample_rate": 44100, "total": 0,
                                       "chapters": [], "events": []}))


def test_an_empty_folder_gives_a_valid_feed_and_a_page(tmp_path: Path) -> None:
    parsed = feedparser.parse(feed_xml([], "http://127.0.0.1:1/s/t/", page="http://x/"))
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.title == "narrator sessions"
    html = page_html([], "http://127.0.0.1:1/s/t/feed.xml")
    assert "No sessions yet" in html and "<audio" not in html


def test_a_folder_that_is_not_there_is_an_option_error(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="no such folder"):
        open_server(tmp_path / "missing", ServeOptions(host="127.0.0.1", port=0))
    with pytest.raises(OptionError, match="--port 70000 is out of range"):
        open_server(tmp_path, ServeOptions(host="127.0.0.1", port=70000))
