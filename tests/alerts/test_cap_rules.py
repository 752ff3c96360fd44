"""alerts/cap_rules.py: each rule the XSD does not enforce catches a message that breaks it."""

from __future__ import annotations

import capvalidator
import pytest

from pontive.alerts.cap_rules import check_cap

# A valid Update with a polygon, a circle and altitude/ceiling: every rule has something to
# look at. Each case below breaks exactly one thing.
VALID = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>ptk-20261129-000012</identifier>
  <sender>pusdalops@pontianak.go.id</sender>
  <sent>2026-11-29T19:00:00+07:00</sent>
  <status>Actual</status>
  <msgType>Update</msgType>
  <scope>Public</scope>
  <references>pusdalops@pontianak.go.id,ptk-20261129-000011,2026-11-29T18:05:12+07:00</references>
  <info>
    <language>id-ID</language>
    <category>Met</category>
    <event>Banjir pasang Sungai Kapuas</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <effective>2026-11-29T19:00:00+07:00</effective>
    <expires>2026-11-30T01:00:00+07:00</expires>
    <headline>Awas banjir: muka air Kapuas 250 cm</headline>
    <area>
      <areaDesc>Kelurahan Benua Melayu Laut</areaDesc>
      <polygon>-0.0256,109.3456 -0.0344,109.3499 -0.0440,109.3523 -0.0256,109.3456</polygon>
      <circle>-0.0264,109.3425 1.5</circle>
      <altitude>0</altitude>
      <ceiling>100</ceiling>
    </area>
  </info>
</alert>
"""


def test_the_base_message_is_valid() -> None:
    assert capvalidator.check_schema(VALID.encode()).passed
    assert check_cap(VALID.encode()) == []


CASES = [
    pytest.param(
        "<identifier>ptk-20261129-000012</identifier>",
        "<identifier>ptk 20261129 000012</identifier>",
        "identifier: must not contain",
        id="identifier-space",
    ),
    pytest.param(
        "<sender>pusdalops@pontianak.go.id</sender>",
        "<sender>pusdalops@pontianak.go.id,bpbd</sender>",
        "sender: must not contain",
        id="sender-comma",
    ),
    pytest.param(
        "<sent>2026-11-29T19:00:00+07:00</sent>",
        "<sent>2026-11-29T19:00:00.250+07:00</sent>",
        "sent: '2026-11-29T19:00:00.250+07:00' is not",
        id="sent-fraction",
    ),
    pytest.param(
        "<expires>2026-11-30T01:00:00+07:00</expires>",
        "<expires>2026-11-30T01:00:00+0700</expires>",
        "info[1]/expires",
        id="expires-offset-without-colon",
    ),
    pytest.param(
        "-0.0440,109.3523 -0.0256,109.3456</polygon>",
        "-0.0440,109.3523 -0.0250,109.3450</polygon>",
        "polygon is not closed",
        id="polygon-open",
    ),
    pytest.param(
        "<polygon>-0.0256,109.3456 -0.0344,109.3499 -0.0440,109.3523 -0.0256,109.3456</polygon>",
        "<polygon>-0.0256,109.3456 -0.0344,109.3499 -0.0256,109.3456</polygon>",
        "at least 4 pairs",
        id="polygon-three-pairs",
    ),
    pytest.param(
        "<polygon>-0.0256,109.3456 -0.0344,109.3499 -0.0440,109.3523 -0.0256,109.3456</polygon>",
        "<polygon>109.3456,-0.0256 109.3499,-0.0344 109.3523,-0.0440 109.3456,-0.0256</polygon>",
        "out of range",
        id="polygon-lon-lat-swapped",
    ),
    pytest.param(
        "<polygon>-0.0256,109.3456 -0.0344,109.3499",
        "<polygon>-0.0256;109.3456 -0.0344,109.3499",
        "is not a lat,lon pair",
        id="polygon-bad-pair",
    ),
    pytest.param(
        "<circle>-0.0264,109.3425 1.5</circle>",
        "<circle>-0.0264,109.3425,1.5</circle>",
        "is not 'lat,lon radius'",
        id="circle-format",
    ),
    pytest.param(
        "<circle>-0.0264,109.3425 1.5</circle>",
        "<circle>-0.0264,209.3425 1.5</circle>",
        "circle: latitude or longitude out of range",
        id="circle-range",
    ),
    pytest.param(
        "<altitude>0</altitude>\n",
        "",
        "ceiling without altitude",
        id="ceiling-without-altitude",
    ),
    pytest.param(
        "ptk-20261129-000011,2026-11-29T18:05:12+07:00</references>",
        "ptk-20261129-000011</references>",
        "is not sender,identifier,sent",
        id="references-format",
    ),
    pytest.param(
        "ptk-20261129-000011,2026-11-29T18:05:12+07:00</references>",
        "ptk-20261129-000012,2026-11-29T19:00:00+07:00</references>",
        "references itself",
        id="references-self",
    ),
    pytest.param(
        "ptk-20261129-000011,2026-11-29T18:05:12+07:00</references>",
        "ptk-20261129-000011,2026-11-29T20:05:12+07:00</references>",
        "was sent after this message",
        id="references-future",
    ),
    pytest.param(
        "  <references>pusdalops@pontianak.go.id,ptk-20261129-000011,"
        "2026-11-29T18:05:12+07:00</references>\n",
        "",
        "msgType Update must reference",
        id="update-without-references",
    ),
    pytest.param(
        "<scope>Public</scope>",
        "<scope>Public</scope><restriction>Hanya untuk BPBD</restriction>",
        "restriction: only allowed with scope Restricted",
        id="restriction-on-public",
    ),
    pytest.param(
        "<scope>Public</scope>",
        "<scope>Public</scope><addresses>bpbd@pontianak.go.id</addresses>",
        "addresses: not allowed with scope Public",
        id="addresses-on-public",
    ),
    pytest.param(
        "<scope>Public</scope>",
        "<scope>Private</scope>",
        "addresses: required with scope Private",
        id="private-without-addresses",
    ),
    pytest.param(
        "<status>Actual</status>",
        "<status>Exercise</status>",
        "Exercise message should name the exercise",
        id="exercise-without-note",
    ),
]


@pytest.mark.parametrize(("old", "new", "problem"), CASES)
def test_each_rule_catches_a_broken_message(old: str, new: str, problem: str) -> None:
    assert old in VALID
    broken = VALID.replace(old, new, 1).encode()

    problems = check_cap(broken)

    assert any(problem in p for p in problems), problems


XSD_BLIND_SPOTS = {"identifier-space", "polygon-open", "references-self", "circle-range"}


@pytest.mark.parametrize(("old", "new", "problem"), [c for c in CASES if c.id in XSD_BLIND_SPOTS])
def test_the_xsd_alone_misses_what_the_rules_catch(old: str, new: str, problem: str) -> None:
    broken = VALID.replace(old, new, 1).encode()
    assert any(problem in p for p in check_cap(broken))
    assert capvalidator.check_schema(broken).passed


def test_unsafe_or_foreign_documents_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'
    assert "unsafe" in check_cap(bomb)[0] or "DTD" in check_cap(bomb)[0]
    assert "not a CAP 1.2 alert" in check_cap(b"<rss version='2.0'/>")[0]
