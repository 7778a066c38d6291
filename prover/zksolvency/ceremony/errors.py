"""What a ceremony check answers with when a link does not hold."""

from __future__ import annotations

from zksolvency.errors import ZkSolvencyError


class InvalidLink(ZkSolvencyError):
    """A well-formed transcript with a link that does not verify.

    ``link`` names it ("phase 1 contribution #3 (alice)", "circuit",
    "contribution #2 (bob)", "final key: H section"); ``reason`` says what
    failed. Malformed files raise ``FormatError`` / ``SetupError`` instead.
    """

    def __init__(self, link: str, reason: str) -> None:
        self.link = link
        self.reason = reason
        super().__init__(f"{link}: {reason}")
