"""Named signals: how a lower feature tells a higher one that something happened, without importing it.

A feature sends a signal by name; a higher feature's receiver is connected in `webapp/hooks.py` (nowhere else), so a
reader finds every side effect there. Receivers run in the sender's transaction, before it commits: they may only
write to `db.session` (a rolled-back action leaves nothing) and must be quick; work that can wait is queued and done
after the commit (see webapp.suggestions.freshness).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Receiver = Callable[[Any], None]


class Signal:
    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> None:
        """Connect once (connecting the same function again, as a second app of the same process does, is a no-op)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)

    def send(self, sender: Any) -> None:
        for receiver in list(self._receivers):
            receiver(sender)


request_published = Signal(
    "request-published",
    "A help request is public to volunteers now: posted and passing the automatic checks, approved by staff, or "
    "edited while public. Sent with the HelpRequest row (flushed, so it has an id), before the commit.",
)
