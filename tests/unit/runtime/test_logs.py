"""Log records are masked and bounded, in text and JSON lines alike."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from connector.redaction import Redactor
from connector.runtime.logs import MAX_LOG_MESSAGE_CHARS, MAX_LOG_TRACE_CHARS, configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
class TestBoundedRecords:
    @pytest.mark.parametrize("log_format", ["text", "json"])
    def test_a_huge_message_is_cut_and_says_how_much_was_left_out(
        self, capsys: pytest.CaptureFixture[str], log_format: str
    ) -> None:
        configure_logging("INFO", log_format, Redactor())
        logging.getLogger("connector.test").warning("header value: %s", "x" * 3_000_000)
        line = capsys.readouterr().err.strip()
        assert len(line) < MAX_LOG_MESSAGE_CHARS + 200
        assert "more characters)" in line
        if log_format == "json":
            assert json.loads(line)["level"] == "WARNING"

    @pytest.mark.parametrize("log_format", ["text", "json"])
    def test_a_huge_traceback_is_cut_too(self, capsys: pytest.CaptureFixture[str], log_format: str) -> None:
        configure_logging("INFO", log_format, Redactor())
        try:
            raise ValueError("y" * 1_000_000)
        except ValueError:
            logging.getLogger("connector.test").exception("failed")
        output = capsys.readouterr().err
        assert len(output) < MAX_LOG_TRACE_CHARS + 500
        assert "failed" in output and "ValueError" in output

    def test_secrets_are_masked_in_what_is_kept(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging("INFO", "text", Redactor(frozenset({"s3cr3t-value"})))
        logging.getLogger("connector.test").info("using s3cr3t-value for the call")
        err = capsys.readouterr().err
        assert "s3cr3t-value" not in err and "using *** for the call" in err

    def test_a_secret_at_the_cut_is_masked_before_cutting(self, capsys: pytest.CaptureFixture[str]) -> None:
        secret = "Kq9-secret-at-the-edge"
        configure_logging("INFO", "text", Redactor(frozenset({secret})))
        padding = "p" * (MAX_LOG_MESSAGE_CHARS - 5)
        logging.getLogger("connector.test").info("%s%s", padding, secret)
        err = capsys.readouterr().err
        assert "Kq9-s" not in err
