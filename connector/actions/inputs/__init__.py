"""Job inputs as pydantic models: one per action, for our task types and Camunda's.

``common`` holds the types every action shares; ``objects`` the inputs of upload, download and
delete and the Camunda type's discriminated union. Handlers receive these models and never look
at the raw variables again.
"""

from connector.actions.inputs.objects import (
    CamundaDelete,
    CamundaDownload,
    CamundaJob,
    CamundaUpload,
    DeleteAction,
    DeleteJob,
    DocumentReturnFormat,
    DownloadAction,
    DownloadJob,
    UploadAction,
    UploadJob,
)

__all__ = [
    "CamundaDelete",
    "CamundaDownload",
    "CamundaJob",
    "CamundaUpload",
    "DeleteAction",
    "DeleteJob",
    "DocumentReturnFormat",
    "DownloadAction",
    "DownloadJob",
    "UploadAction",
    "UploadJob",
]
