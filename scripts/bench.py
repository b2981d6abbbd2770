"""The benchmark behind `scripts/bench` (issue 6): build times and peak memory against floors.

Every measurement runs in a process of its own, started from here and reaped with
`os.wait4`, so that its wall time includes Python's start-up and imports, and its peak RSS
is its own. A build reports two peaks: narrator's own process, and ffmpeg (its child).

The floors are measured in the same run, because the machine is shared and noisy: only the
ratios between figures of one run mean anything. With `--repeat N`, each build and its floors
are run N times in turn, and a target compares each one's fastest run (noise only ever adds
time). The ratio of each round, a build and the floors measured right after it, is kept
too, with its median: on this shared machine they spread by a third or more.

- encode floor: ffmpeg alone, in one process, encoding the same session PCM from a WAV file,
  with the very arguments narrator uses (`encode.ffmpeg_mp3_args`); narrator itself encodes
  in parts, one process per core, so its builds can beat this floor;
- reference: the same, at libmp3lame's default algorithm setting (-q 3): a fixed yardstick
  that narrator's own choices do not move;
- speech floor: eSpeak NG alone, called through ctypes in synchronous mode, speaking the
  same distinct texts with the same voice, rate and volume, into memory.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPORT_ENV = "NARRATOR_BENCH_REPORT"
CHILD_FLAG = "--child"

# The issues' targets.
VS_REFERENCE_MAX_RATIO = 0.6
"""A warm rebuild (and the 120-minute session) against the fixed reference: one ffmpeg
process at libmp3lame's default setting, same bitrate, same audio (issue 16)."""
WARM_MAX_RATIO = 1.2
COLD_MAX_RATIO = 1.3
LONG_MAX_RSS_MB = 150.0
LONG_MAX_RSS_GROWTH = 0.20
LINEAR_MAX_SPREAD = 0.20
"""The 120-minute build's time over its encode floor within this of the 60-minute one's.

Each build is divided by its own floor (ffmpeg alone, which is linear in the length) so that
the machine's changing load, which moves both alike, drops out of the comparison."""

TINY_MARKDOWN = """\
# Two tiny stretches

## 1. Knees to Chest

Lie on your back. Hug one knee in. Hold for 3 seconds on each side.

## 2. Total Back Stretch

Hold the edge of a table. Hold for 3 seconds. Do this stretch twice.
"""


# --------------------------------------------------------------------------- child side


def _self_and_children_rss_kb() -> tuple[int, int]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own, children


def _run_build(argv: list[str]) -> int:
    """`narrator build ARGV`, in this process, as the console script would run it."""
    from narrator.cli.commands import main

    try:
        main(["build", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def _child_build(argv: list[str]) -> dict[str, object]:
    return {"exit_code": _run_build(argv)}


def _child_wav(argv: list[str]) -> dict[str, object]:
    """The PCM that `narrator build ARGV` would encode, written to a WAV file instead.

    The last argument is the WAV's path. Everything up to the encoder runs as in a build.
    """
    *build_args, wav_path = argv
    import narrator.session
    from narrator.sound.bells import load_bells
    from narrator.sound.mix import render

    def write_wav(session: Any, output: Path, **_: object) -> Path:
        bells = load_bells()
        blocks = render(session.timeline, session.clips, {"start": bells.start,
                                                          "end": bells.end})
        texts = sorted({e.text for e in session.timeline.events
                        if e.kind == "speech" and e.text})
        with wave.open(wav_path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(session.timeline.sample_rate)
            for block in blocks:
                w.writeframes(block)
        Path(wav_path).with_suffix(".texts.json").write_text(json.dumps(texts))
        return output

    narrator.session.build = write_wav
    return {"exit_code": _run_build(build_args)}


def _child_speech_floor(argv: list[str]) -> dict[str, object]:
    """eSpeak NG alone: the same texts, voice, rate and volume, straight into memory."""
    import ctypes

    from narrator.options import DEFAULT_RATE
    from narrator.speech.espeak import find_espeak
    from narrator.speech.pyttsx3_engine import DEFAULT_VOICE

    texts: list[str] = json.loads(Path(argv[0]).read_text())
    location = find_espeak()
    os.environ["ESPEAK_DATA_PATH"] = location.data
    lib = ctypes.CDLL(location.library, mode=ctypes.RTLD_GLOBAL)
    synchronous, rate_param, volume_param = 2, 1, 2
    chars_utf8, endpause = 1, 0x1000
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    if lib.espeak_Initialize(synchronous, 0, None, 0) <= 0:
        raise RuntimeError("eSpeak NG did not initialise")
    samples = 0

    def on_synth(wav: Any, count: int, events: Any) -> int:
        nonlocal samples
        if count > 0:
            ctypes.string_at(wav, count * 2)  # what any caller must do: copy the samples out
            samples += count
        return 0

    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                     ctypes.c_void_p)
    callback = callback_type(on_synth)  # kept referenced until the last Synth returns
    lib.espeak_SetSynthCallback(callback)
    lib.espeak_SetVoiceByName(DEFAULT_VOICE.encode())
    lib.espeak_SetParameter(rate_param, DEFAULT_RATE, 0)
    lib.espeak_SetParameter(volume_param, 100, 0)
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    started = time.perf_counter()
    for text in texts:
        data = text.encode()
        lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, chars_utf8 | endpause, None, None)
        lib.espeak_Synchronize()
    return {"texts": len(texts), "samples": samples,
            "synth_s": time.perf_counter() - started}


_CHILD_MODES = {"build": _child_build, "wav": _child_wav, "speech-floor": _child_speech_floor}


def _run_child(mode: str, argv: list[str]) -> int:
    if mode.startswith("voice-"):  # scripts/bench --voice (bench_voice.py)
        from bench_voice import CHILD_MODES

        result = CHILD_MODES[mode.removeprefix("voice-")](argv)
    else:
        result = _CHILD_MODES[mode](argv)
    own, children = _self_and_children_rss_kb()
    result.update(own_rss_kb=own, children_rss_kb=children)
    Path(os.environ[REPORT_ENV]).write_text(json.dumps(result))
    code = result.get("exit_code", 0)
    return code if isinstance(code, int) else 1


# --------------------------------------------------------------------------- parent side


@dataclass
class Measure:
    name: str
    command: str
    wall_s: float
    peak_rss_mb: float
    """Peak RSS of the measured process itself (narrator's own process for a build)."""
    child_rss_mb: float = 0.0
    """Peak RSS of its children: ffmpeg, for a build."""
    audio_s: float = 0.0
    """Length of the session built or encoded."""
    detail: dict[str, object] = field(default_factory=dict)

    @property
    def per_audio_minute_s(self) -> float:
        return self.wall_s / (self.audio_s / 60) if self.audio_s else 0.0


class BenchError(RuntimeError):
    pass


def _mb(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)


def _wait(args: list[str], *, env: dict[str, str], log: Path) -> tuple[float, int, int]:
    """Run ARGS; wall seconds, exit status and peak RSS (kB) of that one process tree."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this child's own usage, unlike RUSAGE_CHILDREN, which is the max over
        # every child this process has ever waited for.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, process.returncode, usage.ru_maxrss


class Bench:
    def __init__(self, workdir: Path, *, quick: bool) -> None:
        self.workdir = workdir
        self.quick = quick
        self.cache = workdir / "clip-cache"
        self.source: list[str] = []
        if quick:
            tiny = workdir / "tiny.md"
            tiny.write_text(TINY_MARKDOWN, encoding="utf-8")
            self.source = [str(tiny)]
        self.env = {**os.environ, "NARRATOR_CACHE_DIR": str(self.cache)}
        self._count = 0

    def _log(self, name: str) -> Path:
        self._count += 1
        return self.workdir / f"{self._count:02d}-{name}.log"

    def child(self, name: str, mode: str, argv: list[str]) -> Measure:
        report = self.workdir / f"{name}.report.json"
        report.unlink(missing_ok=True)
        args = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, mode, *argv]
        log = self._log(name)
        wall, code, tree_rss = _wait(args, env={**self.env, REPORT_ENV: str(report)}, log=log)
        if code != 0 or not report.exists():
            tail = log.read_text(errors="replace")[-2000:]
            raise BenchError(f"{name} failed (exit {code}):\n{tail}")
        data: dict[str, Any] = json.loads(report.read_text())
        shown = "narrator " + mode + " " + " ".join(argv) if mode == "build" else (
            f"python scripts/bench.py --child {mode} " + " ".join(argv))
        return Measure(name, shown, round(wall, 3), _mb(data["own_rss_kb"]),
                       _mb(data["children_rss_kb"]), detail={
                           k: v for k, v in data.items() if not k.endswith("_kb")
                       } | {"tree_rss_mb": _mb(tree_rss)})

    def build(self, name: str, extra: list[str]) -> Measure:
        out = self.workdir / f"{name}.mp3"
        measure = self.child(name, "build", [*self.source, *extra, "-o", str(out)])
        timeline = json.loads(out.with_suffix(".timeline.json").read_text())
        measure.audio_s = round(timeline["total"] / timeline["sample_rate"], 3)
        return measure

    def wav(self, name: str, extra: list[str]) -> Path:
        """The session's PCM as a WAV (untimed), and its distinct spoken texts beside it."""
        wav = self.workdir / f"{name}.wav"
        self.child(f"{name}-wav", "wav", [*self.source, *extra,
                                          "-o", str(self.workdir / "unused.mp3"), str(wav)])
        return wav

    def encode_floor(self, name: str, wav: Path, *, reference: bool = False) -> Measure:
        """One ffmpeg process encoding the session's WAV: with narrator's own arguments (the
        floor a one-process encode sets), or, as the fixed `reference`, at libmp3lame's
        default algorithm setting, the same bitrate, the same audio."""
        from narrator.ffmpeg import find_ffmpeg
        from narrator.publish.encode import DEFAULT_BITRATE, LAME_QUALITY, ffmpeg_mp3_args

        target = self.workdir / f"{name}.floor.mp3"
        args = ffmpeg_mp3_args(find_ffmpeg(), target, DEFAULT_BITRATE, source=str(wav),
                               raw_input=False, quality=None if reference else LAME_QUALITY)
        wall, code, rss = _wait(args, env=self.env, log=self._log(name))
        if code != 0:
            raise BenchError(f"{name}: ffmpeg failed (exit {code})")
        with wave.open(str(wav), "rb") as w:
            audio_s = w.getnframes() / w.getframerate()
        shown = " ".join(Path(a).name if a == args[0] else a for a in args)
        return Measure(name, shown, round(wall, 3), _mb(rss), audio_s=round(audio_s, 3))

    def speech_floor(self, name: str, wav: Path) -> Measure:
        texts = wav.with_suffix(".texts.json")
        measure = self.child(name, "speech-floor", [str(texts)])
        return measure


# --------------------------------------------------------------------------- the run


def _machine() -> dict[str, object]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "platform": platform.platform()}


def _check(value: float, each_round: list[float], limit: float) -> dict[str, object]:
    result: dict[str, object] = {"value": round(value, 3), "limit": limit,
                                 "met": value <= limit,
                                 "rounds": [round(r, 3) for r in each_round]}
    if each_round:
        result["median_of_rounds"] = round(statistics.median(each_round), 3)
    return result


PARSE_UNIT = ("## Calf Stretch\n\nStep one foot back and press the heel down. "
              "Hold 30 s each side.\n\n")
PARSE_MAX_GROWTH = 2.5
"""Parsing 8 times the text may take at most this much longer per exercise (linear, with room
for noise): a pass that is quadratic in the text's length shows up here first."""


def parse_growth(repeat: int, small_copies: int = 200) -> dict[str, object]:
    """The parser's time per exercise on 8 times `small_copies` exercises over that on
    `small_copies`, in this process (the patterns warmed first, the parse cache bypassed):
    the fastest of `repeat` runs each."""
    from narrator.options import ParseOptions
    from narrator.parse import _parse_free_text

    def timed(copies: int) -> float:
        start = time.perf_counter()
        _parse_free_text(PARSE_UNIT * copies, "long.md", "markdown", ParseOptions())
        return time.perf_counter() - start

    timed(10)
    small = min(timed(small_copies) for _ in range(repeat))
    large = min(timed(8 * small_copies) for _ in range(repeat))
    growth = (large / 8) / small
    # Microseconds, not milliseconds: a quick run parses in a few tens of milliseconds, where
    # rounding to 1 ms would move the ratio the two figures give by more than 2%.
    return _check(growth, [], PARSE_MAX_GROWTH) | {"exercises": small_copies,
                                                    "seconds": round(small, 6),
                                                    "seconds_8x": round(large, 6)}


def run(workdir: Path, *, quick: bool, repeat: int = 1) -> dict[str, Any]:
    """Every measurement, in order, then the targets; the JSON that bench.json holds."""
    bench = Bench(workdir, quick=quick)
    shutil.rmtree(bench.cache, ignore_errors=True)
    holds = ["--hold", "4"] if quick else ["--hold", "45"]
    long_sessions = [("long-2", ["--minutes", "2"]), ("long-4", ["--minutes", "4"])] if quick \
        else [("long-60", ["--minutes", "60"]), ("long-120", ["--minutes", "120"])]

    measures: dict[str, Measure] = {}
    rounds: dict[str, list[float]] = {}

    def take_turns(*makers: tuple[str, Any]) -> None:
        """`repeat` rounds of the makers in turn (a build, then its floors, then the build
        again ...), so that each round's figures share the machine's load of the moment.
        The table keeps each one's fastest run: noise only ever adds time."""
        runs: dict[str, list[Measure]] = {name: [] for name, _ in makers}
        for _ in range(repeat):
            for name, make in makers:
                runs[name].append(make())
        for name, made in runs.items():
            measures[name] = min(made, key=lambda m: m.wall_s)
            rounds[name] = [m.wall_s for m in made]

    def ratio(build: str, *floors: str) -> tuple[float, list[float]]:
        """The build's fastest time over the sum of its floors' fastest: each figure at its
        least disturbed, since noise only ever adds time. Also one ratio a round, taken
        one after the other under one load, to show how far the noise moves it."""
        fastest = measures[build].wall_s / sum(measures[x].wall_s for x in floors)
        each = [b / sum(f) for b, *f in zip(rounds[build], *(rounds[x] for x in floors),
                                            strict=True)]
        return fastest, each

    # 1. cold: an empty cache, each time. The WAV step (untimed) gives the floors their input.
    def cold_build() -> Measure:
        shutil.rmtree(bench.cache, ignore_errors=True)
        return bench.build("cold", [])

    cold_wav = bench.wav("cold", [])
    take_turns(("cold", cold_build),
               ("speech_floor", lambda: bench.speech_floor("speech-floor", cold_wav)),
               ("encode_floor_cold", lambda: bench.encode_floor("encode-floor-cold", cold_wav)))
    # A first rebuild with new holds synthesises the few cues that name the new length;
    # shown for information. The warm target is measured once the cache holds them all.
    measures["new_holds"] = bench.build("new-holds", holds)
    warm_wav = bench.wav("warm", holds)
    take_turns(("warm", lambda: bench.build("warm", holds)),
               ("encode_floor_warm", lambda: bench.encode_floor("encode-floor-warm", warm_wav)),
               ("reference_warm", lambda: bench.encode_floor("reference-warm", warm_wav,
                                                             reference=True)))
    # Long sessions: the WAV step fills the cache first (untimed) so that only length differs.
    for name, extra in long_sessions:
        wav = bench.wav(name, extra)
        take_turns((name, lambda name=name, extra=extra: bench.build(name, extra)),
                   (f"encode_floor_{name}", lambda name=name, wav=wav: bench.encode_floor(
                       f"encode-floor-{name}", wav)),
                   (f"reference_{name}", lambda name=name, wav=wav: bench.encode_floor(
                       f"reference-{name}", wav, reference=True)))

    cold, long_long = measures["cold"], measures[long_sessions[1][0]]
    warm_ratio = ratio("warm", "encode_floor_warm")
    cold_ratio = ratio("cold", "speech_floor", "encode_floor_cold")
    short_ratio, long_ratio = (ratio(name, f"encode_floor_{name}") for name, _ in long_sessions)
    longest = long_sessions[1][0]
    targets = {
        "warm_vs_reference": _check(*ratio("warm", "reference_warm"), VS_REFERENCE_MAX_RATIO),
        "longest_vs_reference": _check(*ratio(longest, f"reference_{longest}"),
                                       VS_REFERENCE_MAX_RATIO),
        "warm_vs_encode_floor": _check(*warm_ratio, WARM_MAX_RATIO),
        "cold_vs_speech_plus_encode_floor": _check(*cold_ratio, COLD_MAX_RATIO),
        "longest_peak_rss_mb": _check(long_long.peak_rss_mb, [], LONG_MAX_RSS_MB),
        "longest_peak_rss_growth_vs_builtin": _check(
            long_long.peak_rss_mb / cold.peak_rss_mb - 1, [], LONG_MAX_RSS_GROWTH),
        "parse_time_per_exercise_8x_longer": parse_growth(min(repeat, 2),
                                                          25 if quick else 200),
        "longest_vs_shorter_long_over_their_floors": _check(
            abs(long_ratio[0] / short_ratio[0] - 1), [], LINEAR_MAX_SPREAD),
    }
    for (name, _), (value, _each) in zip(long_sessions, (short_ratio, long_ratio), strict=True):
        measures[name].detail["vs_encode_floor"] = round(value, 3)
    return {
        "quick": quick,
        "repeat": repeat,
        "machine": _machine(),
        "measures": {k: asdict(m) | {"per_audio_minute_s": round(m.per_audio_minute_s, 4)}
                     for k, m in measures.items()},
        "targets": targets,
        "all_met": all(bool(t["met"]) for t in targets.values()),
    }


def table(result: dict[str, Any]) -> str:
    m = result["measures"]
    rows = [f"{'measure':<22} {'wall s':>8} {'audio min':>9} {'s/min':>7} "
            f"{'RSS MB':>7} {'ffmpeg MB':>9}"]
    for name, x in m.items():
        rows.append(f"{name:<22} {x['wall_s']:>8.3f} {x['audio_s'] / 60:>9.2f} "
                    f"{x['per_audio_minute_s']:>7.3f} {x['peak_rss_mb']:>7.1f} "
                    f"{x['child_rss_mb']:>9.1f}")
    rows.append("")
    rows.append(f"{'target':<48} {'value':>8} {'limit':>7}  met")
    for name, t in result["targets"].items():
        each = f"  (rounds: {', '.join(f'{r:.3f}' for r in t['rounds'])})" if t["rounds"] else ""
        rows.append(f"{name:<48} {t['value']:>8.3f} {t['limit']:>7}  "
                    f"{'yes' if t['met'] else 'NO'}{each}")
    machine = result["machine"]
    rows.append(f"\n{machine['cpus']} x {machine['cpu_model']}, Python {machine['python']}")
    return "\n".join(rows)


def _compile_narrator() -> None:
    """Byte-compile narrator's modules, as pip does when it installs a package. A checkout
    run with PYTHONDONTWRITEBYTECODE set (as on this project's machines) would otherwise
    compile them from source in every measured build, about 0.1 s that no installed copy
    pays and no floor includes."""
    import narrator

    compileall.compile_dir(Path(narrator.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [CHILD_FLAG]:
        return _run_child(argv[1], argv[2:])
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a tiny routine and 2- and 4-minute sessions: shows it works")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each measurement N times and keep the fastest")
    parser.add_argument("-o", "--output", type=Path, default=Path("output") / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--voice", action="store_true",
                        help="the listening benchmark instead: WER, synthesis speed and memory "
                             "per installed engine (bench_voice.py)")
    parser.add_argument("--sweep", action="store_true",
                        help="with --voice: also eSpeak NG's voice variants and rates")
    args = parser.parse_args(argv)
    _compile_narrator()
    workdir = Path(tempfile.mkdtemp(prefix="narrator-bench-"))
    if args.voice:
        from bench_voice import main as voice_main

        output = args.output if args.output != Path("output") / "bench.json" else (
            Path("output") / "bench-voice.json")
        try:
            return voice_main(workdir, output, sweep=args.sweep)
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    try:
        result = run(workdir, quick=args.quick, repeat=max(1, args.repeat))
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwrote {args.output}" + (f" (work in {workdir})" if args.keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
