"""The small village the printouts' tests use (two households, six people, a birth,
a death and a move this month), read here through the read layer."""

from __future__ import annotations

import pytest

from fpdesk.store.db import Register
from tests.reports.pdf.conftest import Village, populate


@pytest.fixture
def village(register: Register) -> Village:
    return populate(register)
