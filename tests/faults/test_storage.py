"""The media store when the disk refuses a write, without root: a process whose file-size
limit (RLIMIT_FSIZE) is below the upload meets the kernel's real EFBIG on the same code path
as a full disk's ENOSPC (``test_web.py`` mounts a full tmpfs when running as root)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import resource, signal, sys
from pathlib import Path
from pontive.core.storage import MediaStore, StorageFull

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
store = MediaStore(Path(sys.argv[1]))
kept = store.save(b"x" * 1000, folder="complaints", suffix=".jpg")
try:
    store.save_all([b"y" * 1000, b"z" * 200_000], folder="complaints", suffix=".jpg")
except StorageFull as full:
    print(kept, full.status_code, full.errors["file"][0])
else:
    print("stored")
"""


def test_a_write_the_disk_refuses_is_storage_full_and_leaves_nothing(tmp_path: Path) -> None:
    media = tmp_path / "media"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(media)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    kept, status, message = result.stdout.strip().split(" ", 2)
    assert status == "507"
    assert message.startswith("Ruang penyimpanan berkas di server penuh")
    # The first file of the refused pair was removed, the torn second never became visible.
    assert [p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()] == [kept]
