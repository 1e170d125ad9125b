"""Runtime of a generated Gradio client: HTTP, uploads, the session's event stream, jobs.

gradio-codegen copies this package's files verbatim into every generated package as
``_runtime/``; the generated ``client.py`` only adds typed wrappers. Its only dependency is
httpx. Its modules import each other relatively, so the same files serve as
``codegen.runtime.gradio_runtime`` here and as ``<package>._runtime`` there; by concern:
``_errors`` and ``_protocol`` and ``_config`` do no I/O, ``_files`` and ``_transport`` do it,
``_jobs`` and ``_clients`` are what callers hold.

Protocol (Gradio 4.x and later): ``POST {prefix}/call/{api_name}`` with
``{"data": [...], "session_hash": ...}`` answers ``{"event_id"}``; the session's messages
(queue rank, progress, intermediate and final outputs) stream from
``GET {prefix}/queue/data?session_hash=...``. One stream serves every pending job of a
session, so a reader dispatches its messages to jobs by event id. The named ``call/v2``
route takes no session hash, so an app's ``gr.State`` could not follow a client across calls.
"""

from ._clients import AsyncRuntime, SyncRuntime
from ._config import DEFAULT_RETRIES, DEFAULT_TIMEOUT, app_token, is_hf_host, saved_token
from ._errors import (
    AuthenticationError,
    GradioClientError,
    GradioConnectionError,
    GradioError,
    GradioTimeoutError,
    HTTPStatusError,
    JobCancelledError,
    LimitExceededError,
    ProtocolError,
    QueueFullError,
    ValidationError,
)
from ._files import DEFAULT_MAX_DOWNLOAD_BYTES, FILE_META
from ._jobs import AsyncJob, Job
from ._protocol import (
    DEFAULT_MAX_MESSAGE_BYTES,
    AppMessage,
    Endpoints,
    EndpointSpec,
    JsonValue,
    MessageLevel,
    Progress,
    Stage,
    Status,
    as_tuple,
    dependency,
    first,
    fn_index,
    iter_sse,
    nothing,
    sse_lines,
    state_inputs,
    visible_outputs,
)

__all__ = [
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_MAX_MESSAGE_BYTES",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "FILE_META",
    "AppMessage",
    "AsyncJob",
    "AsyncRuntime",
    "AuthenticationError",
    "EndpointSpec",
    "Endpoints",
    "GradioClientError",
    "GradioConnectionError",
    "GradioError",
    "GradioTimeoutError",
    "HTTPStatusError",
    "Job",
    "JobCancelledError",
    "JsonValue",
    "LimitExceededError",
    "MessageLevel",
    "Progress",
    "ProtocolError",
    "QueueFullError",
    "Stage",
    "Status",
    "SyncRuntime",
    "ValidationError",
    "app_token",
    "as_tuple",
    "dependency",
    "first",
    "fn_index",
    "is_hf_host",
    "iter_sse",
    "nothing",
    "saved_token",
    "sse_lines",
    "state_inputs",
    "visible_outputs",
]
