"""The triage model's text analyser: Indonesian (and Pontianak Malay) report text to features.

One analyser serves training and prediction, so a report is read the same way by both:
street addresses folded into one token (``Jl. Gajah Mada`` → ``alamat``), lowercase,
reduplications folded (``lampu2``, ``lampu-lampu`` → ``lampu``), punctuation and
number-like tokens dropped, common chat spellings normalised (``gk``/``ndak``/``tdk`` →
``tidak``, ``yg`` → ``yang``, ``jln``/``jl`` → ``jalan`` …), then word 1-2-grams and character
2-5-grams inside each word (padded with a space at both ends, as scikit-learn's ``char_wb``).
Feature names carry their kind: ``"w jalan rusak"`` (a word n-gram) and ``"c amb"`` (a
character n-gram), so that an explanation can map a character n-gram back to its word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

WORD = "w "
CHAR = "c "
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)

# Chat spellings and Pontianak Malay words read as the standard word. Only unambiguous
# forms: ``pd`` (Perangkat Daerah or "pada") and ``same`` stay as they are.
SLANG: dict[str, str] = {
    # negation
    "gk": "tidak",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "ndak": "tidak",
    "indak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "sik": "tidak",  # Pontianak Malay: "sik ade" = tidak ada
    # short forms
    "yg": "yang",
    "jln": "jalan",
    "jl": "jalan",
    "jalan2": "jalan",
    "dgn": "dengan",
    "dg": "dengan",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "belom": "belum",
    "krn": "karena",
    "karna": "karena",
    "utk": "untuk",
    "tlg": "tolong",
    "tolongin": "tolong",
    "bgt": "banget",
    "sy": "saya",
    "kamek": "saya",  # Pontianak Malay
    "kmrn": "kemarin",
    "skrg": "sekarang",
    "skg": "sekarang",
    "sampe": "sampai",
    "dpn": "depan",
    "dkt": "dekat",
    "lg": "lagi",
    "bnyk": "banyak",
    "byk": "banyak",
    "org": "orang",
    "trs": "terus",
    "tp": "tapi",
    "tpi": "tapi",
    "jg": "juga",
    "hrs": "harus",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "dr": "dari",
    "dri": "dari",
    "sm": "sama",
    "bs": "bisa",
    "bsa": "bisa",
    "msh": "masih",
    "masi": "masih",
    "kyk": "kayak",
    "kek": "kayak",
    "spt": "seperti",
    "ampe": "sampai",
    "dmn": "dimana",
    "dimane": "dimana",
    "mane": "mana",
    "ape": "apa",
    "ade": "ada",
    "tu": "itu",
    "nak": "mau",
    "mo": "mau",
    "pengen": "ingin",
    "gelap2": "gelap",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "pkm": "puskesmas",
    "gg": "gang",
    "mtr": "motor",
    "mbl": "mobil",
    "jam2": "jam",
}
# Words left out of the reasons shown to operators (never out of the features).
_STOPWORD_TEXT = (
    "yang di ke dari dan atau ini itu ada sudah belum tidak saya kami kita mau untuk dengan "
    "pada karena jadi juga lagi sangat sekali banget mohon tolong pak bu bapak ibu terima "
    "kasih the a sama bisa masih kalau tapi akan oleh dalam sejak sampai seperti kayak hari "
    "sore pagi malam siang bah nya lah pun alamat minggu lalu bulan tahun kemarin sekarang "
    "semua sini situ"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_PARTICLE = re.compile(r"(?:lah|kah|tah|pun|nya|ku|mu)$")
_SUFFIX = re.compile(r"(?:kan|an)$")
_PLAIN_PREFIX = re.compile(r"^(?:di|ke|se|ter|ber|per)")
_NASAL_PREFIX = re.compile(r"^([mp]e)(ng|ny|m|n|l|r|w|y)?")
_VOWELS = frozenset("aeiou")
# What the nasal of me-/pe- replaced when the root begins with a vowel (menyapu → sapu).
_NASAL_ROOT = {"ny": "s", "m": "p", "n": "t", "ng": ""}
# "Jl. Gajah Mada", "Gg. Mawar 3", "Komplek Bali Agung": a place, not a road problem. Every
# category's reports name their street, so the street's name (and the "jalan" before it)
# becomes one token; cross-validation on the training part: macro-F1 0.834 -> 0.853.
_ADDRESS = re.compile(
    r"\b(?:[Jj][Ll][Nn]?\.?|[Jj]alan|[Gg]g\.|[Gg]ang|[Kk]omp(?:lek|leks)?\.?)\s+"
    r"(?:(?:[A-Z][a-z][\w'-]*\.?|[A-Z]\.|\d+[\w/-]*)\s*){1,4}"
)
ADDRESS = "alamat"
_WIFI = re.compile(r"\bwi[- ]?fi\b")
_REDUPLICATION = re.compile(r"\b([^\W\d_]{2,})-\1\b")
_NUMBERED_REDUPLICATION = re.compile(r"\b([^\W\d_]{2,})2\b")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clean_token(token: str) -> str | None:
    """The token as a word, or ``None`` for numbers, codes and one-letter leftovers."""
    digits = sum(ch.isdigit() for ch in token)
    if digits:
        if digits * 2 >= len(token):
            return None  # "20", "3x", "rt03": numbers and house numbers say nothing of the kind
        token = "".join(ch for ch in token if not ch.isdigit())
    token = _REPEATS.sub(r"\1", token)  # "bahayaaa" → "bahaya"
    if len(token) < 2:
        return None
    return SLANG.get(token, token)


def _strip_prefix(word: str) -> str:
    plain = _PLAIN_PREFIX.match(word)
    if plain and len(word) - plain.end() >= 4:
        return word[plain.end() :]
    nasal = _NASAL_PREFIX.match(word)
    if not nasal or len(word) - nasal.end() < 3:
        return word
    rest, sound = word[nasal.end() :], nasal.group(2) or ""
    if sound in _NASAL_ROOT and rest[0] in _VOWELS:
        return _NASAL_ROOT[sound] + rest
    if sound in {"l", "r", "w", "y"}:
        return sound + rest if rest[0] in _VOWELS else word
    return rest


def stem(word: str) -> str:
    """A rough Indonesian stem, so that ``dibakar``, ``pembakaran`` and ``terbakar`` share
    ``bakar`` (particles, possessives, -kan/-an, and up to two prefixes)."""
    if len(word) <= 5:
        return word
    root = _PARTICLE.sub("", word) if len(word) > 6 else word
    root = _SUFFIX.sub("", root) if len(root) > 6 else root
    for _ in range(2):
        shorter = _strip_prefix(root)
        if shorter == root:
            break
        root = shorter
    return root if len(root) >= 3 else word


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``."""
    text = _ADDRESS.sub(f" {ADDRESS} ", text)
    text = _strip_accents(text.lower())
    text = _WIFI.sub("wifi", text)
    text = _REDUPLICATION.sub(r"\1", text)
    text = _NUMBERED_REDUPLICATION.sub(r"\1", text)
    text = _HYPHENATED.sub(" ", text)
    words = []
    for raw in _TOKEN.findall(text):
        word = SLANG.get(raw) or _clean_token(raw)
        if word:
            words.extend(word.split())
    return words


def word_ngrams(words: list[str]) -> list[str]:
    """Word 1-2-grams, each prefixed with ``WORD``."""
    low, high = WORD_NGRAMS
    return [
        WORD + " ".join(words[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(words) - n + 1)
    ]


def char_ngrams(word: str) -> list[str]:
    """Character 2-5-grams inside one word padded with spaces, each prefixed with ``CHAR``."""
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    return [
        CHAR + padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    ]


@lru_cache(maxsize=65536)
def _word_chars(word: str) -> tuple[str, ...]:
    return tuple(char_ngrams(word))


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text's words and feature counts (read-only: analyses are cached and shared)."""

    words: tuple[str, ...]
    word_counts: Counter[str]
    char_counts: Counter[str]

    def char_origins(self) -> dict[str, Counter[str]]:
        """For each character n-gram, the words of the text it came from (and how often)."""
        origins: dict[str, Counter[str]] = {}
        for word in self.words:
            for gram in _word_chars(word):
                origins.setdefault(gram, Counter())[word] += 1
        return origins


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysis:
    """Read ``text`` into the features the model knows (cached: training reads the seed
    reports twice, for the held-out evaluation and for the final fit)."""
    words = tuple(tokens(text))
    char_counts = Counter(chain.from_iterable(_word_chars(word) for word in words))
    word_counts = Counter(word_ngrams(list(words)))
    # A word's stem counts as the word would (``diangkut`` also speaks as ``angkut``).
    word_counts.update(WORD + root for word in words if (root := stem(word)) != word)
    return Analysis(words, word_counts, char_counts)


def readable(feature: str) -> str:
    """A feature name as an operator reads it (without its kind prefix)."""
    return feature[2:].strip()


def is_informative(term: str) -> bool:
    """Whether a term is worth showing as a reason (no stop word in it)."""
    return all(part not in STOPWORDS for part in term.split())
