"""s3:// URIs, taken literally after the bucket as the AWS CLI does."""

from __future__ import annotations

import pytest

from connector.s3.uris import S3Uri, parse_s3_uri, s3_uri


@pytest.mark.parametrize(
    ("text", "bucket", "key"),
    [
        ("s3://my-bucket/path/file.txt", "my-bucket", "path/file.txt"),
        ("s3://my-bucket/with space/and+plus=sign.txt", "my-bucket", "with space/and+plus=sign.txt"),
        ("s3://my-bucket/ünïcödé/日本語/🚀.bin", "my-bucket", "ünïcödé/日本語/🚀.bin"),
        # Percent signs are part of the key: no decoding.
        ("s3://my-bucket/100%25/a%20b", "my-bucket", "100%25/a%20b"),
        # '#' and '?' are not a fragment or a query here.
        ("s3://my-bucket/a#b?c=d", "my-bucket", "a#b?c=d"),
        ("s3://my-bucket/folder/", "my-bucket", "folder/"),
        ("s3://my-bucket//leading-slash", "my-bucket", "/leading-slash"),
        ("s3://my-bucket/", "my-bucket", ""),
        ("s3://my-bucket", "my-bucket", ""),
        ("S3://my-bucket/k", "my-bucket", "k"),
    ],
)
def test_parse(text: str, bucket: str, key: str) -> None:
    assert parse_s3_uri(text) == S3Uri(bucket, key)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("https://my-bucket.s3.amazonaws.com/k", "it has 'https://'"),
        ("my-bucket/key", "it has no scheme"),
        ("s3:/my-bucket/key", "it has no scheme"),
        ("s3a://my-bucket/key", "it has 's3a://'"),
        ("s3://", "must name a bucket"),
        ("s3:///key", "must name a bucket"),
    ],
)
def test_not_an_s3_uri(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match="s3://") as raised:
        parse_s3_uri(text)
    assert problem in str(raised.value)


@pytest.mark.parametrize(("key", "folder"), [("", True), ("a/", True), ("a", False), ("a/b.txt", False)])
def test_folders(key: str, folder: bool) -> None:
    assert S3Uri("b", key).is_folder is folder


def test_written_uris_read_back() -> None:
    for key in ["a b/c%20#?.txt", "x/", ""]:
        assert parse_s3_uri(s3_uri("my-bucket", key)) == S3Uri("my-bucket", key)
