"""Inputs of every template version bind to the same models, with field paths in errors."""

from typing import Any

import pytest

from connector.actions.binding import bind
from connector.actions.camunda import DownloadFormat
from connector.actions.connection import S3Job, S3Target
from connector.actions.inputs import CamundaJob, CamundaUpload, DownloadJob, UploadJob
from connector.actions.policy import S3Policy, endpoint_allowed
from connector.documents.references import InlineDocument, PlainValue
from connector.documents.sources import upload_body
from connector.errors import InputError

AUTH = {"type": "credentials", "accessKey": "AKIAEXAMPLE", "secretKey": "wJalrXUtnFEMI-distinctive"}


def resolve_target(variables: dict[str, Any]) -> S3Target:
    return bind(S3Job, variables).target


def upload(action: dict[str, Any]) -> UploadJob:
    return bind(UploadJob, {"authentication": AUTH, "action": {"bucket": "my-bucket", **action}})


def download_format(variables: dict[str, Any], action: dict[str, Any]) -> DownloadFormat:
    job = bind(DownloadJob, {"authentication": AUTH, **variables, "action": {"bucket": "b-1", "key": "k", **action}})
    return job.format


class TestBinding:
    def test_missing_bucket_names_the_field(self) -> None:
        with pytest.raises(InputError) as info:
            bind(DownloadJob, {"authentication": AUTH, "action": {"key": "k"}})
        assert "- action.bucket: required" in info.value.message and info.value.retryable is False

    def test_invalid_bucket_name_names_the_rule(self) -> None:
        with pytest.raises(InputError) as info:
            bind(DownloadJob, {"authentication": AUTH, "action": {"bucket": "Bad_Bucket", "key": "k"}})
        assert "action.bucket" in info.value.message

    @pytest.mark.parametrize(("action", "reason"), [(None, "required"), ("x", "must be an object")])
    def test_a_missing_or_odd_action_names_it(self, action: Any, reason: str) -> None:
        variables: dict[str, Any] = {"authentication": AUTH}
        if action is not None:
            variables["action"] = action
        with pytest.raises(InputError) as info:
            bind(UploadJob, variables)
        assert f"- action: {reason}" in info.value.message

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
        assert upload({"key": "  ", "document": "x"}).action.key is None


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

    def test_v6_empty_inline_authentication_beside_a_credential_is_ignored(self) -> None:
        target = resolve_target({"authentication": {"type": "credentials"}, "awsCredential": {"authentication": AUTH}})
        assert target.authentication.type == "credentials" and target.authentication.has_keys

    def test_missing_authentication(self) -> None:
        with pytest.raises(InputError, match="- authentication: required"):
            resolve_target({"configuration": {"region": "us-east-1"}})

    @pytest.mark.parametrize(
        ("value", "shown"), [(None, "(missing)"), ("listObjects", "got 'listObjects'"), (3, "got '3'")]
    )
    def test_unknown_discriminator(self, value: Any, shown: str) -> None:
        variables = {"authentication": AUTH, "action": {"bucket": "b-1", "key": "k"}}
        if value is not None:
            variables["actionDiscriminator"] = value
        with pytest.raises(InputError) as info:
            bind(CamundaJob, variables)
        assert "- actionDiscriminator: must be one of" in info.value.message and shown in info.value.message

    def test_the_discriminator_picks_the_action_model(self) -> None:
        variables = {"authentication": AUTH, "actionDiscriminator": "uploadObject"}
        job = bind(CamundaJob, {**variables, "action": {"bucket": "b-1", "document": "x"}})
        assert isinstance(job, CamundaUpload) and job.action.document == PlainValue("x")

    def test_errors_inside_a_camunda_action_name_the_field_without_the_tag(self) -> None:
        variables = {"authentication": AUTH, "actionDiscriminator": "deleteObject", "action": {"bucket": "b-1"}}
        with pytest.raises(InputError) as info:
            bind(CamundaJob, variables)
        assert info.value.message == "Invalid input:\n- action.key: required"

    def test_v3_to_v6_null_document_rebuilt_from_inline_helpers(self) -> None:
        job = upload(
            {
                "action_document_documentSource": "inline",
                "action_document_inline_content": "hello",
                "action_document_inline_fileName": "a.txt",
                "document": None,
            }
        )
        assert job.action.document == InlineDocument(content="hello", name="a.txt")

    def test_v3_to_v6_camunda_reference_helper(self) -> None:
        ref = {"camunda.document.type": "camunda", "documentId": "d"}
        job = upload(
            {"action_document_documentSource": "camunda", "action_document_camundaReference": ref, "document": None}
        )
        assert job.action.document.to_json()["documentId"] == "d"  # type: ignore[union-attr]

    def test_no_document_and_no_helpers_is_an_input_error(self) -> None:
        with pytest.raises(InputError, match=r"- action\.document: must not be null"):
            upload({"document": None})

    def test_download_format_v5_choice_wins_over_legacy_as_file(self) -> None:
        fmt = download_format({"documentReturnFormat": {"choice": "TEXT", "encoding": "ISO-8859-1"}}, {"asFile": True})
        assert (fmt.mode, fmt.encoding) == ("TEXT", "ISO-8859-1")
        assert download_format({}, {"asFile": True}).mode == "DOCUMENT"
        assert download_format({"documentReturnFormat": {"choice": ""}}, {"asFile": False}).mode == "AUTO"

    def test_invalid_return_format(self) -> None:
        with pytest.raises(InputError, match=r"documentReturnFormat\.choice"):
            download_format({"documentReturnFormat": {"choice": "XML"}}, {})

    @pytest.mark.parametrize("value", ["true", 1, "yes"])
    def test_as_file_must_be_a_boolean(self, value: Any) -> None:
        with pytest.raises(InputError, match=r"- action\.asFile: must be true or false"):
            download_format({}, {"asFile": value})


def body_of(document: Any) -> Any:
    job = upload({"document": document})
    assert isinstance(job.action.document, (InlineDocument, PlainValue))
    return upload_body(job.action.document)


class TestUploadBody:
    def test_inline_reference(self) -> None:
        body = body_of({"camunda.document.type": "inline", "content": "hi", "name": "a.txt", "contentType": "text/x"})
        assert (body.data, body.file_name, body.content_type) == (b"hi", "a.txt", "text/x")

    def test_inline_json_content_becomes_compact_json(self) -> None:
        assert body_of({"camunda.document.type": "inline", "content": {"a": [1, 2]}}).data == b'{"a":[1,2]}'

    def test_one_element_list_like_camunda(self) -> None:
        assert body_of([{"camunda.document.type": "inline", "content": "x"}]).data == b"x"

    def test_plain_values(self) -> None:
        assert body_of("héllo").data == "héllo".encode()
        body = body_of({"order": 1})
        assert (body.data, body.fallback_content_type) == (b'{"order":1}', "application/json")

    @pytest.mark.parametrize(
        ("document", "fragment", "code"),
        [
            (None, "action.document: must not be null", "INVALID_DOCUMENT"),
            ([1, 2], "action.document: Value error, a list must hold exactly one document, got 2", "INVALID_DOCUMENT"),
            ({"camunda.document.type": "inline"}, "action.document.content", "INVALID_DOCUMENT"),
            (
                {"camunda.document.type": "weird"},
                "action.document.camunda.document.type: must be one of camunda, inline, external, got 'weird'",
                "INVALID_DOCUMENT",
            ),
        ],
    )
    def test_bad_documents(self, document: Any, fragment: str, code: str) -> None:
        with pytest.raises(InputError) as info:
            body_of(document)
        assert fragment.replace("Value error, ", "") in info.value.message
        assert info.value.code == code


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
        action = upload({"document": "x", "contentType": "  ", "kmsKeyId": ""}).action
        assert action.contentType is None and action.kmsKeyId is None
        job = bind(
            DownloadJob, {"authentication": AUTH, "action": {"bucket": "my-bucket", "key": "k", "versionId": ""}}
        )
        assert job.action.versionId is None

    def test_overlong_text_names_the_field(self) -> None:
        with pytest.raises(InputError, match=r"action\.cacheControl"):
            upload({"document": "x", "cacheControl": "x" * 2000})


class TestDurations:
    @pytest.mark.parametrize(
        ("field", "value", "reason"),
        [
            ("documentTimeToLive", "P1X", "expected an ISO-8601 duration"),
            ("documentTimeToLive", "PT0S", "must be positive"),
            ("documentLinkTimeToLive", 5, "must be an ISO-8601 duration"),
        ],
    )
    def test_bad_download_durations_name_the_field(self, field: str, value: Any, reason: str) -> None:
        with pytest.raises(InputError) as info:
            download_format({}, {field: value})
        assert f"- action.{field}: " in info.value.message and reason in info.value.message

    @pytest.mark.parametrize("value", ["PT0.5S", "P8D"])
    def test_presign_expiry_is_bounded(self, value: str) -> None:
        with pytest.raises(InputError, match=r"- action\.presignedLinkExpiry: must be between PT1S and P7D"):
            upload({"document": "x", "presignedLinkExpiry": value})

    def test_durations_are_held_in_milliseconds(self) -> None:
        assert upload({"document": "x", "presignedLinkExpiry": "PT1H"}).action.presignedLinkExpiry == 3_600_000
