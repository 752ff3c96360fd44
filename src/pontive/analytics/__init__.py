"""Models trained on the city's own data (Perda 9/2022 Pasal 3(2)(d), 11(1)(c)): complaint
triage, water-level forecasts, sensor data quality, complaint hotspots, and the Technical
Team's analysis workspace over a Parquet export of the platform's history."""
