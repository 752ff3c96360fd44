"""Coordination (Perda 9/2022 Pasal 17e, 16(1)): incidents, tasks across agencies,
coordination meetings, the situation room's walls and the executive view."""
