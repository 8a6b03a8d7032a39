"""Inputs of every template version bind to the same models, with field paths in errors."""

from typing import Any

import pytest

from connector.actions.binding import bind
from connector.actions.camunda import discriminator, download_format, repaired_document, resolve_target
from connector.actions.documents import upload_body
from connector.actions.models import DownloadAction, UploadAction
from connector.actions.policy import S3Policy, endpoint_allowed
from connector.errors import InputError

AUTH = {"type": "credentials", "accessKey": "AKIAEXAMPLE", "secretKey": "wJalrXUtnFEMI-distinctive"}


class TestBinding:
    def test_missing_bucket_names_the_field(self) -> None:
        with pytest.raises(InputError) as info:
            bind(DownloadAction, {"key": "k"}, "action")
        assert "action.bucket" in info.value.message and info.value.retryable is False

    def test_invalid_bucket_name_names_the_rule(self) -> None:
        with pytest.raises(InputError) as info:
            bind(DownloadAction, {"bucket": "Bad_Bucket", "key": "k"}, "action")
        assert "action.bucket" in info.value.message

    def test_messages_never_echo_credentials(self) -> None:
        with pytest.raises(InputError) as info:
            resolve_target(
                {"authentication": {"type": "bogus", "accessKey": "AKIAEXAMPLE", "secretKey": AUTH["secretKey"]}}
            )
        assert "authentication.type" in info.value.message
        assert AUTH["secretKey"] not in info.value.message and "AKIAEXAMPLE" not in info.value.message

    def test_credentials_require_both_keys(self) -> None:
        with pytest.raises(InputError, match="secretKey"):
            resolve_target({"authentication": {"accessKey": "A"}})

    def test_blank_key_for_upload_means_absent(self) -> None:
        assert bind(UploadAction, {"bucket": "my-bucket", "key": "  "}, "action").key is None


class TestTemplateShapes:
    def test_missing_type_means_credentials_like_camunda(self) -> None:
        target = resolve_target(
            {"authentication": {"accessKey": "A", "secretKey": "B"}, "configuration": {"region": "eu-central-1"}}
        )
        assert target.authentication.type == "credentials" and target.region == "eu-central-1"

    def test_v6_aws_credential_takes_precedence_but_endpoint_stays(self) -> None:
        target = resolve_target(
            {
                "authentication": {"accessKey": "inline", "secretKey": "inline"},
                "configuration": {"endpoint": "http://127.0.0.1:9000"},
                "awsCredential": {"authentication": AUTH, "region": "eu-west-1"},
            }
        )
        assert target.region == "eu-west-1" and target.endpoint == "http://127.0.0.1:9000"
        assert target.authentication.accessKey is not None
        assert target.authentication.accessKey.get_secret_value() == "AKIAEXAMPLE"

    def test_missing_authentication(self) -> None:
        with pytest.raises(InputError, match="- authentication: required"):
            resolve_target({"configuration": {"region": "us-east-1"}})

    @pytest.mark.parametrize("value", [None, "listObjects", 3])
    def test_unknown_discriminator(self, value: Any) -> None:
        with pytest.raises(InputError, match="actionDiscriminator"):
            discriminator({"actionDiscriminator": value})

    def test_v3_to_v6_null_document_rebuilt_from_inline_helpers(self) -> None:
        action = {
            "bucket": "b",
            "action_document_documentSource": "inline",
            "action_document_inline_content": "hello",
            "action_document_inline_fileName": "a.txt",
            "document": None,
        }
        assert repaired_document(action) == {
            "camunda.document.type": "inline",
            "content": "hello",
            "name": "a.txt",
            "contentType": None,
        }

    def test_v3_to_v6_camunda_reference_helper(self) -> None:
        ref = {"camunda.document.type": "camunda", "documentId": "d"}
        action = {
            "action_document_documentSource": "camunda",
            "action_document_camundaReference": ref,
            "document": None,
        }
        assert repaired_document(action) == ref

    def test_download_format_v5_choice_wins_over_legacy_as_file(self) -> None:
        fmt = download_format({"documentReturnFormat": {"choice": "TEXT", "encoding": "ISO-8859-1"}}, {"asFile": True})
        assert (fmt.mode, fmt.encoding) == ("TEXT", "ISO-8859-1")
        assert download_format({}, {"asFile": True}).mode == "DOCUMENT"
        assert download_format({"documentReturnFormat": {"choice": ""}}, {"asFile": False}).mode == "AUTO"

    def test_invalid_return_format(self) -> None:
        with pytest.raises(InputError, match=r"documentReturnFormat\.choice"):
            download_format({"documentReturnFormat": {"choice": "XML"}}, {})


class TestUploadBody:
    def test_inline_reference(self) -> None:
        body = upload_body(
            {"camunda.document.type": "inline", "content": "hi", "name": "a.txt", "contentType": "text/x"}
        )
        assert (body.data, body.file_name, body.content_type) == (b"hi", "a.txt", "text/x")

    def test_inline_json_content_becomes_compact_json(self) -> None:
        assert upload_body({"camunda.document.type": "inline", "content": {"a": [1, 2]}}).data == b'{"a":[1,2]}'

    def test_one_element_list_like_camunda(self) -> None:
        assert upload_body([{"camunda.document.type": "inline", "content": "x"}]).data == b"x"

    def test_plain_values(self) -> None:
        assert upload_body("héllo").data == "héllo".encode()
        body = upload_body({"order": 1})
        assert (body.data, body.fallback_content_type) == (b'{"order":1}', "application/json")

    @pytest.mark.parametrize(
        ("document", "fragment"),
        [
            (None, "must not be null"),
            ([1, 2], "exactly one"),
            ({"camunda.document.type": "inline"}, "content"),
            ({"camunda.document.type": "weird"}, "camunda.document.type"),
            ({"camunda.document.type": "camunda", "documentId": "x"}, "expected an inline document"),
        ],
    )
    def test_bad_documents(self, document: Any, fragment: str) -> None:
        with pytest.raises(InputError) as info:
            upload_body(document)
        assert fragment in info.value.message and "action.document" in info.value.message


class TestEndpointPolicy:
    """Pure checks on strings: nothing here opens a connection."""

    @pytest.mark.parametrize(
        "endpoint",
        ["http://169.254.169.254/latest", "http://10.0.0.5:9000", "http://localhost:9000", "https://evil.example"],
    )
    def test_refused_unless_allowed(self, endpoint: str) -> None:
        assert not endpoint_allowed(endpoint, None, ())
        with pytest.raises(InputError) as info:
            S3Policy().check_endpoint(endpoint)
        assert "S3_CONNECTOR_ALLOWED_ENDPOINTS" in info.value.message and "configuration.endpoint" in info.value.message

    def test_operator_default_is_always_allowed(self) -> None:
        assert endpoint_allowed("http://minio:9000/", "http://MINIO:9000", ())

    def test_allow_list_matches_origin_and_path_prefix(self) -> None:
        allowed = ("https://s3.internal:8443/tenant-a",)
        assert endpoint_allowed("https://s3.internal:8443/tenant-a", None, allowed)
        assert endpoint_allowed("https://s3.internal:8443/tenant-a/sub", None, allowed)
        assert not endpoint_allowed("https://s3.internal:8443/tenant-ab", None, allowed)
        assert not endpoint_allowed("http://s3.internal:8443/tenant-a", None, allowed)
        assert not endpoint_allowed("https://s3.internal/tenant-a", None, allowed)

    def test_default_port_is_normalised(self) -> None:
        assert endpoint_allowed("https://s3.example.com:443", None, ("https://s3.example.com",))

    def test_default_credentials_refusal_names_the_setting(self) -> None:
        with pytest.raises(InputError, match="S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS"):
            S3Policy().check_default_credentials()
        S3Policy(allow_default_credentials=True).check_default_credentials()


class TestRegions:
    def test_aws_region_format_checked_without_endpoint(self) -> None:
        with pytest.raises(InputError, match=r"configuration\.region"):
            resolve_target({"authentication": AUTH, "configuration": {"region": "Mars 1"}})

    def test_s3_compatible_region_names_pass_with_custom_endpoint(self) -> None:
        target = resolve_target(
            {"authentication": AUTH, "configuration": {"region": "auto", "endpoint": "https://r2.example"}}
        )
        assert target.region == "auto"

    def test_aws_credential_region_checked_too(self) -> None:
        with pytest.raises(InputError, match=r"awsCredential\.region"):
            resolve_target({"awsCredential": {"authentication": AUTH, "region": "nowhere"}})


class TestAutoReturnFormat:
    def test_auto_choice_types_by_content_type(self) -> None:
        assert download_format({"documentReturnFormat": {"choice": "AUTO"}}, {"asFile": True}).mode == "AUTO"


class TestV8RegionOverride:
    def test_configuration_region_overrides_the_credential_region(self) -> None:
        target = resolve_target(
            {
                "awsCredential": {"authentication": AUTH, "region": "eu-west-1"},
                "configuration": {"region": "ap-south-1"},
            }
        )
        assert target.region == "ap-south-1"


class TestBlankOptionalText:
    def test_blank_optional_text_is_absent_not_a_crash(self) -> None:
        action = bind(UploadAction, {"bucket": "my-bucket", "contentType": "  ", "kmsKeyId": ""}, "action")
        assert action.contentType is None and action.kmsKeyId is None
        assert bind(DownloadAction, {"bucket": "my-bucket", "key": "k", "versionId": ""}, "action").versionId is None

    def test_overlong_text_names_the_field(self) -> None:
        with pytest.raises(InputError, match=r"action\.cacheControl"):
            bind(UploadAction, {"bucket": "my-bucket", "cacheControl": "x" * 2000}, "action")
