"""Institutions and capacity (Perda 9/2022 Pasal 4-6, 12-13, 20-21): the Smart City Council
and Technical Team, partnerships, capacity building, certifications and experts."""
