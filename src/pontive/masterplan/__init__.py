"""The Smart City programme (Perda 9/2022 Pasal 7-11, 23): the masterplan and its versions,
programmes and activities by dimension and priority, indicators with targets and live
metrics, monitoring of realisation, and the annual evaluation with its official report."""
