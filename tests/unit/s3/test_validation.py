"""Bucket names, keys, regions and endpoints are checked before any request is built."""

from __future__ import annotations

import pytest

from connector.s3 import bucket_name_problem, endpoint_problem, key_problem, region_problem


class TestBucketNames:
    @pytest.mark.parametrize(
        "name", ["abc", "my-bucket", "logs.example.com", "a1b2c3", "0-starts-with-digit", "x" * 63]
    )
    def test_valid_names(self, name: str) -> None:
        assert bucket_name_problem(name) is None

    @pytest.mark.parametrize(
        ("name", "fragment"),
        [
            ("ab", "3 to 63 characters"),
            ("x" * 64, "3 to 63 characters"),
            ("My-Bucket", "lowercase"),
            ("under_score", "lowercase"),
            ("space bucket", "lowercase"),
            ("-leading", "start and end"),
            ("trailing-", "start and end"),
            (".dotted", "start and end"),
            ("a..b", "adjacent dots"),
            ("192.168.5.4", "IP address"),
            ("xn--bucket", "prefix 'xn--'"),
            ("sthree-bucket", "prefix 'sthree-'"),
            ("bucket-s3alias", "suffix '-s3alias'"),
            ("bucket--ol-s3", "suffix '--ol-s3'"),
            ("bucket--x-s3", "suffix '--x-s3'"),
        ],
    )
    def test_invalid_names_say_which_rule(self, name: str, fragment: str) -> None:
        problem = bucket_name_problem(name)

        assert problem is not None
        assert fragment in problem
        assert name in problem


class TestKeys:
    @pytest.mark.parametrize("key", ["a", "dir/file.txt", "ü" * 512, "x" * 1024, "with space+and=signs#?%"])
    def test_valid_keys(self, key: str) -> None:
        assert key_problem(key) is None

    @pytest.mark.parametrize(
        ("key", "fragment"),
        [
            ("", "empty"),
            ("a\x00b", "NUL"),
            ("x" * 1025, "1024 bytes"),
            ("ü" * 513, "it has 1026"),
            ("bad-\ud800-surrogate", "surrogate"),
        ],
    )
    def test_invalid_keys(self, key: str, fragment: str) -> None:
        problem = key_problem(key)

        assert problem is not None
        assert fragment in problem


class TestRegions:
    @pytest.mark.parametrize(
        "region",
        [
            "us-east-1",
            "eu-central-1",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-5",
            "il-central-1",
            "eusc-de-east-1",
        ],
    )
    def test_aws_region_names(self, region: str) -> None:
        assert region_problem(region) is None

    @pytest.mark.parametrize("region", ["", "US-EAST-1", "us-east", "useast1", "us_east_1", "auto", "eu-central-1 "])
    def test_not_region_names(self, region: str) -> None:
        problem = region_problem(region)

        assert problem is not None
        assert "us-east-1" in problem


class TestEndpoints:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:9000",
            "https://minio.example.test",
            "https://s3.eu-central-1.amazonaws.com/",
            "HTTP://127.0.0.1:4566/base/path",
            "http://[::1]:9000",
        ],
    )
    def test_usable_endpoints(self, url: str) -> None:
        assert endpoint_problem(url) is None

    @pytest.mark.parametrize(
        ("url", "fragment"),
        [
            ("ftp://127.0.0.1", "http:// or https://"),
            ("127.0.0.1:9000", "http:// or https://"),
            ("file:///etc/passwd", "http:// or https://"),
            ("http://", "host"),
            ("http://:9000", "host"),
            ("http://127.0.0.1:notaport", "malformed"),
            ("http://127.0.0.1:99999", "malformed"),
            ("http://127.0.0.1?x=1", "query"),
            ("http://127.0.0.1/#frag", "fragment"),
            ("http://127.0.0.1/?", "query"),
            (" http://127.0.0.1", "whitespace"),
            ("http://127.0.0.1/a b", "whitespace"),
        ],
    )
    def test_unusable_endpoints(self, url: str, fragment: str) -> None:
        problem = endpoint_problem(url)

        assert problem is not None
        assert fragment in problem

    @pytest.mark.parametrize(
        "url", ["http://AKIAEXAMPLE:s3cr3t-value@127.0.0.1:9000", "http://only-user-s3cr3t-value@127.0.0.1"]
    )
    def test_credentials_in_the_url_are_refused_without_echoing_them(self, url: str) -> None:
        problem = endpoint_problem(url)

        assert problem is not None
        assert "credentials" in problem
        assert "s3cr3t-value" not in problem

    def test_a_token_in_the_query_is_not_echoed(self) -> None:
        problem = endpoint_problem("http://127.0.0.1:9000/?X-Amz-Security-Token=tok-s3cr3t")

        assert problem is not None
        assert "tok-s3cr3t" not in problem
