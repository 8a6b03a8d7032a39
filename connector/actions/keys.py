"""Which key a job writes to: the key it names, its key template expanded, or a file name
(in the folder a URI names). Templates expand here, with the job's context and one instant."""

from __future__ import annotations

import uuid

from connector.actions.inputs.addressed import OwnUploadAction
from connector.actions.inputs.copying import CopyAction
from connector.actions.inputs.objects import UploadAction
from connector.errors import invalid
from connector.runtime.pipeline import HandlerContext
from connector.s3.key_templates import (
    KeyContext,
    KeyTemplateError,
    expand_key_template,
    parse_key_template,
    time_zone,
)
from connector.s3.validation import key_problem

__all__ = ["copy_target_key", "expand", "upload_key"]


def expand(template: str, field: str, ctx: HandlerContext, zone: str | None, file_name: str | None) -> str:
    """The key ``template`` (given in ``field``) gives for this job, at the clock's now.

    Raises:
        InputError: for ``field``: a placeholder without a value, or an invalid expanded key.
    """
    job = ctx.job
    try:
        context = KeyContext(
            now=ctx.clock.now().astimezone(time_zone(zone)),
            uuid=str(uuid.uuid4()),
            file_name=file_name,
            job_key=job.key if job else 0,
            process_instance_key=job.process_instance_key if job else 0,
            bpmn_process_id=job.bpmn_process_id if job else "",
            element_id=job.element_id if job else "",
        )
        return expand_key_template(parse_key_template(template), context)
    except KeyTemplateError as exc:
        raise invalid(field, str(exc)) from None


def _in_folder(folder: str, file_name: str, field: str) -> str:
    key = folder + file_name
    problem = key_problem(key)
    if problem:
        raise invalid(field, f"the folder and the file name make a key S3 refuses: {problem}")
    return key


def upload_key(action: UploadAction, file_name: str | None, ctx: HandlerContext) -> str:
    """The key an upload writes: ``key``, the expanded ``keyTemplate``, or the document's
    file name (in the ``uri``'s folder).

    Raises:
        InputError: no key and a document without a file name; a template that cannot expand.
    """
    if isinstance(action, OwnUploadAction) and action.keyTemplate:
        return expand(action.keyTemplate, "action.keyTemplate", ctx, action.timeZone, file_name)
    if action.key:
        return action.key
    if not file_name:
        raise invalid("action.key", "required when the document has no file name")
    folder = action.folder if isinstance(action, OwnUploadAction) else ""
    return _in_folder(folder, file_name, "action.uri") if folder else file_name


def copy_target_key(action: CopyAction, ctx: HandlerContext) -> str:
    """The key a copy writes: ``target.key``, the expanded ``target.keyTemplate``, or the
    source's file name (its last segment) in the ``targetUri``'s folder.

    Raises:
        InputError: a template that cannot expand, or a folder target for a source key
            without a file name (ending in ``/``).
    """
    target = action.target
    file_name = action.source.key.rsplit("/", 1)[-1] or None
    if target.keyTemplate:
        return expand(target.keyTemplate, "action.target.keyTemplate", ctx, action.timeZone, file_name)
    if target.key:
        return target.key
    if not file_name:
        raise invalid("action.targetUri", "names a folder, but the source key ends in '/': it has no file name")
    return _in_folder(action.target_folder, file_name, "action.targetUri")
