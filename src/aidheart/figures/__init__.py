"""Figures of the analysis report, drawn from the ADaM datasets and the ARD (never recomputed statistics)."""
