from __future__ import annotations

import json
import re
from functools import cache

from fakes import FakeSynthesizer

from narrator.model import Exercise, Hold, Routine, samples_to_ms
from narrator.options import SessionOptions
from narrator.publish.exports import podcast_chapters, webvtt
from narrator.session import Session, prepare

ROUTINE = Routine(
    title="Two <short> & sweet",
    exercises=(Exercise("Knees to Chest", ("Lie down.",), (Hold(25, "right"), Hold(25, "left"))),
               Exercise("Twist", (), (Hold(5),))),
)


@cache
def _session() -> Session:
    return prepare(ROUTINE, SessionOptions(ready=1, switch=1, rest=1), FakeSynthesizer())


def _vtt_ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


def test_podcast_chapters_match_the_timeline() -> None:
    timeline = _session().timeline
    document = json.loads(podcast_chapters(timeline, title="T"))
    assert document["version"] == "1.2.0" and document["title"] == "T"
    assert [(c["title"], round(c["startTime"] * 1000), round(c["endTime"] * 1000))
            for c in document["chapters"]] == [
        (c.title, samples_to_ms(c.start), samples_to_ms(c.end)) for c in timeline.chapters]
    assert document["chapters"][0]["startTime"] == 0


def test_vtt_has_a_cue_for_everything_said_at_its_time() -> None:
    timeline = _session().timeline
    text = webvtt(timeline)
    assert text.startswith("WEBVTT\n\n")
    cues = re.findall(r"^(\d+)\n(\S+) --> (\S+)\n(.+)$", text, re.M)
    said = [e for e in timeline.events if e.kind == "speech"]
    assert len(cues) == len(said)
    for (_number, start, end, words), event in zip(cues, said, strict=True):
        assert _vtt_ms(start) == samples_to_ms(event.start)
        assert _vtt_ms(end) == samples_to_ms(event.end)
        assert words == event.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert [int(c[0]) for c in cues] == list(range(1, len(cues) + 1))
    assert "Two &lt;short&gt; &amp; sweet." in text
    assert "NOTE Knees to Chest" in text
    assert "-->" not in "".join(c[3] for c in cues)
