"""``python -m pontive`` and the ``pontive`` script: the CLI, imported with the garbage
collector paused (``core/heap.py``: every command imports every domain first)."""

from __future__ import annotations

from pontive.core.heap import collector_paused


def main() -> None:
    """Entry point of the ``pontive`` script."""
    with collector_paused():
        from pontive.cli import main as run

    run()


if __name__ == "__main__":
    main()
