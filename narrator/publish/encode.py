"""PCM -> MP3 through ffmpeg, once, at a constant bitrate.

The file appears whole or not at all."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from narrator.errors import EngineError, OutputError
from narrator.ffmpeg import find_ffmpeg
from narrator.model import SAMPLE_RATE
from narrator.publish.check import check_frames
from narrator.publish.mp3join import LAME_DELAY, MP3_FRAME, Part, Piece, Silence, join

try:
    import fcntl
except ImportError:  # Windows has no fcntl
    fcntl = None  # type: ignore[assignment]

def gapless_length(samples: int) -> int:
    """The nearest length from `samples` up that decodes back to exactly that many samples.

    ffmpeg's MP3 decoder trims the encoder's end padding only when it is more than 46 samples
    (seen here for every remainder); a session that would end with less padding is lengthened
    by that much silence, under a millisecond, so the decoded file matches the timeline.
    """
    remainder = (samples + LAME_DELAY) % MP3_FRAME
    return samples + (MP3_FRAME - remainder) if remainder > LAME_DELAY else samples


DEFAULT_BITRATE = "96k"
"""Constant bitrate: phone players seek VBR files coarsely, and 96k mono is plenty for voice."""


LAME_QUALITY: int | None = 7
"""LAME's algorithm setting (-q, ffmpeg's -compression_level): 7 encodes in about half the
CPU time of libmp3lame's default (3) and, on the built-in session at 96k mono, decodes
closer to the source than the default (log-spectral distance 2.0 dB against 2.4 dB, segmental
SNR 23.8 dB against 21.8 dB; the README's "Encoder setting" has the table). Levels 7, 8 and
9 write the very same bytes here, as do 3, 4 and the default."""


def ffmpeg_mp3_args(ffmpeg: str, target: Path, bitrate: str, source: str = "pipe:0",
                    raw_input: bool = True, quality: int | None = LAME_QUALITY) -> list[str]:
    """The one ffmpeg command line narrator encodes with (also used by the benchmark, which
    passes quality=None for libmp3lame's own default as its fixed reference)."""
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    if raw_input:
        args += ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1"]
    args += ["-i", source, "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", bitrate]
    if quality is not None:
        args += ["-compression_level", str(quality)]
    args += ["-ar", str(SAMPLE_RATE), "-ac", "1",
             # mutagen writes the tags afterwards, as ID3v2.3 with chapters.
             "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", str(target)]
    return args


def encode_mp3(
    blocks: Iterable[bytes],
    target: Path,
    *,
    bitrate: str = DEFAULT_BITRATE,
    on_block: Callable[[int], None] | None = None,
) -> None:
    """Stream 16-bit mono PCM blocks into ffmpeg, which writes `target`."""
    _stream_into(ffmpeg_mp3_args(find_ffmpeg(), target, bitrate), blocks, target, on_block,
                 "MP3")


def encode_cores() -> int:
    """How many encoders run at once: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def encode_mp3_parts(
    render: Callable[[int, int], Iterable[bytes]],
    total: int,
    pieces: Sequence[Piece],
    target: Path,
    *,
    bitrate: str = DEFAULT_BITRATE,
    workers: int = 2,
    on_block: Callable[[int], None] | None = None,
    on_start: Callable[[], None] | None = None,
) -> None:
    """Encode samples [0, total) as `pieces` (see mp3join.plan_pieces): each encoded piece
    by an ffmpeg of its own, `workers` of them at a time, its PCM made by `render(start,
    end)` and fed on the worker's thread; silent pieces are written by the join, which puts
    it all into `target` and walks each part's frames once. EngineError unless the joined
    file holds the planned `total` samples. `on_start` runs once the first encoders run."""
    ffmpeg = find_ffmpeg()
    encoded = [index for index, piece in enumerate(pieces) if not piece.silent]
    if not encoded or encoded[0] != 0 or encoded[-1] != len(pieces) - 1:
        raise ValueError("the pieces must start and end with encoded ones")
    paths = {index: target if index == 0 else target.with_name(f"{target.name}.{index}")
             for index in encoded}
    lock = threading.Lock()
    queue = list(range(len(pieces)))[::-1]  # popped from the end: in time order
    streams: list[_Stream] = []
    errors: list[BaseException] = []

    def counted(samples: int) -> None:
        if on_block:
            with lock:
                on_block(samples)

    def next_stream() -> _Stream | None:
        """The next encoded piece's encoder, started; silence on the way is only counted
        (it costs nothing until the join writes it)."""
        while True:
            with lock:
                if errors or not queue:
                    return None
                index = queue.pop()
            piece = pieces[index]
            if piece.silent:
                counted(piece.end - piece.start)
                continue
            # Errors name `target`, which the caller maps to the user's file: a part's own
            # file is only ours.
            stream = _Stream(ffmpeg_mp3_args(ffmpeg, paths[index], bitrate), target,
                             functools.partial(render, piece.start, piece.feed_end), counted)
            with lock:
                if not errors:  # else the caller has stopped the others already
                    streams.append(stream)
                    return stream
            stream.stop()
            stream.close_input()  # never fed: its pipe is closed here, not by the collector
            return None

    def work(stream: _Stream | None) -> None:
        try:
            while stream is not None:
                stream.feed()
                stream.finish("MP3")
                stream = next_stream()
        except BaseException as exc:  # re-raised on the caller's thread below
            with lock:
                errors.append(exc)

    threads: list[threading.Thread] = []
    try:
        first = [next_stream() for _ in range(min(workers, len(encoded)))]
        if on_start:
            on_start()
        threads += [threading.Thread(target=work, args=(stream,), name="narrator-encode",
                                     daemon=True) for stream in first]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        frames = join([Silence(piece.keep or 0) if piece.silent else Part(paths[index],
                                                                          piece.keep)
                       for index, piece in enumerate(pieces)])
        check_frames(frames, total)
    finally:
        with lock:
            errors.append(EngineError("stopped"))  # no worker starts another encoder
            running = list(streams)
        for stream in running:
            stream.stop()
        for thread in threads:  # each ends at once: its encoder is gone
            if thread.ident is not None:
                thread.join()
        for index, path in paths.items():
            if index:
                with contextlib.suppress(OSError):
                    path.unlink()


class _Stream:
    """One ffmpeg process, and the PCM it is fed; its errors name `target` (the file the
    caller shows, which may not be the one ffmpeg writes)."""

    def __init__(self, args: list[str], target: Path, blocks: Callable[[], Iterable[bytes]],
                 on_block: Callable[[int], None]) -> None:
        self.target = target
        self._blocks = blocks
        self._on_block = on_block
        self._error: BaseException | None = None
        self._stopping = False
        try:
            self.process = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        except OSError as exc:
            raise EngineError(f"cannot run ffmpeg ({args[0]}): {exc}") from exc
        assert self.process.stdin is not None
        _widen_pipe(self.process.stdin.fileno())

    def feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            for block in self._blocks():
                if self._stopping:
                    return
                stdin.write(block)
                self._on_block(len(block) // 2)
        except BrokenPipeError:
            pass  # ffmpeg stopped reading; its exit status and message say why
        except BaseException as exc:  # re-raised by finish()
            self._error = exc
        finally:
            with contextlib.suppress(BrokenPipeError, OSError):
                stdin.close()

    def finish(self, what: str) -> None:
        assert self.process.stderr is not None
        stderr = self.process.stderr.read().decode("utf-8", "replace")
        code = self.process.wait()
        if self._error is not None:
            raise self._error
        _check_exit(code, stderr, self.target, what)

    def close_input(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()

    def stop(self) -> None:
        """Kill the encoder if it still runs (an error or an interrupt elsewhere)."""
        self._stopping = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()


DEFAULT_AAC_BITRATE = "96k"
"""Not lower: at 64k ffmpeg's AAC encoder overshoots the mix's peaks by 2 dB and more (speech
over a ringing bell), at 96k by about 1 dB, as MP3 does."""
AAC_TRIM_DB = -0.5
"""The M4B is encoded this much quieter, as margin for that overshoot: its true peak stays at
or below -1 dBTP, and its loudness within 1 LU of the target."""


def ffmpeg_m4b_args(ffmpeg: str, target: Path, bitrate: str, chapters: Path) -> list[str]:
    """PCM on stdin + an FFMETADATA file (tags and chapters) -> AAC in an .m4b (MP4)."""
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0",
            "-f", "ffmetadata", "-i", str(chapters),
            "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
            "-af", f"volume={AAC_TRIM_DB}dB",
            "-c:a", "aac", "-b:a", bitrate, "-ar", str(SAMPLE_RATE), "-ac", "1",
            # moov first: players can start and seek before the whole file is read.
            "-movflags", "+faststart", "-f", "ipod", str(target)]


def encode_m4b(
    blocks: Iterable[bytes],
    target: Path,
    chapters: Path,
    *,
    bitrate: str = DEFAULT_AAC_BITRATE,
    on_block: Callable[[int], None] | None = None,
) -> None:
    """Stream PCM blocks into ffmpeg, which writes AAC with the chapters of `chapters`."""
    _stream_into(ffmpeg_m4b_args(find_ffmpeg(), target, bitrate, chapters), blocks, target,
                 on_block, "M4B")


PIPE_BYTES = 1 << 20
"""About 12 s of audio queued for ffmpeg (Linux lets any process ask for up to 1 MiB), so a
pause while the mixer finishes a clip never leaves the encoder idle; the default 64 KiB
lasts it under 3 ms."""


def _widen_pipe(fd: int) -> None:
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl else None
    if set_size is not None:
        with contextlib.suppress(OSError):  # only ever a matter of speed
            fcntl.fcntl(fd, set_size, PIPE_BYTES)


def _stream_into(args: list[str], blocks: Iterable[bytes], target: Path,
                 on_block: Callable[[int], None] | None, what: str) -> None:
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise EngineError(f"cannot run ffmpeg ({args[0]}): {exc}") from exc
    assert process.stdin is not None and process.stderr is not None
    _widen_pipe(process.stdin.fileno())
    try:
        try:
            for block in blocks:
                process.stdin.write(block)
                if on_block:
                    on_block(len(block) // 2)
        except BrokenPipeError:
            pass  # ffmpeg stopped reading; its exit status and message say why
        finally:
            with contextlib.suppress(BrokenPipeError, OSError):
                process.stdin.close()
        stderr = process.stderr.read().decode("utf-8", "replace")
        code = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        process.stderr.close()
    _check_exit(code, stderr, target, what)


def _check_exit(code: int, stderr: str, target: Path, what: str) -> None:
    if code != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit status {code}"
        if "No space left" in stderr:
            raise OutputError("disk full: no space left on the device", path=target)
        raise EngineError(f"ffmpeg failed to encode the {what}: {detail}")
