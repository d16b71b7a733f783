"""Refuse NUL characters anywhere in a request (path, query, body) with a clear 422.

PostgreSQL cannot store U+0000 in text or jsonb: let one through and the request fails deep in
the database with a 500, or, worse, is accepted and its event dead-lettered later. Refused at
the edge, the caller learns at once and nothing is recorded.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A JSON escape \\u0000 not itself escaped (an even run of backslashes before it is text).
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_MAX_BODY = 2 * 1024 * 1024


class RefuseNulCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = _nul_in_url(scope)
        if where:
            await _refuse(send, where)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > _MAX_BODY:
                await _refuse(send, "body", "the body is larger than 2 MiB", status=413)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"\x00" in body or _ESCAPED_NUL.search(body):
            await _refuse(send, "body")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _nul_in_url(scope: Scope) -> str | None:
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    if "\x00" in scope["path"] or b"%00" in raw_path or b"\x00" in raw_path:
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        return "query"
    return None


async def _refuse(send: Send, field: str, problem: str = "NUL characters are not accepted",
                  status: int = 422) -> None:
    content = json.dumps({"detail": f"invalid request: {field}: {problem}",
                          "problems": [{"field": field, "problem": problem}]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(content)).encode())]})
    await send({"type": "http.response.body", "body": content})
