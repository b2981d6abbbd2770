"""The benchmark runs end to end on a tiny input. Its timings are not asserted: only its shape."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from bench import main

pytestmark = pytest.mark.e2e


def test_quick_bench_writes_a_complete_report(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--quick", "--repeat", "2", "-o", str(out)]) == 0
    report = json.loads(out.read_text())
    measures = report["measures"]
    assert set(measures) >= {"cold", "warm", "speech_floor", "encode_floor_cold",
                             "encode_floor_warm", "reference_warm", "reference_long-4"}
    builds = [m for name, m in measures.items()
              if not name.startswith(("speech_floor", "encode_floor", "reference"))]
    assert len(builds) == 5
    for m in measures.values():
        assert m["wall_s"] > 0 and m["peak_rss_mb"] > 0
    for m in builds:
        assert m["audio_s"] > 0 and m["child_rss_mb"] > 0
    assert measures["speech_floor"]["detail"]["samples"] > 0
    for target in report["targets"].values():
        assert target["value"] == target["value"]  # a number, not NaN
        assert isinstance(target["met"], bool)
    for name in ("warm_vs_encode_floor", "cold_vs_speech_plus_encode_floor"):
        # The fastest build over its fastest floors, and one ratio a round besides.
        target, m = report["targets"][name], measures
        floors = ["encode_floor_warm"] if name.startswith("warm") else [
            "speech_floor", "encode_floor_cold"]
        build = m["warm" if name.startswith("warm") else "cold"]["wall_s"]
        assert target["value"] == pytest.approx(
            build / sum(m[f]["wall_s"] for f in floors), abs=0.002)
        assert len(target["rounds"]) == 2
        assert target["median_of_rounds"] == pytest.approx(sum(target["rounds"]) / 2, abs=0.002)
    # The fixed reference is libmp3lame at its default setting: no -compression_level.
    assert "-compression_level" not in measures["reference_warm"]["command"]
    assert "-compression_level" in measures["encode_floor_warm"]["command"]
    target = report["targets"]["warm_vs_reference"]
    assert target["limit"] == 0.6
    assert target["value"] == pytest.approx(
        measures["warm"]["wall_s"] / measures["reference_warm"]["wall_s"], abs=0.002)
    growth = report["targets"]["parse_time_per_exercise_8x_longer"]
    assert growth["exercises"] == 25
    assert growth["value"] == pytest.approx(growth["seconds_8x"] / 8 / growth["seconds"],
                                            rel=0.02)
    assert report["machine"]["cpus"] >= 1
    printed = capsys.readouterr().out
    assert "warm_vs_encode_floor" in printed
