"""Where the institutions' pages live (the registries' area and the domain's own pages)."""

from __future__ import annotations

DOMAIN = "institutions"
CONSOLE = "/console/kelembagaan"
PUBLIC_PAGE = "/dewan-smart-city"
CAPACITY_PAGE = f"{CONSOLE}/ikhtisar-kapasitas"
FOLLOWUP_PAGE = f"{CONSOLE}/tindak-lanjut-rekomendasi"
RECOMMENDATIONS = f"{CONSOLE}/rekomendasi"  # the recommendations registry's list
COORDINATION_MEETING = "/console/koordinasi/rapat/{code}"  # coordination's meeting page
PROGRAMME = "/console/masterplan/program/{code}"  # masterplan's programme page
