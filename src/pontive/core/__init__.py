"""Shared ground floor: database, identity, permissions, audit, errors, events, geo, i18n."""
