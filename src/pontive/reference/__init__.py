"""Reference data: kecamatan and kelurahan, Perangkat Daerah, the six dimensions (Pasal 9-11)."""
