"""Display tables for the reports: selecting rows of the ARD and ADaM datasets and formatting
numbers. Rounding happens here and only here; nothing is recomputed."""
