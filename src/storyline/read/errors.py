"""Read errors: an input that could not be read, with a reason a user can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReadError:
    """An input that could not be read (fully). ``reason`` is one line a user can act on."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
