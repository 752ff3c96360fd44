"""The web layer: page layout, sessions, errors, operations endpoints, message catalogues."""
