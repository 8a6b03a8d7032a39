"""ListObjectsV2 pages on moto in-process: paging over more than 1,000 keys with the token
fed back, folders with a delimiter, and pages cut short by the response cap, resumed with a
token of ours so that every key is listed exactly once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from connector.actions.inputs.listing import ListAction
from connector.actions.listing import MAX_RESPONSE_BYTES, page_response
from connector.errors import ConnectorError
from connector.s3.listing import Folder, ListedObject, ListPage, list_page, resume_after, resume_token
from tests.unit.s3.conftest import BUCKET, put_many

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def every_page(s3: S3Client, max_bytes: int = MAX_RESPONSE_BYTES, **action: object) -> list[dict[str, object]]:
    """The responses of a listing paged to its end, feeding each token back."""
    pages = []
    token = None
    while True:
        model = ListAction.model_validate({"bucket": BUCKET, **action, "continuationToken": token})
        page = list_page(
            s3,
            bucket=BUCKET,
            prefix=model.prefix,
            delimiter=model.delimiter,
            start_after=model.startAfter,
            max_keys=model.maxKeys,
            continuation_token=model.continuationToken,
        )
        pages.append(page_response(model, page, max_bytes))
        token = pages[-1]["continuationToken"]
        if not pages[-1]["truncated"]:
            assert token is None
            return pages
        assert isinstance(token, str)


def keys_of(pages: list[dict[str, object]]) -> list[str]:
    return [item["key"] for page in pages for item in page["objects"]]  # type: ignore[attr-defined]


@pytest.fixture
def s3(shared_s3: S3Client) -> S3Client:
    return shared_s3


class TestPaging:
    def test_more_than_1000_keys_page_with_the_token_fed_back(self, s3: S3Client) -> None:
        keys = [f"many/{index:05d}" for index in range(2_100)]
        put_many(BUCKET, keys)

        pages = every_page(s3, prefix="many/")

        assert [len(page["objects"]) for page in pages] == [1000, 1000, 100]  # type: ignore[arg-type]
        assert keys_of(pages) == keys
        # S3's own token passes through when S3 ended the page.
        assert resume_after(str(pages[0]["continuationToken"])) is None

    def test_max_keys_and_start_after(self, s3: S3Client) -> None:
        put_many(BUCKET, ["a", "b", "c", "d", "e"])

        pages = every_page(s3, maxKeys=2, startAfter="a")

        assert [[o["key"] for o in p["objects"]] for p in pages] == [["b", "c"], ["d", "e"]]  # type: ignore[attr-defined]

    def test_an_empty_listing(self, s3: S3Client) -> None:
        (page,) = every_page(s3, prefix="nothing/")
        assert (page["objects"], page["folders"], page["truncated"]) == ([], [], False)


class TestFolders:
    def test_a_delimiter_gives_folders_beside_objects(self, s3: S3Client) -> None:
        put_many(BUCKET, ["in/a.txt", "in/b.txt", "in/sub/c.txt", "in/sub/d/e.txt", "in/z/", "out/x", "in/"])

        (page,) = every_page(s3, prefix="in/", delimiter="/")

        # The folder marker "in/" itself and zero-byte objects are listed, as S3 lists them.
        assert [o["key"] for o in page["objects"]] == ["in/", "in/a.txt", "in/b.txt"]  # type: ignore[attr-defined]
        assert page["folders"] == ["in/sub/", "in/z/"]

    def test_entries_merge_in_key_order(self, s3: S3Client) -> None:
        put_many(BUCKET, ["a/1", "b", "c/2", "d"])
        page = list_page(s3, bucket=BUCKET, delimiter="/")
        assert page.entries == (
            Folder("a/"),
            ListedObject("b", 0, page.entries[1].etag, page.entries[1].last_modified, "STANDARD"),  # type: ignore[union-attr]
            Folder("c/"),
            ListedObject("d", 0, page.entries[3].etag, page.entries[3].last_modified, "STANDARD"),  # type: ignore[union-attr]
        )


class TestResponseCap:
    def test_long_keys_cut_a_page_under_the_cap_and_resume_without_loss(self, s3: S3Client) -> None:
        # 1,000 keys of 1,000 bytes: with their URIs about 2.2 MB as one page.
        keys = [f"long/{index:04d}-" + "k" * 990 for index in range(1000)]
        put_many(BUCKET, keys)

        pages = every_page(s3, prefix="long/")

        assert len(pages) >= 3
        assert keys_of(pages) == keys
        for page in pages:
            size = len(json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            assert size <= MAX_RESPONSE_BYTES
        # The cut pages resume with a token of ours, naming the last key returned.
        assert resume_after(str(pages[0]["continuationToken"])) == keys_of(pages[:1])[-1]

    def test_a_page_cut_at_a_folder_resumes_after_that_folder(self, s3: S3Client) -> None:
        put_many(BUCKET, ["f/a", "f/b/1", "f/b/2", "f/c", "f/d/1", "f/e"])

        # A budget so small that each page holds one entry: every entry is a cut.
        pages = every_page(s3, max_bytes=1, prefix="f/", delimiter="/")

        listed = [entry for page in pages for entry in [*page["objects"], *page["folders"]]]  # type: ignore[misc]
        names = [entry if isinstance(entry, str) else entry["key"] for entry in listed]
        assert names == ["f/a", "f/b/", "f/c", "f/d/", "f/e"]

    def test_control_characters_count_as_json_escapes(self) -> None:
        action = ListAction(bucket="my-bucket")
        entries = tuple(ListedObject(f"{i}\x01" * 300, 1, "e", None, None) for i in range(10))
        response = page_response(action, ListPage(entries, False, None), max_bytes=20_000)
        size = len(json.dumps(response, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        assert response["truncated"] is True and 0 < len(response["objects"]) < 10
        assert size <= 20_000


class TestTokens:
    def test_our_tokens_round_trip_any_key(self) -> None:
        for key in ["a", "ü/日本/🚀 +%#?", "x" * 1024]:
            assert resume_after(resume_token(key)) == key

    def test_a_damaged_token_of_ours_is_an_input_problem(self) -> None:
        with pytest.raises(ValueError, match="damaged"):
            resume_after(resume_token("abc")[:-1] + "!")

    def test_a_missing_bucket(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            list_page(s3, bucket="no-such-bucket-here")
        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)
