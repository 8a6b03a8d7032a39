"""Object links are right for the region and endpoint, and their keys survive a round trip."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from connector.s3 import object_link, quote_key

TRICKY_KEYS = [
    "plain.txt",
    "folder/sub folder/file name.pdf",
    "a+b=c.txt",
    "hash#tag?.txt",
    "100%/done%20already.txt",
    "ümlaut/日本語/emoji-🚀.bin",
    "semi;colon,comma&amp'quote\".txt",
    "tilde~dash-under_score.dot",
    "trailing/",
    "double//slash",
]


def aws(bucket: str, key: str, region: str | None = "eu-central-1", path_style: bool = False) -> str:
    return object_link(bucket=bucket, key=key, region=region, endpoint_url=None, path_style=path_style)


class TestKeyEncoding:
    @pytest.mark.parametrize(
        ("key", "encoded"),
        [
            ("a b", "a%20b"),
            ("a+b", "a%2Bb"),
            ("a=b", "a%3Db"),
            ("a#b", "a%23b"),
            ("a?b", "a%3Fb"),
            ("100%", "100%25"),
            ("ü", "%C3%BC"),
            ("dir/file-1_v2.~txt", "dir/file-1_v2.~txt"),
        ],
    )
    def test_reserved_and_unicode_characters_are_percent_encoded(self, key: str, encoded: str) -> None:
        assert quote_key(key) == encoded

    @pytest.mark.parametrize("key", TRICKY_KEYS)
    @pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:9000", "https://minio.example.test/base/"])
    @pytest.mark.parametrize("path_style", [True, False])
    def test_the_key_comes_back_from_the_link_path(self, key: str, endpoint: str | None, path_style: bool) -> None:
        link = object_link(
            bucket="my-bucket", key=key, region="eu-central-1", endpoint_url=endpoint, path_style=path_style
        )

        parts = urlsplit(link)
        assert parts.query == ""
        assert parts.fragment == ""
        assert unquote(parts.path).endswith("/" + key)
        assert " " not in link


class TestAwsLinks:
    def test_virtual_hosted_regional_form(self) -> None:
        assert aws("my-bucket", "a b.txt") == "https://my-bucket.s3.eu-central-1.amazonaws.com/a%20b.txt"

    def test_us_east_1_uses_the_regional_form_too(self) -> None:
        assert aws("my-bucket", "k", region="us-east-1") == "https://my-bucket.s3.us-east-1.amazonaws.com/k"

    def test_missing_region_means_us_east_1(self) -> None:
        assert aws("my-bucket", "k", region=None) == "https://my-bucket.s3.us-east-1.amazonaws.com/k"

    def test_dotted_bucket_is_path_style_to_match_the_tls_certificate(self) -> None:
        assert aws("logs.example.com", "x/y.txt") == "https://s3.eu-central-1.amazonaws.com/logs.example.com/x/y.txt"

    def test_path_style_when_asked(self) -> None:
        assert aws("my-bucket", "k", path_style=True) == "https://s3.eu-central-1.amazonaws.com/my-bucket/k"

    def test_china_regions_use_their_domain(self) -> None:
        assert aws("my-bucket", "k", region="cn-north-1") == "https://my-bucket.s3.cn-north-1.amazonaws.com.cn/k"


class TestCustomEndpointLinks:
    def test_path_style_appends_bucket_and_key_to_the_endpoint(self) -> None:
        link = object_link(
            bucket="b1", key="a+b c", region="us-east-1", endpoint_url="http://127.0.0.1:9000/", path_style=True
        )

        assert link == "http://127.0.0.1:9000/b1/a%2Bb%20c"

    def test_endpoint_base_path_is_kept(self) -> None:
        link = object_link(
            bucket="b1", key="k", region=None, endpoint_url="https://gw.example.test/s3/", path_style=True
        )

        assert link == "https://gw.example.test/s3/b1/k"

    def test_virtual_hosted_puts_the_bucket_in_the_host(self) -> None:
        link = object_link(
            bucket="b1", key="dir/é.txt", region=None, endpoint_url="https://minio.example.test:9443", path_style=False
        )

        assert link == "https://b1.minio.example.test:9443/dir/%C3%A9.txt"

    @pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9000", "http://[::1]:9000"])
    def test_ip_literal_endpoints_are_always_path_style(self, endpoint: str) -> None:
        link = object_link(bucket="b1", key="k", region=None, endpoint_url=endpoint, path_style=False)

        assert link == f"{endpoint}/b1/k"

    def test_dotted_bucket_over_https_is_path_style(self) -> None:
        link = object_link(
            bucket="a.b", key="k", region=None, endpoint_url="https://store.example.test", path_style=False
        )

        assert link == "https://store.example.test/a.b/k"

    def test_userinfo_in_the_endpoint_never_reaches_the_link(self) -> None:
        link = object_link(
            bucket="b1", key="k", region=None, endpoint_url="http://user:pw@127.0.0.1:9000", path_style=True
        )

        assert link == "http://127.0.0.1:9000/b1/k"

    def test_non_http_endpoint_is_refused(self) -> None:
        with pytest.raises(ValueError):
            object_link(bucket="b1", key="k", region=None, endpoint_url="ftp://127.0.0.1", path_style=True)
