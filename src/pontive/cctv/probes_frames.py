"""Frames for the probes: check an image with Pillow, decode one video frame with ffmpeg.

Whatever comes back is re-encoded as a JPEG at most ``THUMBNAIL_WIDTH`` wide: thumbnails stay
small, and a camera's EXIF (GPS position, serial numbers) never reaches the registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import shutil
import struct
from collections import deque

from PIL import Image

from pontive.cctv.probes_common import Frame, NoFrame, Target, scrub

THUMBNAIL_WIDTH = 640
FRAME_LIMIT = 16_000_000  # one decoded frame as JPEG from ffmpeg: 4K at high quality fits
MAX_PIXELS = 50_000_000  # larger "images" are refused before Pillow decodes them
_LOG_TAIL = 8 * 1024
# What Pillow raises on a truncated, corrupt or hostile image.
IMAGE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error)
_VIDEO_CODEC = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+)")
_INPUT_LINE = re.compile(r"^(Input|Output) #|^\s")


async def image_frame(data: bytes, codec: str | None) -> Frame:
    """A JPEG or PNG checked and shrunk into a thumbnail; NoFrame when it is not one."""
    try:
        return await asyncio.to_thread(_thumbnail, data, codec)
    except Image.DecompressionBombError as error:
        raise NoFrame("image too large") from error
    except IMAGE_ERRORS as error:
        raise NoFrame("answered but not a JPEG or PNG image") from error


def _thumbnail(data: bytes, codec: str | None) -> Frame:
    with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise NoFrame(f"image too large ({width}x{height})")
        target = (THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width)))
        if image.format == "JPEG":
            image.draft("RGB", target)  # decode at 1/2, 1/4 or 1/8 scale when that suffices
        image.load()
        picture = image.convert("RGB")
        kind = codec or (image.format or "image").lower()
    if picture.width > THUMBNAIL_WIDTH:
        picture = picture.resize(target, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return Frame(jpeg=out.getvalue(), width=width, height=height, codec=kind)


def ffmpeg_path() -> str | None:
    """The ffmpeg binary on PATH, if installed."""
    return shutil.which("ffmpeg")


async def decode_with_ffmpeg(input_args: list[str], *, target: Target) -> Frame:
    """Decode exactly one video frame from ffmpeg's input; NoFrame when it gives none.

    ``input_args`` end with ``-i URL``. The caller bounds the time: on cancellation the
    process is killed and reaped before this returns.
    """
    ffmpeg = ffmpeg_path()
    if ffmpeg is None:
        raise NoFrame("ffmpeg not installed")
    process = await asyncio.create_subprocess_exec(
        ffmpeg,
        *("-nostdin", "-hide_banner", "-nostats", "-loglevel", "info"),
        # No frame rate wanted: without this ffmpeg reads ~20 frames (2 s at 10 fps) first.
        *("-fpsprobesize", "0"),
        *input_args,
        *("-frames:v", "1", "-an", "-sn", "-dn", "-f", "image2pipe", "-c:v", "mjpeg"),
        "pipe:1",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        jpeg, log = await asyncio.gather(_read_frame(process), _read_log(process))
        returncode = await process.wait()
    finally:
        await _reap(process)
    if jpeg is None:
        raise NoFrame(f"frame larger than {FRAME_LIMIT / 1e6:g} MB")
    if returncode != 0 or not jpeg:
        raise NoFrame(_failure(log, target))
    match = _VIDEO_CODEC.search(log)
    return await image_frame(jpeg, codec=match.group(1) if match else "video")


async def _read_frame(process: asyncio.subprocess.Process) -> bytes | None:
    stream = process.stdout
    data = bytearray()
    while stream is not None and (piece := await stream.read(64 * 1024)):
        data += piece
        if len(data) > FRAME_LIMIT:
            process.kill()  # no frame is that large: stop, and let stderr reach its end
            return None
    return bytes(data)


async def _read_log(process: asyncio.subprocess.Process) -> str:
    stream = process.stderr
    tail: deque[bytes] = deque()
    size = 0
    while stream is not None and (piece := await stream.read(4096)):
        tail.append(piece)
        size += len(piece)
        while size - len(tail[0]) > _LOG_TAIL:
            size -= len(tail.popleft())
    return b"".join(tail).decode("utf-8", "replace")


async def _reap(process: asyncio.subprocess.Process) -> None:
    """Kill ffmpeg if it still runs, then drain its pipes so its transport closes."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
            process.kill()
    await process.communicate()


def _failure(log: str, target: Target) -> str:
    """ffmpeg's last own message, credentials masked, for the detail."""
    lines = [line.strip() for line in log.splitlines() if not _INPUT_LINE.match(line)]
    reason = next((line for line in reversed(lines) if line), "no frame decoded")
    return "ffmpeg: " + scrub(reason, target)[:160]
