"""Uploaded files under random and hostile content: photos, CSV/XLSX imports, CAP and RSS.

Each reader either accepts the file or refuses it with its own error (``InvalidInput``, the
datastore's FAILED report) — never another exception, never a hang, never a bomb unpacked.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy.orm import Session

from pontive.alerts.feeds import store_incoming
from pontive.alerts.feeds_parse import parse_feed_links
from pontive.budget import importer as budget_importer
from pontive.complaints import importer as complaints_importer
from pontive.complaints.photos import process_photo
from pontive.core import registry as registries
from pontive.core.errors import InvalidInput
from pontive.core.identity import system_actor
from pontive.core.storage import MediaStore
from pontive.masterplan import monitoring
from pontive.opendata.datastore_read import open_source
from pontive.registry import csvio

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.1)

ADMIN = system_actor("fuzz")
MAGIC = (b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ",
         b"\x00\x00\x00\x18ftypheic", b"GIF89a", b"BM", b"PK\x03\x04", b"")  # fmt: skip
FORMULAS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0")


def _image(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format=fmt)
    return output.getvalue()


GOOD_IMAGES = {fmt: _image(fmt) for fmt in ("JPEG", "PNG", "WEBP")}


def _refused_or_accepted_photo(raw: bytes) -> None:
    try:
        photo = process_photo(raw)
    except InvalidInput:
        return
    assert photo.data.startswith(b"\xff\xd8")


@given(prefix=st.sampled_from(MAGIC), tail=st.binary(max_size=400))
def test_random_bytes_behind_image_magic_are_refused_cleanly(prefix: bytes, tail: bytes) -> None:
    _refused_or_accepted_photo(prefix + tail)


@given(fmt=st.sampled_from(sorted(GOOD_IMAGES)), cut=st.floats(0, 1), flip=st.integers(0, 500))
def test_truncated_or_damaged_photos_are_refused_cleanly(fmt: str, cut: float, flip: int) -> None:
    good = GOOD_IMAGES[fmt]
    damaged = bytearray(good[: max(1, int(len(good) * cut))])
    if flip < len(damaged):
        damaged[flip] ^= 0xFF
    _refused_or_accepted_photo(bytes(damaged))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header (IHDR, CRC fixed) claims ``width`` by ``height`` pixels."""
    good = _image("PNG", (8, 8))
    start = good.index(b"IHDR")
    header = b"IHDR" + struct.pack(">II", width, height) + good[start + 12 : start + 17]
    return (
        good[: start - 4]
        + struct.pack(">I", 13)
        + header
        + struct.pack(">I", zlib.crc32(header))
        + good[start + 21 :]
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_decompression_bomb_is_refused_without_unpacking(fmt: str) -> None:
    # 20 000 by 20 000 pixels: 400 megapixels, over the 60 MP limit, in a few hundred bytes.
    if fmt == "PNG":
        raw = _png_claiming(20_000, 20_000)
    else:  # the JPEG's frame header says 20 000 by 20 000
        raw = _image("JPEG", (8, 8)).replace(b"\x00\x08\x00\x08", b"\x4e\x20\x4e\x20", 1)
    with pytest.raises(InvalidInput):
        process_photo(raw)


# --- CSV and XLSX imports --------------------------------------------------------------------

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(FORMULAS),
    st.sampled_from(("", "1", "1,5", "2026-11-30", "31/12/2026", "\x00", '"', "'", ";")),
)
csv_texts = st.lists(st.lists(cells, max_size=8), max_size=8).map(
    lambda rows: "\n".join(";".join(row) if i % 2 else ",".join(row) for i, row in enumerate(rows))
)
encodings = st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"))


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _xlsx_like(data: bytes) -> bytes:
    """A zip that claims to be a workbook, with ``data`` as its sheet."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", data)
        archive.writestr("xl/worksheets/sheet1.xml", data)
    return output.getvalue()


files = st.one_of(
    st.tuples(csv_texts, encodings).map(lambda pair: _encoded(*pair)),
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail),
    st.binary(max_size=200).map(_xlsx_like),
)


@given(data=files)
def test_the_datastore_reader_reads_or_refuses_any_file(data: bytes) -> None:
    try:
        source = open_source(io.BytesIO(data))
        for _row in source.rows:
            pass
    except InvalidInput:
        pass


@given(data=files, xlsx=st.booleans())
def test_the_budget_import_reads_or_refuses_any_file(
    session: Session, data: bytes, xlsx: bool
) -> None:
    name = "anggaran.xlsx" if xlsx else "anggaran.csv"
    try:
        with session.begin_nested():
            budget_importer.import_file(session, actor=ADMIN, data=data, filename=name)
    except InvalidInput:
        pass


@given(data=files, xlsx=st.booleans())
def test_the_masterplan_import_reads_or_refuses_any_file(data: bytes, xlsx: bool) -> None:
    with contextlib.suppress(InvalidInput):
        monitoring.read_table(data, "realisasi.xlsx" if xlsx else "realisasi.csv")


@given(text=csv_texts)
def test_the_complaints_import_reads_or_refuses_any_csv(
    session: Session, media: MediaStore, text: str
) -> None:
    header = "external_id,category,description,lat,long,received_at\n"
    for body in (text, header + text):
        try:
            with session.begin_nested():
                complaints_importer.import_csv(
                    session=session, actor=ADMIN, text=body,
                    source=complaints_importer.ImportSource.HOTLINE, media=media, dry_run=True,
                )  # fmt: skip
        except InvalidInput:
            pass


@given(data=files, name=st.sampled_from(("assets.sites", "institutions.experts")))
def test_the_registry_import_reads_or_refuses_any_file(
    session: Session, data: bytes, name: str
) -> None:
    registry = registries.get(name)
    try:
        with session.begin_nested():
            csvio.import_csv(session, registry, ADMIN, data, dry_run=True)
    except InvalidInput:
        pass


# --- CAP and RSS ---------------------------------------------------------------------------

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol3;</identifier></alert>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><item><link>&x;</link></item></channel></rss>"""
CAP_PARTS = (
    f'<alert xmlns="{CAP_NS}">', "<alert>", '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1">',
    "<identifier>X-1</identifier>", "<sender>bmkg@bmkg.go.id</sender>",
    "<sent>2026-11-30T10:00:00+07:00</sent>", "<sent>not a time</sent>", "<status>Actual</status>",
    "<msgType>Alert</msgType>", "<scope>Public</scope>", "<info>", "</info>",
    "<category>Met</category>", "<event>Banjir</event>", "<urgency>Immediate</urgency>",
    "<severity>Severe</severity>", "<certainty>Observed</certainty>", "<area>", "</area>",
    "<areaDesc>Pontianak</areaDesc>",
    "<polygon>-0.1,109.3 -0.0,109.4 -0.1,109.4 -0.1,109.3</polygon>",
    "<polygon>1,2 3</polygon>", "<circle>-0.03,109.33 5</circle>", "<circle>x</circle>",
    "<expires>9999-12-31T23:59:59-12:00</expires>", "</alert>", "<rss><channel><item>",
    "<link>http://x/cap.xml</link>", "<link>javascript:x</link>", "<enclosure url='../a'/>",
    "</item></channel></rss>", "<feed xmlns='http://www.w3.org/2005/Atom'><entry>",
    "<link href='http://[::1'/>", "</entry></feed>", "&amp;", "<![CDATA[x]]>",
)  # fmt: skip
xml_documents = st.one_of(
    st.lists(st.sampled_from(CAP_PARTS), max_size=25).map(lambda parts: "".join(parts).encode()),
    st.binary(max_size=300),
    st.sampled_from((BILLION_LAUGHS, XXE, b"", b"<", b"<a>" * 5000)),
)


@given(xml=xml_documents)
def test_any_cap_message_is_kept_or_refused_cleanly(session: Session, xml: bytes) -> None:
    try:
        with session.begin_nested():
            store_incoming(session, None, xml)
    except InvalidInput:
        pass


@given(xml=xml_documents, url=st.sampled_from(("https://bmkg.go.id/rss.xml", "http://[::1", "")))
def test_any_feed_list_is_read_or_refused_cleanly(xml: bytes, url: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse_feed_links(xml, url)


def test_a_zip_that_is_no_workbook_is_refused_by_the_datastore_reader() -> None:
    # Found by fuzzing: openpyxl's OSError "File contains no valid workbook part" escaped.
    with pytest.raises(InvalidInput):
        open_source(io.BytesIO(_xlsx_like(b"")))
    with pytest.raises(InvalidInput):
        open_source(io.BytesIO(b"PK\x03\x04junk"))
