"""HLS for the probes: read the playlist, then ffmpeg decodes a frame of the newest segment.

A master playlist is followed to its first variant. MPEG-TS segments are decoded on their own;
fragmented-MP4 (``#EXT-X-MAP``, as MediaMTX's low-latency HLS) and encrypted segments
(``#EXT-X-KEY``) cannot be, so ffmpeg then reads the media playlist from its last segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from pontive.cctv.probes_common import Budget, Frame, NoFrame, Unreachable, parse_target
from pontive.cctv.probes_frames import decode_with_ffmpeg
from pontive.cctv.probes_http import http_get, require_ok

PLAYLIST_LIMIT = 1_000_000
# ffmpeg may follow the playlist only over the network, never to a local file.
_PROTOCOLS = ["-protocol_whitelist", "http,https,tcp,tls,crypto"]


@dataclass(slots=True)
class Playlist:
    """What the probe needs from an m3u8: variants, segments, and whether segments stand alone."""

    variants: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    needs_context: bool = False  # an init section or a key: segments cannot be read alone


def parse_playlist(text: str, base_url: str) -> Playlist:
    """Parse an m3u8 playlist; URIs are resolved against ``base_url``."""
    lines = [line.strip() for line in text.splitlines()]
    if not lines or not lines[0].startswith("#EXTM3U"):
        raise NoFrame("answered but not an HLS playlist")
    playlist = Playlist()
    next_is_variant = False
    for line in lines[1:]:
        if line.startswith("#EXT-X-STREAM-INF"):
            next_is_variant = True
        elif line.startswith("#EXT-X-MAP") or (
            line.startswith("#EXT-X-KEY") and "METHOD=NONE" not in line
        ):
            playlist.needs_context = True
        elif line and not line.startswith("#"):
            uris = playlist.variants if next_is_variant else playlist.segments
            uris.append(urljoin(base_url, line))
            next_is_variant = False
    return playlist


async def fetch_playlist(url: str) -> Playlist:
    """GET and parse a playlist, at most ``PLAYLIST_LIMIT`` bytes."""
    async with http_get(url) as response:
        require_ok(response.head)
        data = await response.body.read_all(PLAYLIST_LIMIT)
    return parse_playlist(data.decode("utf-8", "replace"), url)


async def check_hls(url: str, budget: Budget) -> Frame:
    """An HLS URL lists live segments, and the newest one holds a decodable frame."""
    playlist_url = url
    playlist = await fetch_playlist(url)
    if playlist.variants:
        playlist_url = playlist.variants[0]
        try:
            playlist = await fetch_playlist(_http_only(playlist_url))
        except Unreachable as error:  # the server answered with the master: it is there
            raise NoFrame(f"variant playlist: {error.detail}") from error
    if not playlist.segments:
        raise NoFrame("HLS playlist has no segments")
    if playlist.needs_context:
        source = [*_PROTOCOLS, "-live_start_index", "-1", "-i", _http_only(playlist_url)]
    else:
        source = [*_PROTOCOLS, "-i", _http_only(playlist.segments[-1])]
    async with budget.frame_phase():
        return await decode_with_ffmpeg(source, target=parse_target(url, ("http", "https")))


def _http_only(url: str) -> str:
    """A URL from the device's playlist, refused unless it is HTTP(S)."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise NoFrame("HLS playlist points outside HTTP")
    return url
