"""s3:// URIs and key templates as our task types bind them, and the Camunda type left exactly
as Camunda defines it. Every problem names its field; nothing here sends a request."""

from __future__ import annotations

from typing import Any

import pytest

from connector.actions.binding import bind
from connector.actions.inputs import CamundaJob
from connector.actions.inputs.addressed import OwnDeleteJob, OwnDownloadJob, OwnUploadJob
from connector.actions.inputs.copying import CopyJob
from connector.actions.inputs.inspecting import HeadJob, PresignJob
from connector.actions.inputs.listing import ListJob
from connector.errors import InputError

AUTH = {"type": "credentials", "accessKey": "AKIAEXAMPLE", "secretKey": "wJalrXUtnFEMI-distinctive"}


def bound(model: Any, action: dict[str, Any]) -> Any:
    return bind(model, {"authentication": AUTH, "action": action}).action


def problem(model: Any, action: dict[str, Any]) -> str:
    with pytest.raises(InputError) as raised:
        bound(model, action)
    assert raised.value.retryable is False and raised.value.code == "INVALID_INPUT"
    return raised.value.message


ONE_OBJECT = [OwnDownloadJob, HeadJob, PresignJob, OwnDeleteJob]


class TestUris:
    @pytest.mark.parametrize("model", ONE_OBJECT)
    @pytest.mark.parametrize(
        ("uri", "key"),
        [
            ("s3://my-bucket/with space/file name.txt", "with space/file name.txt"),
            ("s3://my-bucket/ünïcödé/日本語/🚀.bin", "ünïcödé/日本語/🚀.bin"),
            ("s3://my-bucket/100%25 done/a%20b", "100%25 done/a%20b"),
            ("s3://my-bucket/a#b?c=d&e", "a#b?c=d&e"),
            ("s3://my-bucket/folder/", "folder/"),
        ],
    )
    def test_a_uri_names_bucket_and_key_literally(self, model: Any, uri: str, key: str) -> None:
        action = bound(model, {"uri": uri})
        assert (action.bucket, action.key) == ("my-bucket", key)

    @pytest.mark.parametrize("model", ONE_OBJECT)
    def test_a_uri_and_an_agreeing_bucket_and_key(self, model: Any) -> None:
        action = bound(model, {"uri": "s3://my-bucket/k", "bucket": "my-bucket", "key": "k"})
        assert (action.bucket, action.key) == ("my-bucket", "k")

    @pytest.mark.parametrize("model", ONE_OBJECT)
    @pytest.mark.parametrize(
        ("extra", "fragment"),
        [
            ({"bucket": "other-bucket"}, "action.uri: names bucket 'my-bucket' but action.bucket is 'other-bucket'"),
            ({"key": "other"}, "action.uri: names key 'k' but action.key is 'other'"),
        ],
    )
    def test_a_uri_that_disagrees_is_an_input_error(self, model: Any, extra: dict[str, str], fragment: str) -> None:
        assert fragment in problem(model, {"uri": "s3://my-bucket/k", **extra})

    @pytest.mark.parametrize("model", [OwnDownloadJob, HeadJob, PresignJob])
    @pytest.mark.parametrize(
        ("uri", "fragment"),
        [
            ("s3://my-bucket", "action.uri: must name an object: s3://bucket/key"),
            ("s3://my-bucket/", "action.uri: must name an object"),
            ("https://my-bucket.s3.amazonaws.com/k", "action.uri: must be an s3:// URI"),
            ("s3://Bad_Bucket/k", "action.uri: bucket name 'Bad_Bucket'"),
            ("s3://my-bucket/" + "k" * 1025, "action.uri: object key must be at most 1024 bytes"),
            ("s3://my-bucket/a\x00b", "action.uri: object key must not contain a NUL"),
        ],
    )
    def test_bad_uris_name_the_uri(self, model: Any, uri: str, fragment: str) -> None:
        assert fragment in problem(model, {"uri": uri})

    def test_a_uri_that_is_not_a_string(self) -> None:
        assert "action.uri: must be a string" in problem(HeadJob, {"uri": 42})

    def test_a_blank_uri_is_not_given(self) -> None:
        assert bound(HeadJob, {"uri": " ", "bucket": "my-bucket", "key": "k"}).key == "k"

    def test_without_bucket_or_uri_the_bucket_is_required(self) -> None:
        assert "- action.bucket: required" in problem(HeadJob, {"key": "k"})

    def test_list_takes_a_prefix_from_the_uri(self) -> None:
        action = bound(ListJob, {"uri": "s3://my-bucket/in/2026 ü/"})
        assert (action.bucket, action.prefix) == ("my-bucket", "in/2026 ü/")
        assert bound(ListJob, {"uri": "s3://my-bucket"}).prefix == ""
        assert "action.uri: names prefix 'a/'" in problem(ListJob, {"uri": "s3://my-bucket/a/", "prefix": "b/"})

    def test_copy_takes_source_and_target_uris(self) -> None:
        action = bound(CopyJob, {"sourceUri": "s3://src-bucket/in/a b.pdf", "targetUri": "s3://dst-bucket/out/x.pdf"})
        assert (action.source.bucket, action.source.key) == ("src-bucket", "in/a b.pdf")
        assert (action.target.bucket, action.target.key) == ("dst-bucket", "out/x.pdf")
        conflict = problem(CopyJob, {"sourceUri": "s3://src-bucket/a", "source": {"key": "b"}, "target": {"key": "c"}})
        assert "action.sourceUri: names key 'a' but action.source.key is 'b'" in conflict

    def test_a_folder_target_uri_keeps_the_folder_for_the_file_name(self) -> None:
        action = bound(CopyJob, {"sourceUri": "s3://src-bucket/in/a.pdf", "targetUri": "s3://dst-bucket/archive/"})
        assert (action.target.bucket, action.target.key, action.target_folder) == ("dst-bucket", None, "archive/")

    def test_an_upload_uri_may_name_a_folder_for_the_documents_file_name(self) -> None:
        action = bound(OwnUploadJob, {"uri": "s3://my-bucket/incoming/", "document": "x"})
        assert (action.bucket, action.key, action.folder) == ("my-bucket", None, "incoming/")
        keyed = bound(OwnUploadJob, {"uri": "s3://my-bucket/incoming/a.txt", "document": "x"})
        assert (keyed.key, keyed.folder) == ("incoming/a.txt", "")
        both = problem(OwnUploadJob, {"uri": "s3://my-bucket/incoming/", "key": "x", "document": "x"})
        assert "action.uri: names a folder, and a key is given too" in both

    def test_many_keys_take_a_bucket_only_uri(self) -> None:
        action = bound(OwnDeleteJob, {"uri": "s3://my-bucket", "keys": ["a", "b"]})
        assert (action.bucket, [k.key for k in action.keys]) == ("my-bucket", ["a", "b"])
        assert "action.keys: give either action.key (or a key in action.uri)" in problem(
            OwnDeleteJob, {"uri": "s3://my-bucket/a", "keys": ["b"]}
        )


class TestCamundaTypeIsUnchanged:
    def test_a_uri_is_not_an_input_of_camundas_type(self) -> None:
        with pytest.raises(InputError, match=r"- action.bucket: required"):
            bind(
                CamundaJob,
                {"authentication": AUTH, "actionDiscriminator": "deleteObject", "action": {"uri": "s3://b-1/k"}},
            )

    def test_a_key_template_is_not_an_input_of_camundas_type(self) -> None:
        job = bind(
            CamundaJob,
            {
                "authentication": AUTH,
                "actionDiscriminator": "uploadObject",
                "action": {"bucket": "my-bucket", "key": "{nope}", "keyTemplate": "{date}", "document": "x"},
            },
        )
        assert job.action.key == "{nope}" and not hasattr(job.action, "keyTemplate")

    def test_many_keys_are_not_an_input_of_camundas_type(self) -> None:
        with pytest.raises(InputError, match=r"- action.key: required"):
            bind(
                CamundaJob,
                {
                    "authentication": AUTH,
                    "actionDiscriminator": "deleteObject",
                    "action": {"bucket": "b-1", "keys": ["k"]},
                },
            )


class TestKeyTemplateInputs:
    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"keyTemplate": "{nope}"}, "action.keyTemplate: unknown placeholder {nope}; allowed: {date}"),
            ({"keyTemplate": "a/{date"}, "action.keyTemplate: unbalanced '{' at position 2"),
            ({"keyTemplate": "x", "key": "y"}, "action.keyTemplate: give either action.key"),
            ({"keyTemplate": "x", "uri": "s3://my-bucket/k"}, "action.keyTemplate: give either action.key"),
            ({"keyTemplate": "x", "uri": "s3://my-bucket/in/"}, "action.uri: with action.keyTemplate, name only"),
            ({"keyTemplate": "{date}", "timeZone": "Mars/Base"}, "action.timeZone: unknown time zone 'Mars/Base'"),
            ({"key": "k", "timeZone": "UTC"}, "action.timeZone: applies only to action.keyTemplate"),
        ],
    )
    def test_upload_template_problems(self, action: dict[str, Any], fragment: str) -> None:
        assert fragment in problem(OwnUploadJob, {"bucket": "my-bucket", "document": "x", **action})

    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"target": {"keyTemplate": "{x}"}}, "action.target.keyTemplate: unknown placeholder {x}"),
            ({"target": {"key": "a", "keyTemplate": "b"}}, "action.target.keyTemplate: give either target.key"),
            ({"target": {}}, "action.target.key: required (or target.keyTemplate, or targetUri)"),
            ({"target": {"keyTemplate": "b"}, "targetUri": "s3://my-bucket/f/"}, "action.targetUri: with target"),
            ({"target": {"key": "b"}, "timeZone": "UTC"}, "action.timeZone: applies only to target.keyTemplate"),
            ({"target": {"key": "b"}, "metadata": {"a": "b"}}, "action.metadataDirective: must be REPLACE"),
            ({"target": {"key": "b"}, "contentType": "text/plain"}, "action.metadataDirective: must be REPLACE"),
            ({"target": {"key": "b"}, "kmsKeyId": "k"}, "action.kmsKeyId: needs serverSideEncryption"),
            ({"target": {"key": "b"}, "metadataDirective": "MERGE"}, "action.metadataDirective"),
        ],
    )
    def test_copy_problems(self, action: dict[str, Any], fragment: str) -> None:
        assert fragment in problem(CopyJob, {"source": {"bucket": "my-bucket", "key": "a"}, **action})

    def test_a_copy_target_defaults_to_the_source_bucket(self) -> None:
        action = bound(CopyJob, {"source": {"bucket": "my-bucket", "key": "a"}, "target": {"key": "b"}})
        assert action.target.bucket == "my-bucket"


class TestOtherInputs:
    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"maxKeys": 0}, "action.maxKeys"),
            ({"maxKeys": 1001}, "action.maxKeys"),
            ({"continuationToken": "~s3c1~!!"}, "action.continuationToken: is damaged"),
            ({"prefix": "p" * 1025}, "action.prefix: must be at most 1024 bytes"),
        ],
    )
    def test_list(self, action: dict[str, Any], fragment: str) -> None:
        assert fragment in problem(ListJob, {"bucket": "my-bucket", **action})

    def test_a_prefix_is_kept_as_given(self) -> None:
        assert bound(ListJob, {"bucket": "my-bucket", "prefix": " a/"}).prefix == " a/"

    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"expiresIn": "PT0S"}, "action.expiresIn: must be between PT1S and P7D"),
            ({"expiresIn": "P8D"}, "action.expiresIn: must be between PT1S and P7D"),
            ({"expiresIn": "P7DT1S"}, "action.expiresIn: must be between PT1S and P7D"),
            ({"expiresIn": "soon"}, "action.expiresIn"),
            ({"method": "DELETE"}, "action.method"),
            ({"method": "PUT", "versionId": "v"}, "action.versionId: applies only to GET"),
        ],
    )
    def test_presign(self, action: dict[str, Any], fragment: str) -> None:
        assert fragment in problem(PresignJob, {"bucket": "my-bucket", "key": "k", **action})

    @pytest.mark.parametrize(("given", "seconds"), [(None, 900), ("", 900), ("P7D", 604_800), ("PT1S", 1)])
    def test_presign_expiry(self, given: str | None, seconds: int) -> None:
        action: dict[str, Any] = {"bucket": "my-bucket", "key": "k", "method": "put"}
        if given is not None:
            action["expiresIn"] = given
        presign = bound(PresignJob, action)
        assert (presign.expires_s, presign.method) == (seconds, "PUT")

    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"keys": []}, "action.keys: must hold 1 to 1000 keys (one DeleteObjects request), got 0"),
            ({"keys": [f"k{i}" for i in range(1001)]}, "action.keys: must hold 1 to 1000 keys"),
            ({"keys": ["a", ""]}, "action.keys.1.key: object key must not be empty"),
            ({"keys": [{"versionId": "v"}]}, "action.keys.0.key: required"),
            ({"keys": ["a"], "versionId": "v"}, "action.versionId: with action.keys, give each entry its own"),
            ({}, "action.key: required (or action.keys to delete many)"),
        ],
    )
    def test_delete_many(self, action: dict[str, Any], fragment: str) -> None:
        assert fragment in problem(OwnDeleteJob, {"bucket": "my-bucket", **action})

    def test_delete_many_takes_keys_and_versions(self) -> None:
        action = bound(OwnDeleteJob, {"bucket": "my-bucket", "keys": ["a", {"key": "b", "versionId": "v1"}]})
        assert [(k.key, k.versionId) for k in action.keys] == [("a", None), ("b", "v1")]
