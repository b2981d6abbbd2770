from __future__ import annotations

import pytest

from narrator.speech.speakable import speakable


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Hold for 1-2 minutes.", "Hold for 1 to 2 minutes."),
        ("Hold 30\u201360 seconds.", "Hold 30 to 60 seconds."),
        ("Hold 30s.", "Hold 30 seconds."),
        ("Hold 20-30s each side.", "Hold 20 to 30 seconds each side."),
        ("Hold 30 sec. Then relax.", "Hold 30 seconds. Then relax."),
        ("Hold for 1 min.", "Hold for 1 minute."),
        ("Do it 2x.", "Do it 2 times."),
        ("10-15 reps", "10 to 15 repetitions"),
        ("Rest for 1/2 minute.", "Rest for half a minute."),
        # Left alone: already natural, or not a duration at all.
        ("Stretch 3 of 7: Knees to Chest.", "Stretch 3 of 7: Knees to Chest."),
        ("Left side, 30 seconds.", "Left side, 30 seconds."),
        ("Common in your 40s.", "Common in your 40s."),
        ("Since the 1990s.", "Since the 1990s."),
        ("Call 555-1234.", "Call 555-1234."),
        ("COVID-19 safe.", "COVID-19 safe."),
    ],
)
def test_written_forms_are_spelled_out_for_espeak(written: str, said: str) -> None:
    assert speakable(written) == said
