"""Financing of the Smart City (Perda 9/2022 Pasal 24): budget lines per programme and activity
and year, by source and category, planned and realised by quarter."""
