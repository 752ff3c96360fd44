"""The bulk MQTT reader: packets cut out of a byte stream, plain PUBLISHes decoded.

Packets are built byte by byte from the MQTT 5 and 3.1.1 texts (fixed header 2.1.1, variable
byte integer 1.5.5, PUBLISH 3.3), not with Pontive's own encoder.
"""

from __future__ import annotations

import pytest

from pontive.sensors.mqtt_client import publish_frame
from pontive.sensors.mqtt_wire import (
    Frame,
    MalformedPacket,
    RawPublish,
    next_packet,
    plain_publish,
)

TOPIC = b"v1.1/Datastreams(7)/Observations"


def publish_packet(
    payload: bytes,
    *,
    qos: int = 1,
    mid: int = 0x1234,
    properties: bytes = b"\x00",
    topic: bytes = TOPIC,
    flags: int = 0,
) -> bytes:
    """A PUBLISH: properties=b"" makes it MQTT 3.1.1 (no property length)."""
    variable = len(topic).to_bytes(2, "big") + topic
    if qos:
        variable += mid.to_bytes(2, "big")
    variable += properties
    body = variable + payload
    length = len(body)
    encoded = bytearray()
    while True:
        length, digit = divmod(length, 128)
        encoded.append(digit | (0x80 if length else 0))
        if not length:
            break
    return bytes([0x30 | qos << 1 | flags]) + bytes(encoded) + body


def all_frames(buffer: bytes) -> list[Frame]:
    frames, position = [], 0
    while (frame := next_packet(buffer, position)) is not None:
        frames.append(frame)
        position = frame.end
    return frames


def test_packets_are_cut_at_their_lengths_one_to_four_length_bytes() -> None:
    sizes = [0, 100, 200, 20_000, 2_100_000]  # 1, 2, 2, 3 and 4 bytes of remaining length
    packets = [publish_packet(b"x" * size) for size in sizes]
    stream = b"".join(packets)
    frames = all_frames(stream)
    assert [frame.end - frame.start for frame in frames] == [
        len(TOPIC) + 5 + size for size in sizes
    ]
    assert frames[-1].end == len(stream)
    assert [stream[frame.start - 1] & 0x80 for frame in frames] == [0] * 5


def test_an_incomplete_packet_waits_for_more_bytes() -> None:
    packet = publish_packet(b'{"result": 1}')
    for cut in range(len(packet)):
        assert next_packet(packet[:cut], 0) is None, cut
    assert next_packet(packet, 0) == Frame(0x32, 2, len(packet))
    ping = b"\xd0\x00"  # PINGRESP: no body at all
    assert next_packet(ping, 0) == Frame(0xD0, 2, 2)


def test_a_fifth_length_byte_is_malformed() -> None:
    with pytest.raises(MalformedPacket):
        next_packet(b"\x30\xff\xff\xff\xff\x01", 0)
    assert next_packet(b"\x30\xff\xff\xff\x7f", 0) is None  # 268,435,455: legal, incomplete


def test_a_plain_publish_is_decoded_with_its_flags() -> None:
    packet = publish_packet(b'{"result": 2.5}', flags=0x08 | 0x01)
    message = plain_publish(packet, next_packet(packet, 0) or Frame(0, 0, 0), is_v5=True)
    assert message == RawPublish(TOPIC.decode(), b'{"result": 2.5}', 0x1234, 1, True, True)
    qos0 = publish_packet(b"{}", qos=0)
    frame = next_packet(qos0, 0)
    assert frame is not None
    assert plain_publish(qos0, frame, is_v5=True) == RawPublish(
        TOPIC.decode(), b"{}", 0, 0, False, False
    )


def test_mqtt_311_has_no_property_length() -> None:
    packet = publish_packet(b"\x00{}", properties=b"")
    frame = next_packet(packet, 0)
    assert frame is not None
    message = plain_publish(packet, frame, is_v5=False)
    assert message is not None
    assert message.payload == b"\x00{}"
    # The same bytes read as MQTT 5: a property length of 0 then the payload "{}".
    as_v5 = plain_publish(packet, frame, is_v5=True)
    assert as_v5 is not None
    assert as_v5.payload == b"{}"


@pytest.mark.parametrize(
    ("packet", "why"),
    [
        (publish_packet(b"{}", qos=2), "QoS 2 needs paho's PUBREC/PUBREL exchange"),
        (publish_packet(b"{}", properties=b"\x02\x23\x00"), "a property (here a topic alias)"),
        (publish_packet(b"{}", topic=b""), "no topic name: an alias"),
        (publish_packet(b"{}", topic=b"\xff\xfe"), "a topic that is not UTF-8"),
        (publish_packet(b"{}", mid=0), "QoS 1 without a packet identifier"),
        (b"\x32\x03\x00\x05a", "shorter than its topic"),
        (b"\x32\x01\x00", "shorter than a topic length"),
    ],
)
def test_anything_else_is_left_to_paho(packet: bytes, why: str) -> None:
    frame = next_packet(packet, 0)
    assert frame is not None
    assert plain_publish(packet, frame, is_v5=True) is None, why


def test_what_pontive_publishes_reads_back() -> None:
    frames = [publish_frame(TOPIC.decode(), b"x" * size, is_v5=True) for size in (1, 90, 300)]
    stream = b"".join(frames)
    decoded = [plain_publish(stream, frame, is_v5=True) for frame in all_frames(stream)]
    sizes = [(m.qos, len(m.payload)) for m in decoded if m is not None]
    assert sizes == [(0, 1), (0, 90), (0, 300)]
