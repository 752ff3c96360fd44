"""Reading MQTT packets out of a byte buffer: the receive side of ``mqtt_client.FrameClient``.

paho reads one packet at a time with three ``recv`` calls (command byte, length bytes one by
one, body) and one ``select`` per packet, then builds a ``Properties`` object, an
``MQTTMessage`` and a topic match for every PUBLISH: about 30 µs a message here, more than
Pontive's whole ingest of it. ``FrameClient`` instead reads what the socket holds in one
``recv`` and cuts it into packets with :func:`next_packet`; a plain PUBLISH (QoS 0 or 1, a
topic name, no properties) becomes a :class:`RawPublish` with :func:`plain_publish`, and
every other packet goes to paho's own handlers unchanged.

Everything here is the MQTT wire format: the fixed header (MQTT 5 2.1.1; 3.1.1 2.2), the
variable byte integer (5: 1.5.5), the PUBLISH variable header (5: 3.3.2; 3.1.1: 3.3.2).
"""

from __future__ import annotations

from typing import NamedTuple

PUBLISH = 0x30
MAX_LENGTH_BYTES = 4  # a variable byte integer is at most four bytes


class MalformedPacket(ValueError):
    """The bytes cannot be MQTT: the connection has to be dropped."""


class Frame(NamedTuple):
    """Where one complete packet lies in the buffer."""

    command: int  # the first byte: packet type and flags
    start: int  # first byte of the variable header
    end: int  # one past the packet's last byte


class RawPublish(NamedTuple):
    """A PUBLISH packet as ingest needs it."""

    topic: str
    payload: bytes
    mid: int  # 0 at QoS 0 (no packet identifier)
    qos: int
    dup: bool
    retain: bool


def next_packet(buffer: bytes | bytearray, position: int) -> Frame | None:
    """The complete packet starting at ``position``; ``None`` when more bytes are needed."""
    available = len(buffer)
    if available - position < 2:
        return None
    length = 0
    shift = 0
    index = position + 1
    while True:
        if index >= available:
            return None
        byte = buffer[index]
        length |= (byte & 0x7F) << shift
        index += 1
        if not byte & 0x80:
            break
        shift += 7
        if index - position - 1 >= MAX_LENGTH_BYTES:
            raise MalformedPacket("remaining length longer than four bytes")
    end = index + length
    if end > available:
        return None
    return Frame(buffer[position], index, end)


def plain_publish(buffer: bytes | bytearray, frame: Frame, *, is_v5: bool) -> RawPublish | None:
    """The PUBLISH ``frame`` of ``buffer`` if it is at QoS 0 or 1 with a topic name and no
    properties; ``None`` for any other (QoS 2, a topic alias or other properties, a topic that
    is not UTF-8, too short): paho's own handler takes those, and refuses what is malformed."""
    command, start, end = frame
    qos = (command >> 1) & 0x03
    if qos > 1 or end - start < 2:
        return None
    topic_end = start + 2 + (buffer[start] << 8 | buffer[start + 1])
    position = topic_end + (2 if qos else 0)
    if topic_end == start + 2 or position > end:
        return None
    mid = buffer[topic_end] << 8 | buffer[topic_end + 1] if qos else 0
    if is_v5:
        if position >= end or buffer[position] != 0:  # property length: none, or go slow
            return None
        position += 1
    if qos and not mid:
        return None  # a QoS 1 PUBLISH needs a non-zero packet identifier
    try:
        topic = bytes(buffer[start + 2 : topic_end]).decode()
    except UnicodeDecodeError:
        return None
    payload = bytes(buffer[position:end])
    return RawPublish(topic, payload, mid, qos, bool(command & 0x08), bool(command & 0x01))
