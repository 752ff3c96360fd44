"""ICT assets (Perda 9/2022 Pasal 14-15, 19(4), 22e-f): infrastructure, the software
catalogue, information-system assessments, public Wi-Fi and stakeholders' technology."""
