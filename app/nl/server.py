"""`serve`: the model's `ask` over HTTP, for scripts and programs that are not Python.

`POST /ask` takes what a line of `ask --batch` takes and answers what that line's output
holds, plus the backend; `GET /health` says which model answers. The only module that
imports FastAPI and uvicorn, and only `serve` imports it, so other commands start fast.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import socket

import uvicorn
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StrictStr

from app.nl.service import OnnxAssistant


class AskRequest(BaseModel):
    command: StrictStr
    macros: list[StrictStr] = []  # the saved macro names the command may refer to


def create_app(assistant: OnnxAssistant, token: str | None = None) -> FastAPI:
    """The web app around a loaded assistant; with `token`, every request must carry
    `Authorization: Bearer TOKEN`, the API documentation pages included."""
    app = FastAPI(title="RPA Assistant", summary="Plain words in, macro steps out")

    if token:
        expected = f"Bearer {token}".encode()

        @app.middleware("http")
        async def check_token(request: Request, call_next):
            # Starlette decodes header values as Latin-1: encoding them back gives the bytes sent.
            sent = request.headers.get("authorization", "").encode("latin-1")
            if not hmac.compare_digest(sent, expected):  # in constant time: no timing leak
                return JSONResponse(
                    {"error": "missing or wrong token: send 'Authorization: Bearer TOKEN'"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def bad_body(_request: Request, bad: RequestValidationError):
        """FastAPI's 422 `detail`, plus one readable line that names each bad field."""
        problems = "; ".join(dict.fromkeys(_problem(error) for error in bad.errors()))
        return JSONResponse(
            {"error": problems, "detail": jsonable_encoder(bad.errors())},
            status_code=422,
        )

    @app.post("/ask")
    def ask(request: AskRequest) -> dict:
        # A plain `def`: FastAPI runs it on a worker thread, so decoding never blocks the
        # event loop; the assistant decodes one question at a time behind its own lock.
        answer = assistant.ask(request.command, request.macros)
        result = {
            "command": answer.command,
            "steps": answer.text,
            "ms": round(answer.ms, 1),
            "backend": answer.backend,
            "understood": answer.understood,
            "notices": answer.notices,
        }
        if not answer.understood:
            result["error"] = "not understood"
        return result

    @app.get("/health")
    def health() -> dict:
        return {"backend": assistant.backend, "provider": assistant.provider}

    return app


def _problem(error: dict) -> str:
    """One validation error as a line that names the field: `macros.0: Input should be a
    valid string`."""
    field = ".".join(str(part) for part in error["loc"][1:])  # loc[0] is "body"
    if error["type"] == "json_invalid":
        return "the body is not valid JSON"
    if not field:
        return 'the body must be a JSON object: {"command": "...", "macros": ["...", ...]}'
    return f"{field}: {error['msg']}"


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: it may resolve to anything
        return False


def listen(host: str, port: int) -> socket.socket:
    """A socket bound before uvicorn starts, so a port in use is our one-line error and
    the address printed is the real one (`--port 0` picks a free port)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        if os.name != "nt":  # a restart may take the port back while old connections linger
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen()
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: FastAPI, sock: socket.socket) -> None:
    """Answer until Ctrl+C or SIGTERM; uvicorn finishes the requests under way first."""
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
