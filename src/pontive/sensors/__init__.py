"""Sensors and IoT (Perda 9/2022 Pasal 3(2)(d), 17(d)): SensorThings API, MQTT ingest, indices."""
