"""A submitted call as the caller holds it: ``Job`` (threads) and ``AsyncJob`` (asyncio)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._config import _Config
from ._errors import GradioClientError, JobCancelledError
from ._protocol import AppMessage, EndpointSpec, Status, _has_more, _JobState, _pick
from ._transport import _AsyncSession, _SyncSession

if TYPE_CHECKING:  # a job calls back into the client that made it
    from ._clients import AsyncRuntime, SyncRuntime


T = TypeVar("T")


class _JobView(Generic[T]):
    """What ``Job`` and ``AsyncJob`` read alike from a job's state."""

    def __init__(
        self,
        spec: EndpointSpec,
        positions: tuple[int, ...] | None,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        self._spec = spec
        self._positions = positions
        self._unpack = unpack
        self._state = state
        self._deadline = deadline
        self.event_id = event_id

    def status(self) -> Status:
        return self._state.status

    def done(self) -> bool:
        return self._state.done

    @property
    def messages(self) -> list[AppMessage]:
        """What the app showed so far (``gr.Info``, ``gr.Warning``, ``gr.Success``), in order."""
        return list(self._state.messages)

    def outputs(self) -> list[T]:
        """The intermediate outputs received so far (generator endpoints)."""
        return [
            self._unpack(_pick(self._positions, d, self._spec.output_tuples))
            for d in list(self._state.outputs)
        ]

    def _final(self) -> T:
        if self._state.error is not None:
            raise self._state.error
        assert self._state.result is not None
        return self._unpack(_pick(self._positions, self._state.result, self._spec.output_tuples))

    def _outputs_after(self, seen: int) -> list[T]:
        return [
            self._unpack(_pick(self._positions, d, self._spec.output_tuples))
            for d in self._state.outputs[seen:]
        ]

    def _final_is_new(self) -> bool:
        """A generator's result repeats its last output; a plain function has only a result."""
        state = self._state
        return state.error is not None or not state.outputs or state.result != state.outputs[-1]

    def _deadline_for(self, timeout: float | None, config: _Config) -> float | None:
        return self._deadline if timeout is None else config.deadline(timeout)


class Job(_JobView[T]):
    """A submitted call: ``result()``, ``status()``, ``cancel()``, and iteration over outputs."""

    def __init__(
        self,
        client: SyncRuntime,
        session: _SyncSession,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client
        self._session = session

    def result(self, timeout: float | None = None) -> T:
        """Waits for the final output; ``timeout`` defaults to what the call was given."""
        deadline = self._deadline_for(timeout, self._client.config)
        self._session.wait(lambda: self._state.done, deadline)
        return self._final()

    def __iter__(self) -> Iterator[T]:
        """Each output as it arrives; for a plain function, just its result."""
        seen = 0
        while True:
            self._session.wait(_has_more(self._state, seen), self._deadline)
            done = self._state.done  # read first: outputs only grow before it is set
            fresh = self._outputs_after(seen)
            seen += len(fresh)
            yield from fresh
            if done:
                if self._final_is_new():
                    yield self._final()
                return

    def cancel(self) -> bool:
        """Asks the server to stop the job; ``result()`` then raises ``JobCancelledError``.

        Gradio stops every running call of the endpoint in this session, so those fail too.
        """
        if self._state.done:
            return False
        running = self._state.running
        siblings = self._session.running_siblings(self._state) if running else []
        self._state.cancel_requested = True
        try:
            self._client._cancel(self._spec, self._session.hash, self.event_id, not running)
        except GradioClientError:
            self._state.cancel_requested = False
            raise
        if self._client.config.oneshot:  # no stream will say so: the call is dropped here
            self._session.drop(
                self.event_id, JobCancelledError("the job was cancelled"), "cancelled"
            )
        else:
            self._session.cancel_siblings(siblings)
        return True


class AsyncJob(_JobView[T]):
    """The asyncio twin of ``Job``: ``await job.result()``, ``async for`` over outputs."""

    def __init__(
        self,
        client: AsyncRuntime,
        session: _AsyncSession,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client
        self._session = session

    async def result(self, timeout: float | None = None) -> T:
        """Waits for the final output; ``timeout`` defaults to what the call was given."""
        deadline = self._deadline_for(timeout, self._client.config)
        await self._session.wait(lambda: self._state.done, deadline)
        return self._final()

    async def __aiter__(self) -> AsyncIterator[T]:
        seen = 0
        while True:
            await self._session.wait(_has_more(self._state, seen), self._deadline)
            done = self._state.done  # read first: outputs only grow before it is set
            fresh = self._outputs_after(seen)
            seen += len(fresh)
            for output in fresh:
                yield output
            if done:
                if self._final_is_new():
                    yield self._final()
                return

    async def cancel(self) -> bool:
        """Asks the server to stop the job (and, as Gradio does, the endpoint's running calls)."""
        if self._state.done:
            return False
        running = self._state.running
        siblings = await self._session.running_siblings(self._state) if running else []
        self._state.cancel_requested = True
        try:
            await self._client._cancel(self._spec, self._session.hash, self.event_id, not running)
        except GradioClientError:
            self._state.cancel_requested = False
            raise
        if self._client.config.oneshot:  # no stream will say so: the call is dropped here
            await self._session.drop(
                self.event_id, JobCancelledError("the job was cancelled"), "cancelled"
            )
        else:
            await self._session.cancel_siblings(siblings)
        return True
