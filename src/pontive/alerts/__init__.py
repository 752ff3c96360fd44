"""Alerts and situational awareness (Perda 9/2022 Pasal 16(1), 17(d)): rules, CAP 1.2, the
city's operating mode, distribution and the live situation."""
