"""Citizens' complaints (Perda 9/2022 Pasal 17a, 22a-b), with Open311 GeoReport v2."""
