"""Key templates: every placeholder's format, one instant per key, literal braces, time zones,
and every way a template can be wrong, each with a message that lists what is allowed."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from connector.s3.key_templates import (
    PLACEHOLDERS,
    KeyContext,
    KeyTemplateError,
    expand_key_template,
    parse_key_template,
    time_zone,
)

# 2026-12-01 20:15:07.250 UTC
NOW = datetime(2026, 12, 1, 20, 15, 7, 250_000, tzinfo=timezone.utc)
UUID = "0b7e2d3c-5a41-4a8e-9f3e-1c2d3e4f5a6b"
CONTEXT = KeyContext(
    now=NOW,
    uuid=UUID,
    file_name="report.final.pdf",
    job_key=2251799813685249,
    process_instance_key=2251799813685123,
    bpmn_process_id="invoice-approval",
    element_id="ArchiveInvoice",
)


def expand(template: str, context: KeyContext = CONTEXT) -> str:
    return expand_key_template(parse_key_template(template), context)


EXPECTED = {
    "date": "2026-12-01",
    "time": "20-15-07",
    "date_time": "2026-12-01T20-15-07",
    "iso_date_time": "2026-12-01T20:15:07Z",
    "timestamp": "1796156107250",
    "year": "2026",
    "month": "12",
    "day": "01",
    "hour": "20",
    "minute": "15",
    "second": "07",
    "uuid": UUID,
    "file_name": "report.final.pdf",
    "file_stem": "report.final",
    "extension": "pdf",
    "process_instance_key": "2251799813685123",
    "bpmn_process_id": "invoice-approval",
    "element_id": "ArchiveInvoice",
    "job_key": "2251799813685249",
}


class TestPlaceholders:
    def test_the_table_covers_every_placeholder(self) -> None:
        assert set(EXPECTED) == set(PLACEHOLDERS)

    @pytest.mark.parametrize(("name", "value"), sorted(EXPECTED.items()))
    def test_each_placeholder(self, name: str, value: str) -> None:
        assert expand(f"x/{{{name}}}/y") == f"x/{value}/y"

    def test_numbers_are_zero_padded(self) -> None:
        early = KeyContext(now=datetime(2027, 1, 2, 3, 4, 5, tzinfo=timezone.utc), uuid=UUID)
        assert expand("{month}{day}{hour}{minute}{second}|{date}|{time}", early) == "0102030405|2027-01-02|03-04-05"

    def test_timestamp_is_epoch_milliseconds(self) -> None:
        assert int(expand("{timestamp}")) == int(NOW.timestamp() * 1000)

    def test_every_placeholder_in_one_key_sees_the_same_instant_and_uuid(self) -> None:
        key = expand("{date_time}/{second}/{uuid}/{uuid}")
        assert key == f"2026-12-01T20-15-07/07/{UUID}/{UUID}"

    @pytest.mark.parametrize(
        ("file_name", "stem", "extension"),
        [
            ("archive.tar.gz", "archive.tar", "gz"),
            ("README", "README", ""),
            (".bashrc", ".bashrc", ""),
            ("Rechnung März.PDF", "Rechnung März", "PDF"),
            ("trailing.", "trailing.", ""),
        ],
    )
    def test_stem_and_extension(self, file_name: str, stem: str, extension: str) -> None:
        context = KeyContext(now=NOW, uuid=UUID, file_name=file_name)
        assert expand("{file_stem}|{extension}|{file_name}", context) == f"{stem}|{extension}|{file_name}"

    def test_double_braces_are_literal(self) -> None:
        assert expand("{{date}}/{{{date}}}/}}{{") == "{date}/{2026-12-01}/}{"

    def test_plain_text_is_kept_as_is(self) -> None:
        assert expand("a b/c+d=e%20f#g?h ü") == "a b/c+d=e%20f#g?h ü"


class TestTimeZones:
    def test_a_zone_moves_every_field_and_keeps_its_offset_in_iso(self) -> None:
        local = NOW.astimezone(time_zone("Asia/Kolkata"))
        context = KeyContext(now=local, uuid=UUID)
        assert expand("{date}T{hour}:{minute}|{iso_date_time}|{timestamp}", context) == (
            "2026-12-02T01:45|2026-12-02T01:45:07+05:30|1796156107250"
        )

    def test_summer_time(self) -> None:
        summer = datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc).astimezone(time_zone("Europe/Berlin"))
        assert expand("{hour}|{iso_date_time}", KeyContext(now=summer, uuid=UUID)) == "14|2026-07-01T14:00:00+02:00"

    @pytest.mark.parametrize("name", [None, "UTC"])
    def test_utc_by_default(self, name: str | None) -> None:
        assert time_zone(name).utcoffset(NOW).total_seconds() == 0  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        "name", ["Mars/Olympus", "europe/berlin", "", "../etc/passwd", "/etc/localtime", "America"]
    )
    def test_an_unknown_zone_is_named_with_an_example(self, name: str) -> None:
        with pytest.raises(KeyTemplateError, match=r"unknown time zone .*IANA name such as 'Europe/Berlin'"):
            time_zone(name)


ALLOWED = re.escape("allowed: {date}, {time}, {date_time}")


class TestTemplateErrors:
    @pytest.mark.parametrize(
        ("template", "problem"),
        [
            ("{nope}", r"unknown placeholder \{nope\}; " + ALLOWED),
            ("{Date}", r"unknown placeholder \{Date\}"),
            ("{ date }", r"unknown placeholder \{ date \}"),
            ("{}", r"unknown placeholder \{\}"),
            ("{date:%Y}", r"unknown placeholder \{date:%Y\}"),
            ("a/{date", r"unbalanced '\{' at position 2; " + ALLOWED),
            ("a}b", r"unbalanced '\}' at position 1"),
            ("{{date}", r"unbalanced '\}' at position 6"),
            ("{a{date}}", r"unbalanced '\{' at position 0"),
            ("", "must not be empty"),
        ],
    )
    def test_parse_errors_name_the_problem_and_what_is_allowed(self, template: str, problem: str) -> None:
        with pytest.raises(KeyTemplateError, match=problem) as raised:
            parse_key_template(template)
        if "allowed" in str(raised.value):
            assert "{{ and }} for literal braces" in str(raised.value)

    @pytest.mark.parametrize("name", ["file_name", "file_stem", "extension"])
    def test_file_placeholders_need_a_file_name(self, name: str) -> None:
        with pytest.raises(KeyTemplateError, match=rf"\{{{name}\}} needs a file name"):
            expand(f"x/{{{name}}}", KeyContext(now=NOW, uuid=UUID))

    @pytest.mark.parametrize("name", ["process_instance_key", "bpmn_process_id", "element_id", "job_key"])
    def test_job_placeholders_need_the_jobs_context(self, name: str) -> None:
        with pytest.raises(KeyTemplateError, match=rf"\{{{name}\}} is not known for this job"):
            expand(f"x/{{{name}}}", KeyContext(now=NOW, uuid=UUID, file_name="f"))

    def test_an_expanded_key_over_1024_bytes_is_refused(self) -> None:
        context = KeyContext(now=NOW, uuid=UUID, file_name="ü" * 500)
        assert len(expand("{file_name}", context).encode()) == 1000
        with pytest.raises(
            KeyTemplateError, match=r"expands to a key S3 refuses: .*at most 1024 bytes .*\(it has 1025\)"
        ):
            expand("{file_name}" + "-" * 25, context)

    def test_a_nul_character_from_a_file_name_is_refused(self) -> None:
        with pytest.raises(KeyTemplateError, match="NUL"):
            expand("{file_name}", KeyContext(now=NOW, uuid=UUID, file_name="a\x00b"))

    def test_a_template_of_literal_text_gives_that_key(self) -> None:
        assert parse_key_template("fixed/key.txt").placeholders == frozenset()
        assert parse_key_template("{date}/{uuid}/{date}").placeholders == {"date", "uuid"}
