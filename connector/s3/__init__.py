"""The S3 layer: clients, transfers, content typing, links, validation and error mapping.

It knows boto3 and S3, and nothing of Zeebe or Camunda; every failure leaves it as a
``connector.errors.ConnectorError`` (see ``connector.s3.errors``).
"""

from connector.s3.client import ClientCache, ClientSpec
from connector.s3.content import DecodedContent, decode_content, guess_content_type, sniff_media_type
from connector.s3.errors import map_s3_error
from connector.s3.links import object_link, quote_key
from connector.s3.transfer import (
    DeleteResult,
    GetResult,
    PutResult,
    delete_object,
    get_object,
)
from connector.s3.uploads import put_object
from connector.s3.validation import (
    bucket_name_problem,
    endpoint_problem,
    key_problem,
    region_problem,
)

__all__ = [
    "ClientCache",
    "ClientSpec",
    "DecodedContent",
    "DeleteResult",
    "GetResult",
    "PutResult",
    "bucket_name_problem",
    "decode_content",
    "delete_object",
    "endpoint_problem",
    "get_object",
    "guess_content_type",
    "key_problem",
    "map_s3_error",
    "object_link",
    "put_object",
    "quote_key",
    "region_problem",
    "sniff_media_type",
]
