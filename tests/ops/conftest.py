import io
import json
import logging

import pytest


@pytest.fixture
def stdout_log():
    """What the site writes to stdout through the configured `stdout` handler."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.name == "stdout")
    buffer = io.StringIO()
    original = handler.setStream(buffer)
    yield buffer
    handler.setStream(original)


def json_lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]
