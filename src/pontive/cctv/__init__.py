"""CCTV: the city's and contributed cameras (Perda 9/2022 Pasal 17c, 22d)."""
