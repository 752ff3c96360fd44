"""The triage analyser: how a citizen's report text becomes the model's features."""

from __future__ import annotations

from pontive.analytics import triage_text
from pontive.analytics.triage_text import CHAR, WORD, analyse, stem, tokens


def test_chat_spellings_and_pontianak_words_read_as_standard_indonesian() -> None:
    assert tokens("Lampu jln yg di gg Mawar ndak nyala, tdk ada yg benerin, gk tau knp") == [
        "lampu", "jalan", "yang", "di", "gang", "mawar", "tidak", "nyala",
        "tidak", "ada", "yang", "benerin", "tidak", "tau", "knp",
    ]  # fmt: skip
    assert tokens("Kamek dah lapor") == ["saya", "sudah", "lapor"]


def test_reduplication_folds_to_the_word() -> None:
    assert tokens("lampu2 mati, lampu-lampu taman juga") == [
        "lampu",
        "mati",
        "lampu",
        "taman",
        "juga",
    ]


def test_punctuation_numbers_and_codes_are_dropped() -> None:
    # House numbers, counts, codes (RT03: as many digits as letters) and times say nothing
    # about the kind of problem.
    assert tokens("BAHAYA!!! Lubang 60 cm di RT03/RW 05, jam 20.30, sdh 3x") == [
        "bahaya", "lubang", "cm", "di", "rw", "jam", "sudah",
    ]  # fmt: skip


def test_shouting_and_stretched_letters_are_read_as_the_word() -> None:
    assert tokens("TOLONGGG segeraaa, Wi-Fi mati") == ["tolong", "segera", "wifi", "mati"]


def test_features_are_word_one_and_two_grams_and_character_grams_inside_words() -> None:
    found = analyse("Lampu mati")
    assert {WORD + "lampu", WORD + "mati", WORD + "lampu mati"} <= set(found.word_counts)
    assert {CHAR + " la", CHAR + "amp", CHAR + "mpu ", CHAR + " mati"} <= set(found.char_counts)
    # Character n-grams never cross a word boundary.
    assert CHAR + "u m" not in found.char_counts
    assert found.char_origins()[CHAR + "amp"] == {"lampu": 1}


def test_inflected_words_also_count_as_their_stem() -> None:
    assert stem("pembakaran") == stem("dibakar") == stem("terbakar") == "bakar"
    assert stem("menumpuk") == "tumpuk"
    assert stem("lampu") == "lampu"  # short words are left alone
    assert WORD + "bakar" in analyse("Lahan dibakar lagi").word_counts


def test_reasons_never_show_stop_words() -> None:
    assert triage_text.is_informative("lampu mati")
    assert not triage_text.is_informative("yang")
    assert not triage_text.is_informative("lampu di")
