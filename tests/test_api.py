"""The library API on its own: narrator.plan and narrator.build with no command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from measure import decode, ffmpeg_chapters

import narrator
from narrator.errors import OptionError, TagReadError
from narrator.model import SAMPLE_RATE
from narrator.options import Options, OutputOptions, SessionOptions, options_for
from narrator.script.cues import CUES, languages, phrases

ROUTINE = """title = "Library check"

[[exercise]]
name = "Neck Tilt"
instructions = ["Tilt your head to one side."]
hold = 6
sides = true
"""


@pytest.mark.e2e
def test_build_through_the_api_writes_a_measurable_session(tmp_path: Path) -> None:
    source = tmp_path / "neck.toml"
    source.write_text(ROUTINE, encoding="utf-8")
    options = Options(session=SessionOptions(holds=("4",), ready=1, switch=1, rest=1,
                                             countdown=2),
                      output=OutputOptions(vtt=True, no_cover=True))
    planned = narrator.plan(source, options)
    result = narrator.build(source, options, tmp_path / "neck")

    assert result.path == tmp_path / "neck.mp3"  # the format's suffix is added
    assert result.side_files == (tmp_path / "neck.vtt",)
    assert result.session.timeline == planned.timeline  # plan and build agree exactly
    holds = [e for e in result.session.timeline.events if e.kind == "hold"]
    assert [h.end - h.start for h in holds] == [4 * SAMPLE_RATE] * 2  # --hold 4, both sides
    pcm = decode(result.path)
    assert abs(len(pcm) - result.session.timeline.total) <= 1152  # one MP3 frame at most
    bell = max(abs(s) for s in pcm[holds[0].start: holds[0].start + SAMPLE_RATE // 2])
    assert bell > 1000  # each hold opens with the start bell
    chapters = [c.title for c in ffmpeg_chapters(result.path)]
    assert chapters == ["Introduction", "Neck Tilt", "Finish"]
    timeline = json.loads(result.timeline_path.read_text())
    assert timeline["total"] == result.session.timeline.total
    assert "Tilt your head" in (tmp_path / "neck.vtt").read_text()
    info = narrator.inspect(result.path)
    assert info.cover is None and len(info.chapters) == 3


def test_inspect_on_a_file_that_is_not_audio_is_a_read_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp3"
    notes.write_text("shopping list")
    with pytest.raises(TagReadError) as raised:
        narrator.inspect(notes)
    assert raised.value.exit_code == 3


@pytest.mark.parametrize(("values", "flag"), [
    ({"ready": 301.0}, "--ready"), ({"countdown": 11}, "--countdown"),
    ({"rounds": 0}, "--rounds"), ({"minutes": 0.0}, "--minutes"),
    ({"rate": 20}, "--rate"), ({"volume": 1.5}, "--volume"),
    ({"range": "sideways"}, "--range"), ({"seconds_per_rep": -1.0}, "--seconds-per-rep"),
    ({"language": "xx"}, "--language"), ({"engine": "nope"}, "--engine"),
    ({"bitrate": "fast"}, "--bitrate"), ({"format": "wav"}, "--format"),
    ({"scale": 0.0}, "--scale"),
])
def test_every_bad_value_is_one_option_error_naming_its_flag(values: dict[str, object],
                                                             flag: str) -> None:
    with pytest.raises(OptionError, match=f"^{flag} "):
        Options.from_values(values).validate()


def test_options_from_the_command_line_land_in_their_parts() -> None:
    options = options_for({"hold": ["45"], "rate": 170, "range": "lower", "vtt": True})
    assert options.session.holds == ("45",)
    assert options.voice.rate == 170
    assert options.parse.range_choice == "lower"
    assert options.output.vtt is True


@pytest.mark.parametrize("code", languages())
def test_every_language_has_a_text_for_every_cue_kind(code: str) -> None:
    texts = phrases(code)
    assert {cue.kind for cue in CUES} <= set(texts.cues)
