"""What citizens contribute (Perda 9/2022 Pasal 22b-c): ideas and solutions with support and
comments, and volunteers caring for public facilities."""
