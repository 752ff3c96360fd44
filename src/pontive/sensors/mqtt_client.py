"""The paho-mqtt 2.x client of Pontive's MQTT ingest and A.8 updates, and its wire helpers.

``FrameClient`` is paho's ``Client`` with two abilities paho lacks. It reads in bulk: one
``recv`` takes whatever the socket holds, which is cut into packets (``mqtt_wire``); a plain
PUBLISH goes straight to ``on_raw_publish`` when the ingest sets it, every other packet to
paho's own handlers (connection, subscriptions, pings, QoS 2 and PUBLISHes with properties).
And it queues many pre-encoded packets at once: a batch of 500 PUBACKs or 1,000 A.8
PUBLISHes (QoS 0) then costs one queue entry and one socket write instead of 500 to 1,000
calls of paho's per-packet path (about 20 µs each, measured; as much as the rest of ingest
per message). The packets are the plain MQTT wire format (MQTT 5 3.3 PUBLISH, 3.4 PUBACK),
handed to paho's own outgoing queue, so its network thread writes them in order with
everything else; paho's public ``ack`` and ``publish`` remain the fallback should that queue
ever change shape, and paho's own reader should its reading machinery change.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.exception import MalformedPacket as PahoMalformedPacket
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from pontive.sensors.mqtt_wire import (
    PUBLISH,
    Frame,
    MalformedPacket,
    RawPublish,
    next_packet,
    plain_publish,
)

TLS_SCHEMES = frozenset({"mqtts", "ssl"})
KEEPALIVE_SECONDS = 30
# Paho's outgoing queue: a list of packets waiting for its network thread (private API).
_HAS_PACKET_QUEUE = callable(getattr(mqtt.Client, "_packet_queue", None))
MAX_QUEUED_BATCHES = 1000  # A.8 batches waiting for a slow broker before they are dropped
# Paho's reading machinery that the bulk reader drives (private API, paho 2.x): without it,
# FrameClient reads the way paho does.
_CAN_READ_IN_BULK = all(
    callable(getattr(mqtt.Client, name, None)) for name in ("_packet_handle", "_sock_recv")
) and callable(getattr(mqtt, "time_func", None))
READ_SIZE = 256 * 1024


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    """Where the broker is and how to log in, from ``PONTIVE_MQTT_URL``."""

    host: str
    port: int
    username: str | None
    password: str | None
    is_tls: bool


def broker_address(url: str) -> BrokerAddress:
    """Parse ``mqtt://user:pass@host:1883`` (``mqtts://``/``ssl://``: TLS, port 8883)."""
    parts = urlsplit(url)
    if parts.scheme not in {"mqtt", "tcp", *TLS_SCHEMES}:
        raise ValueError(f"not an MQTT URL: {url!r} (use mqtt:// or mqtts://)")
    is_tls = parts.scheme in TLS_SCHEMES
    return BrokerAddress(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or (8883 if is_tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        is_tls=is_tls,
    )


def _remaining_length(length: int) -> bytes:
    """MQTT's variable byte integer (1.5.5): 7 bits a byte, high bit = more bytes follow."""
    encoded = bytearray()
    while True:
        length, digit = divmod(length, 128)
        encoded.append(digit | 0x80 if length else digit)
        if not length:
            return bytes(encoded)


@lru_cache(maxsize=4096)
def _topic_block(topic: str, is_v5: bool) -> bytes:
    name = topic.encode()
    properties = b"\x00" if is_v5 else b""  # MQTT 5: a property length of zero
    return struct.pack("!H", len(name)) + name + properties


def publish_frame(topic: str, payload: bytes, *, is_v5: bool) -> bytes:
    """One PUBLISH packet at QoS 0, not retained (MQTT 5 3.3; 3.1.1 has no properties)."""
    block = _topic_block(topic, is_v5)
    length = len(block) + len(payload)
    if length < 16_384:  # one or two length bytes: the A.8 documents, written out for speed
        header = (
            bytes((0x30, length))
            if length < 128
            else bytes((0x30, length & 0x7F | 0x80, length >> 7))
        )
        return header + block + payload
    return b"\x30" + _remaining_length(length) + block + payload


def puback_frames(mids: Iterable[int]) -> bytes:
    """PUBACK packets (success, MQTT 5 3.4.2.1: the reason code may be omitted)."""
    return b"".join(struct.pack("!BBH", 0x40, 2, mid) for mid in mids)


def _idle_packet() -> dict[str, object]:
    """Paho's ``_in_packet`` with nothing read (as its ``_packet_read`` leaves it)."""
    return {
        "command": 0,
        "have_remaining": 0,
        "remaining_count": [],
        "remaining_mult": 1,
        "remaining_length": 0,
        "packet": bytearray(b""),
        "to_process": 0,
        "pos": 0,
    }


class FrameClient(mqtt.Client):
    """A paho client that reads in bulk and can queue many encoded packets in one go.

    ``on_raw_publish`` (manual acknowledgements only: it is called instead of ``on_message``
    for plain PUBLISHes, in paho's network thread) receives each as a ``RawPublish``.
    """

    def __init__(
        self,
        client_id: str,
        *,
        is_v5: bool = True,
        manual_ack: bool = False,
        on_raw_publish: Callable[[RawPublish], None] | None = None,
    ) -> None:
        if on_raw_publish is not None and not manual_ack:
            raise ValueError("on_raw_publish needs manual acknowledgements")
        super().__init__(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5 if is_v5 else mqtt.MQTTv311,
            manual_ack=manual_ack,
        )
        self.is_v5 = is_v5
        self.on_raw_publish = on_raw_publish
        self._received = bytearray()  # bytes read but not yet a whole packet
        self._received_from: object = None  # the socket they came from

    def _packet_read(self) -> MQTTErrorCode:
        """Read what the socket holds and handle every complete packet in it."""
        if not _CAN_READ_IN_BULK:
            return super()._packet_read()
        try:
            data = self._sock_recv(READ_SIZE)
        except BlockingIOError:
            return MQTTErrorCode.MQTT_ERR_AGAIN
        except OSError as error:  # timeouts and resets included, as paho treats them
            self._easy_log(mqtt.MQTT_LOG_ERR, "failed to receive on socket: %s", error)
            return MQTTErrorCode.MQTT_ERR_CONN_LOST
        if not data:
            return MQTTErrorCode.MQTT_ERR_CONN_LOST
        if self._received_from is not self._sock:  # a new connection: nothing carries over
            self._received.clear()
            self._received_from = self._sock
        buffer = self._received
        buffer += data
        with self._msgtime_mutex:
            self._last_bytes_received = mqtt.time_func()
        position = 0
        result = MQTTErrorCode.MQTT_ERR_SUCCESS
        try:
            while result == MQTTErrorCode.MQTT_ERR_SUCCESS and self._sock is not None:
                frame = next_packet(buffer, position)
                if frame is None:
                    break
                position = frame.end
                result = self._handle_frame(buffer, frame)
        except (MalformedPacket, PahoMalformedPacket) as error:
            self._easy_log(mqtt.MQTT_LOG_DEBUG, "Received malformed packet: %s", error)
            result = MQTTErrorCode.MQTT_ERR_PROTOCOL
        del buffer[:position]
        return result

    def _handle_frame(self, buffer: bytearray, frame: Frame) -> MQTTErrorCode:
        if frame.command & 0xF0 == PUBLISH and self.on_raw_publish is not None:
            message = plain_publish(buffer, frame, is_v5=self.is_v5)
            if message is not None:
                self.on_raw_publish(message)
                return MQTTErrorCode.MQTT_ERR_SUCCESS
        packet = _idle_packet()
        packet.update(
            command=frame.command,
            have_remaining=1,
            remaining_length=frame.end - frame.start,
            packet=bytearray(buffer[frame.start : frame.end]),
        )
        self._in_packet = packet  # type: ignore[assignment]  # paho's TypedDict, same keys
        try:
            return self._packet_handle()
        finally:
            self._in_packet = _idle_packet()  # type: ignore[assignment]

    def _send_frames(self, frames: bytes) -> bool:
        """Queue encoded packets for the network thread; ``False`` when not connected."""
        if not frames or not self.is_connected():
            return False
        # Command 0: paho's writer then treats the entry as opaque bytes (no callbacks).
        self._packet_queue(0, frames, 0, 0)
        return True

    def ack_many(self, mids: Sequence[int]) -> bool:
        """Acknowledge QoS 1 messages (manual acks), in the order given."""
        if not _HAS_PACKET_QUEUE:
            return all(self.ack(mid, 1) == mqtt.MQTT_ERR_SUCCESS for mid in mids)
        return self._send_frames(puback_frames(mids))

    def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> int:
        """Publish at QoS 0; how many were queued (none when disconnected or backed up)."""
        if not self.is_connected():
            return 0
        if not _HAS_PACKET_QUEUE:
            sent = [self.publish(topic, payload, qos=0) for topic, payload in messages]
            return sum(1 for info in sent if info.rc == mqtt.MQTT_ERR_SUCCESS)
        if len(self._out_packet) > MAX_QUEUED_BATCHES:
            return 0
        frames = b"".join(publish_frame(t, p, is_v5=self.is_v5) for t, p in messages)
        return len(messages) if self._send_frames(frames) else 0


def connect_properties(*, session_expiry: int, receive_maximum: int) -> Properties:
    """CONNECT properties: keep the session this long, allow this many unacked messages."""
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]  # paho: untyped
    properties.SessionExpiryInterval = session_expiry
    properties.ReceiveMaximum = max(1, min(receive_maximum, 65_535))
    return properties


def configure(client: mqtt.Client, address: BrokerAddress) -> None:
    """Credentials, TLS and reconnect back-off for ``address``."""
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.is_tls:
        client.tls_set()
    client.reconnect_delay_set(min_delay=1, max_delay=30)
