"""Backup and restore of a whole Pontive system: database rows (engine-neutral) and media.

``create`` writes one archive from a consistent snapshot while the platform runs; ``restore``
loads it into an empty database of either engine; ``archive`` holds the format. See
docs/operations.md, section Backups.
"""
