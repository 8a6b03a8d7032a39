"""Document references as Camunda writes them into process variables."""

from __future__ import annotations

from typing import Any

import pytest

from connector.documents.references import (
    CamundaDocumentRef,
    DocumentMetadata,
    ExternalDocumentRef,
    InlineDocumentRef,
    is_document_ref,
    parse_document_ref,
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


def invalid(value: Any, field: str = "action.document") -> InputError:
    with pytest.raises(InputError) as info:
        parse_document_ref(value, field)
    assert info.value.code == "INVALID_DOCUMENT"
    assert info.value.retryable is False
    return info.value


class TestCamundaReferences:
    def test_a_tasklist_reference_parses_with_its_metadata(self) -> None:
        ref = parse_document_ref(TASKLIST_REFERENCE, "action.document")
        assert ref == CamundaDocumentRef(
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
        ref = parse_document_ref(TASKLIST_REFERENCE, "action.document")
        assert isinstance(ref, CamundaDocumentRef)
        expected = {**TASKLIST_REFERENCE, "metadata": dict(TASKLIST_REFERENCE["metadata"])}
        del expected["metadata"]["expiresAt"], expected["metadata"]["customProperties"]
        assert ref.to_json() == expected

    def test_content_hash_may_be_null_and_unknown_properties_are_ignored(self) -> None:
        value = {**TASKLIST_REFERENCE, "contentHash": None, "somethingNew": 1}
        ref = parse_document_ref(value, "action.document")
        assert isinstance(ref, CamundaDocumentRef)
        assert ref.content_hash is None
        assert "contentHash" not in ref.to_json()

    def test_a_rest_api_reference_with_a_string_instance_key_keeps_it(self) -> None:
        value = {
            **TASKLIST_REFERENCE,
            "metadata": {"processInstanceKey": "2251799813690746", "customProperties": {"a": 1}},
        }
        ref = parse_document_ref(value, "action.document")
        assert isinstance(ref, CamundaDocumentRef)
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
        assert parse_document_ref(value, "d") == InlineDocumentRef("héllo", "a.txt", "text/plain")

    @pytest.mark.parametrize(
        ("content", "text"), [({"a": [1, "ü"]}, '{"a":[1,"ü"]}'), (12, "12"), (False, "false"), ([], "[]")]
    )
    def test_other_inline_json_becomes_compact_json_text(self, content: Any, text: str) -> None:
        ref = parse_document_ref({"camunda.document.type": "inline", "content": content}, "d")
        assert ref == InlineDocumentRef(text)

    def test_inline_content_is_required(self) -> None:
        assert "d.content" in invalid({"camunda.document.type": "inline", "content": None}, "d").message

    def test_external_url(self) -> None:
        value = {"camunda.document.type": "external", "url": "https://example.com/a.pdf", "name": "b.pdf"}
        assert parse_document_ref(value, "d") == ExternalDocumentRef("https://example.com/a.pdf", "b.pdf")

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "ftp://example.com/a", "/relative", "https://", "http://[::1"]
    )
    def test_external_url_must_be_absolute_http_or_https(self, url: str) -> None:
        assert "d.url" in invalid({"camunda.document.type": "external", "url": url}, "d").message

    def test_external_url_is_required(self) -> None:
        assert "d.url" in invalid({"camunda.document.type": "external"}, "d").message


class TestShapes:
    def test_a_one_element_list_is_one_document(self) -> None:
        ref = parse_document_ref([TASKLIST_REFERENCE], "action.document")
        assert isinstance(ref, CamundaDocumentRef)

    def test_an_error_inside_a_list_names_the_element(self) -> None:
        error = invalid([{"camunda.document.type": "camunda"}])
        assert "action.document[0].documentId" in error.message

    @pytest.mark.parametrize("value", [[], [TASKLIST_REFERENCE, TASKLIST_REFERENCE]])
    def test_lists_of_other_lengths_are_refused(self, value: list[Any]) -> None:
        assert "exactly one document" in invalid(value).message

    @pytest.mark.parametrize("value", [None, "text", 3, {"documentId": "x"}])
    def test_non_references_are_refused(self, value: Any) -> None:
        assert "action.document" in invalid(value).message

    def test_an_unknown_type_names_the_discriminator(self) -> None:
        error = invalid({"camunda.document.type": "s3"})
        assert "action.document.camunda.document.type" in error.message
        assert "'s3'" in error.message

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ({"camunda.document.type": "anything"}, True),
            (TASKLIST_REFERENCE, True),
            ({"documentId": "x"}, False),
            ("camunda.document.type", False),
            ([TASKLIST_REFERENCE], False),
        ],
    )
    def test_is_document_ref_looks_for_the_discriminator_key(self, value: Any, expected: bool) -> None:
        assert is_document_ref(value) is expected
