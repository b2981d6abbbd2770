from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from narrator.errors import OptionError
from narrator.publish.cover import COVER_SIZE, generate_cover, load_cover, say_length


def test_generated_cover_is_a_large_square_jpeg() -> None:
    cover = generate_cover("Seven stretches in seven minutes", 431,
                           ["Floor Hamstrings", "Knees to Chest", "Spinal Twist"])
    assert cover.mime == "image/jpeg"
    with Image.open(io.BytesIO(cover.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (COVER_SIZE, COVER_SIZE) == (cover.width, cover.height)


def test_generated_cover_copes_with_long_titles_and_many_stretches() -> None:
    cover = generate_cover("A " * 80, 99 * 60, [f"Stretch {i} " * 10 for i in range(40)])
    with Image.open(io.BytesIO(cover.data)) as image:
        assert image.size == (COVER_SIZE, COVER_SIZE)


def test_lengths_read_as_a_player_shows_them() -> None:
    assert [say_length(s) for s in (20, 431, 3600, 3900)] == ["1 min", "7 min", "1 h", "1 h 5 min"]


def test_own_png_is_kept_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "me.png"
    Image.new("RGB", (600, 600), (10, 20, 30)).save(path)
    cover = load_cover(path)
    assert cover.mime == "image/png" and cover.data == path.read_bytes()
    assert (cover.width, cover.height) == (600, 600)


def test_other_formats_and_huge_images_become_jpeg(tmp_path: Path) -> None:
    gif = tmp_path / "me.gif"
    Image.new("RGBA", (300, 200), (10, 20, 30, 128)).save(gif)
    assert load_cover(gif).mime == "image/jpeg"
    big = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 4000)).save(big)
    cover = load_cover(big)
    assert cover.mime == "image/jpeg" and max(cover.width, cover.height) == 3000


def test_missing_or_unreadable_cover_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="no such file"):
        load_cover(tmp_path / "missing.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    with pytest.raises(OptionError, match="not an image"):
        load_cover(broken)
