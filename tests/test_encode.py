"""The MP3 decodes back to exactly the samples the timeline says, whatever the length."""

from __future__ import annotations

from pathlib import Path

import pytest
from measure import decode

from narrator.publish.encode import LAME_DELAY, MP3_FRAME, encode_mp3, gapless_length


def test_gapless_length_only_ever_adds_under_a_frame() -> None:
    for samples in range(100_000, 100_000 + 3 * MP3_FRAME):
        longer = gapless_length(samples)
        assert samples <= longer < samples + MP3_FRAME
        assert (longer + LAME_DELAY) % MP3_FRAME <= LAME_DELAY
        assert gapless_length(longer) == longer


@pytest.mark.e2e
@pytest.mark.parametrize("remainder", [0, 1, 500, LAME_DELAY, LAME_DELAY + 1, 1130, 1151])
def test_decoded_length_is_exact_for_every_kind_of_remainder(
    remainder: int, tmp_path: Path
) -> None:
    base = 44100 * 2
    samples = gapless_length(base - (base + LAME_DELAY) % MP3_FRAME + remainder)
    out = tmp_path / "x.mp3"
    encode_mp3(iter([b"\x10\x00" * samples]), out)
    assert len(decode(out)) == samples
