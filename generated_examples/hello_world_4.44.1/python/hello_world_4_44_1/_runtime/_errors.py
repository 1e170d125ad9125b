"""The errors a generated client raises, and the mapping of HTTP answers and httpx's
exceptions onto them: every failure reaches the caller as a ``GradioClientError``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import httpx


class GradioClientError(Exception):
    """Base of every error this client raises."""


class GradioError(GradioClientError):
    """The app raised an error while handling the call (``gr.Error`` or any exception)."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.title = title


class HTTPStatusError(GradioClientError):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"HTTP {status_code}: {message}")
        self.status_code = status_code


class AuthenticationError(HTTPStatusError):
    """401/403: the app needs a login (``auth=``), or its Space a token (``token=``)."""


class QueueFullError(HTTPStatusError):
    """503 "Queue is full": the app's queue (``queue(max_size=...)``) had no room, still after
    the retries; try again later."""


class ValidationError(HTTPStatusError):
    """422: the app's validator rejected the inputs before running; ``errors`` maps each
    failing input, by the app's own name, to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        lines = "".join(f"\n- {name}: {text}" for name, text in self.errors.items())
        super().__init__(422, f"{len(self.errors)} input(s) failed validation:{lines}")


class GradioConnectionError(GradioClientError):
    """The server could not be reached, or it closed the stream before the job finished."""


class GradioTimeoutError(GradioClientError, TimeoutError):
    pass


class JobCancelledError(GradioClientError):
    pass


class ProtocolError(GradioClientError):
    """The server answered what Gradio never sends: not JSON, no event id, a wrong shape."""


class LimitExceededError(ProtocolError):
    """The server sent more than a limit allows: a message, a file, buffered messages."""


def _raise_for_status(response: httpx.Response, logged_in: bool = False) -> None:
    if response.is_success:
        return
    text = response.text.strip()[:500] or response.reason_phrase  # read within its limit
    if response.status_code == 422:
        errors = _validation_errors(response)
        if errors:
            raise ValidationError(errors)
    if response.status_code == 503 and "Queue is full" in text:
        hint = "the app's queue stayed full through the retries: try again later"
        raise QueueFullError(503, f"{text}; {hint}")
    if response.status_code in (401, 403):
        if "Not authenticated" not in text:  # Gradio's own word for a missing login
            hint = "this app needs a valid token: pass token= or set HF_TOKEN"
        elif logged_in:
            hint = "the app refused the login session"
        else:
            hint = 'this app needs a login: pass auth=("user", "password") to the client'
        raise AuthenticationError(response.status_code, f"{text}; {hint}")
    raise HTTPStatusError(response.status_code, text)


def _validation_errors(response: httpx.Response) -> dict[str, str]:
    """The failing inputs of a 422 from ``validator=``, as gradio_client names them."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return {}
    errors: dict[str, str] = {}
    for i, item in enumerate(detail if isinstance(detail, list) else ()):
        failed = isinstance(item, Mapping) and item.get("__type__") == "validate"
        if failed and item.get("is_valid") is False:
            name = item.get("parameter_name")
            errors[str(name) if name else f"parameter_{i}"] = str(item.get("message") or "")
    return errors


@contextmanager
def _http_errors(method: str, url: str) -> Iterator[None]:
    """httpx's exceptions as this client's, for the sync and async requests alike."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise GradioTimeoutError(f"{method} {url} timed out") from exc
    except httpx.HTTPError as exc:
        raise GradioConnectionError(f"{method} {url} failed: {exc}") from exc
    except RuntimeError as exc:  # httpx's word for a closed client
        raise GradioClientError(f"the client is closed ({exc})") from exc


def _callback_error(exc: Exception) -> GradioClientError:
    error = GradioClientError(f"on_message raised {exc!r}")
    error.__cause__ = exc
    return error


def _stream_error(exc: Exception) -> GradioClientError:
    if isinstance(exc, GradioClientError):
        return exc
    return GradioConnectionError(f"the event stream broke: {exc!r}")


def _json(text: str | bytes, what: str) -> object:
    """JSON from the server; what is not JSON (or nests past Python's recursion limit) is
    a ProtocolError, never a ValueError or RecursionError."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        shown = text[:100] if isinstance(text, str) else text[:100].decode("utf-8", "replace")
        raise ProtocolError(f"{what} is not JSON ({type(exc).__name__}): {shown!r}") from None
