from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "000_ce45fbb49eae6f1c.txt"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never read or fill the user's own clip cache; clips are shared across tests."""
    if "NARRATOR_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("NARRATOR_CACHE_DIR", str(_shared_cache(tmp_path_factory)))
    yield


_CACHE: list[Path] = []


def _shared_cache(factory: pytest.TempPathFactory) -> Path:
    if not _CACHE:
        _CACHE.append(factory.mktemp("clip-cache"))
    return _CACHE[0]
