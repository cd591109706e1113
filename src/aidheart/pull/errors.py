"""The one error of a pull: what failed, in one line, never the token."""

from __future__ import annotations


class PullError(Exception):
    """A pull that cannot go on (bad address, refused token, no answer, a file that cannot be written)."""
