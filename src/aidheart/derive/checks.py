"""Input checks of the derivations (admiral's ``assert_*``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


class DerivationError(ValueError):
    """A dataset a derivation cannot work on; the message names the offending keys."""


def assert_has_columns(dataset: pd.DataFrame, columns: Sequence[str], name: str = "dataset") -> None:
    """Raise :class:`DerivationError` listing the ``columns`` that ``dataset`` lacks."""
    missing = [column for column in columns if column not in dataset.columns]
    if missing:
        raise DerivationError(f"{name} lacks column(s) {', '.join(missing)}")


def assert_unique_keys(dataset: pd.DataFrame, keys: Sequence[str], name: str = "dataset") -> None:
    """Raise :class:`DerivationError` naming the first key values that occur more than once."""
    duplicated = dataset[dataset.duplicated(list(keys), keep=False)]
    if len(duplicated):
        first = duplicated.iloc[0]
        where = ", ".join(f"{key}={first[key]}" for key in keys)
        raise DerivationError(f"{name} has {len(duplicated)} rows sharing keys; first: {where}")
