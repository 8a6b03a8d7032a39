"""How our task types name objects besides ``bucket`` + ``key``: ``s3://`` URIs and key templates.

``from_uri`` is the body of a before-validator: it reads ``action.uri`` (or ``sourceUri``,
``targetUri``) and fills in the bucket and key it names, so the rest of the model, and the
handler, see one way of addressing. A URI and a bucket or key that disagree are an input
error naming the URI's field; a URI is taken literally after the bucket (``connector.s3.uris``).
Where a folder is meant (an upload's or a copy's target), a URI ending in ``/`` is left as a
prefix for the file name, as ``aws s3 cp`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from connector.actions.binding import field_error
from connector.actions.connection import blank_to_none, checked
from connector.s3.key_templates import parse_key_template, time_zone
from connector.s3.uris import S3Uri, parse_s3_uri
from connector.s3.validation import bucket_name_problem, key_problem

__all__ = ["KeyTemplateText", "TimeZoneName", "Uri", "from_uri", "raising", "uri_of"]


def raising(parse: Callable[[str], object]) -> Callable[[str], str | None]:
    """A ``value -> problem | None`` check (for ``checked``) from a parser that raises
    ``ValueError`` with the problem."""

    def problem(text: str) -> str | None:
        try:
            parse(text)
        except ValueError as exc:  # KeyTemplateError too
            return str(exc)
        return None

    return problem


Uri = Annotated[str | None, BeforeValidator(blank_to_none)]
KeyTemplateText = Annotated[
    str | None, BeforeValidator(blank_to_none), AfterValidator(checked(raising(parse_key_template)))
]
TimeZoneName = Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(checked(raising(time_zone)))]


def uri_of(field: str, text: str) -> S3Uri:
    """Parse and check a URI given in ``field``.

    Raises:
        PydanticCustomError: for ``field``: another scheme, no bucket, an invalid bucket name
            or key.
    """
    try:
        uri = parse_s3_uri(text)
    except ValueError as exc:
        raise field_error(field, str(exc)) from None
    problem = bucket_name_problem(uri.bucket) or (key_problem(uri.key) if uri.key else None)
    if problem:
        raise field_error(field, problem)
    return uri


def from_uri(
    data: Any,
    field: str,
    *,
    into: str | None = None,
    key_field: str = "key",
    needs_key: bool = True,
    folder_is_prefix: bool = False,
) -> Any:
    """``data`` with the bucket and key (or prefix) that ``data[field]`` names filled in.

    Args:
        into: the nested object that holds bucket and key (``source``, ``target``), if any.
        key_field: where the URI's path goes (``key``, or ``prefix`` for a listing).
        needs_key: a URI without a key (``s3://bucket``) is an input error.
        folder_is_prefix: a URI ending in ``/`` names a folder for a file name, not a key;
            its path is left in the URI (see ``uri_of``) instead of filling ``key_field``.

    Raises:
        PydanticCustomError: for ``field``: a bad URI, or one that disagrees with the bucket
            or key given beside it.
    """
    if not isinstance(data, Mapping) or blank_to_none(data.get(field)) is None:
        return data
    if not isinstance(data[field], str):
        raise field_error(field, "must be a string such as s3://my-bucket/path/file.txt")
    uri = uri_of(field, data[field])
    if needs_key and not uri.key:
        raise field_error(field, "must name an object: s3://bucket/key")
    target = data.get(into) if into else data
    target = dict(target) if isinstance(target, Mapping) else {}
    named = {"bucket": uri.bucket}
    if not (folder_is_prefix and uri.is_folder):
        named[key_field] = uri.key
    elif blank_to_none(target.get(key_field)) is not None:
        raise field_error(field, f"names a folder, and a {key_field} is given too: give one of them")
    for name, value in named.items():
        given = blank_to_none(target.get(name))
        if given is not None and given != value:
            where = f"action.{into}.{name}" if into else f"action.{name}"
            raise field_error(field, f"names {name} {value[:200]!r} but {where} is {str(given)[:200]!r}")
    target.update(named)
    return {**data, into: target} if into else {**data, **target}
