"""Document references as Camunda writes them into process variables."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from connector.actions.binding import bind
from connector.actions.inputs import UploadJob
from connector.documents.references import (
    CamundaDocument,
    DocumentMetadata,
    ExternalDocument,
    InlineDocument,
    OneDocument,
    PlainValue,
    UploadDocument,
)
from connector.errors import InputError

TASKLIST_REFERENCE: dict[str, Any] = {
    "camunda.document.type": "camunda",
    "storeId": "in-memory",
    "documentId": "5b1bfc7d-4b54-4dd8-b5f8-2c8a7c1a0e4a",
    "contentHash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "metadata": {
        "contentType": "application/pdf",
        "fileName": "invoice.pdf",
        "expiresAt": None,
        "size": 1234,
        "processDefinitionId": "invoice-process",
        "processInstanceKey": 2251799813690746,
        "customProperties": {},
    },
}


ONE_DOCUMENT: TypeAdapter[Any] = TypeAdapter(OneDocument)
UPLOAD_DOCUMENT: TypeAdapter[Any] = TypeAdapter(UploadDocument)


def parse(value: Any) -> Any:
    return ONE_DOCUMENT.validate_python(value)


def invalid(value: Any) -> InputError:
    """The error an upload job gets for ``value`` as its ``action.document``."""
    variables = {"authentication": {"type": "anonymous"}, "action": {"bucket": "b-1", "document": value}}
    with pytest.raises(InputError) as info:
        bind(UploadJob, variables)
    assert info.value.code == "INVALID_DOCUMENT"
    assert info.value.retryable is False
    return info.value


class TestCamundaReferences:
    def test_a_tasklist_reference_parses_with_its_metadata(self) -> None:
        ref = parse(TASKLIST_REFERENCE)
        assert ref == CamundaDocument(
            document_id="5b1bfc7d-4b54-4dd8-b5f8-2c8a7c1a0e4a",
            store_id="in-memory",
            content_hash=TASKLIST_REFERENCE["contentHash"],
            metadata=DocumentMetadata(
                content_type="application/pdf",
                file_name="invoice.pdf",
                size=1234,
                process_definition_id="invoice-process",
                process_instance_key=2251799813690746,
            ),
        )

    def test_to_json_omits_null_and_empty_metadata_like_camunda(self) -> None:
        ref = parse(TASKLIST_REFERENCE)
        assert isinstance(ref, CamundaDocument)
        expected = {**TASKLIST_REFERENCE, "metadata": dict(TASKLIST_REFERENCE["metadata"])}
        del expected["metadata"]["expiresAt"], expected["metadata"]["customProperties"]
        assert ref.to_json() == expected

    def test_content_hash_may_be_null_and_unknown_properties_are_ignored(self) -> None:
        value = {**TASKLIST_REFERENCE, "contentHash": None, "somethingNew": 1}
        ref = parse(value)
        assert isinstance(ref, CamundaDocument)
        assert ref.content_hash is None
        assert "contentHash" not in ref.to_json()

    def test_a_rest_api_reference_with_a_string_instance_key_keeps_it(self) -> None:
        value = {
            **TASKLIST_REFERENCE,
            "metadata": {"processInstanceKey": "2251799813690746", "customProperties": {"a": 1}},
        }
        ref = parse(value)
        assert isinstance(ref, CamundaDocument)
        assert ref.to_json()["metadata"] == {"processInstanceKey": "2251799813690746", "customProperties": {"a": 1}}

    def test_missing_document_id_names_the_sub_field(self) -> None:
        error = invalid({"camunda.document.type": "camunda", "storeId": "in-memory"})
        assert "action.document.documentId" in error.message

    @pytest.mark.parametrize(
        ("metadata", "sub_field"),
        [
            ({"size": "12"}, "metadata.size"),
            ({"size": -1}, "metadata.size"),
            ({"size": True}, "metadata.size"),
            ({"fileName": 7}, "metadata.fileName"),
            ({"customProperties": []}, "metadata.customProperties"),
            ({"processInstanceKey": 1.5}, "metadata.processInstanceKey"),
        ],
    )
    def test_mistyped_metadata_names_the_sub_field(self, metadata: dict[str, Any], sub_field: str) -> None:
        error = invalid({**TASKLIST_REFERENCE, "metadata": metadata})
        assert f"action.document.{sub_field}" in error.message

    def test_metadata_must_be_an_object(self) -> None:
        assert "action.document.metadata" in invalid({**TASKLIST_REFERENCE, "metadata": "x"}).message


class TestInlineAndExternal:
    def test_inline_text_is_kept(self) -> None:
        value = {"camunda.document.type": "inline", "content": "héllo", "name": "a.txt", "contentType": "text/plain"}
        assert parse(value) == InlineDocument(content="héllo", name="a.txt", content_type="text/plain")

    @pytest.mark.parametrize(
        ("content", "text"), [({"a": [1, "ü"]}, '{"a":[1,"ü"]}'), (12, "12"), (False, "false"), ([], "[]")]
    )
    def test_other_inline_json_becomes_compact_json_text(self, content: Any, text: str) -> None:
        ref = parse({"camunda.document.type": "inline", "content": content})
        assert ref == InlineDocument(content=text)

    def test_inline_content_is_required(self) -> None:
        assert "action.document.content" in invalid({"camunda.document.type": "inline", "content": None}).message

    def test_external_url(self) -> None:
        value = {"camunda.document.type": "external", "url": "https://example.com/a.pdf", "name": "b.pdf"}
        assert parse(value) == ExternalDocument(url="https://example.com/a.pdf", name="b.pdf")

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "ftp://example.com/a", "/relative", "https://", "http://[::1"]
    )
    def test_external_url_must_be_absolute_http_or_https(self, url: str) -> None:
        assert "action.document.url" in invalid({"camunda.document.type": "external", "url": url}).message

    def test_external_url_is_required(self) -> None:
        assert "action.document.url: required" in invalid({"camunda.document.type": "external"}).message


class TestShapes:
    def test_a_one_element_list_is_one_document(self) -> None:
        ref = parse([TASKLIST_REFERENCE])
        assert isinstance(ref, CamundaDocument)

    def test_an_error_inside_a_one_element_list_names_the_field(self) -> None:
        error = invalid([{"camunda.document.type": "camunda"}])
        assert "action.document.documentId: required" in error.message

    @pytest.mark.parametrize("value", [[], [TASKLIST_REFERENCE, TASKLIST_REFERENCE]])
    def test_lists_of_other_lengths_are_refused(self, value: list[Any]) -> None:
        assert "exactly one document" in invalid(value).message

    def test_null_is_refused(self) -> None:
        assert "- action.document: must not be null" in invalid(None).message

    @pytest.mark.parametrize("value", ["text", 3, {"documentId": "x"}])
    def test_where_a_reference_is_required_other_values_are_refused(self, value: Any) -> None:
        with pytest.raises(ValueError, match=r"Unable to extract tag"):
            parse(value)

    @pytest.mark.parametrize("value", ["text", 3, {"documentId": "x"}, [{"a": 1}]])
    def test_an_upload_takes_them_as_plain_values(self, value: Any) -> None:
        expected = value[0] if isinstance(value, list) else value
        assert UPLOAD_DOCUMENT.validate_python(value) == PlainValue(expected)

    def test_an_unknown_type_names_the_discriminator(self) -> None:
        error = invalid({"camunda.document.type": "s3"})
        assert "action.document.camunda.document.type" in error.message
        assert "'s3'" in error.message

    def test_to_json_round_trips_a_reference(self) -> None:
        ref = parse(TASKLIST_REFERENCE)
        assert parse(ref.to_json()) == ref
