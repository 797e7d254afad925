"""`serve`: the shipped model's `ask` over HTTP, through the real web app and the real
command line."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import ROOT, run_cli
from fastapi.testclient import TestClient

from app.nl.server import create_app, is_loopback
from app.nl.service import OnnxAssistant

TOKEN = "s3cret-token"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no HTTP proxy


@pytest.fixture(scope="module")
def assistant():
    return OnnxAssistant(provider="cpu")


@pytest.fixture(scope="module")
def client(assistant):
    return TestClient(create_app(assistant))


@pytest.mark.parametrize("command", ["open notepad", "打开记事本"])
def test_ask_answers_steps(client, command):
    response = client.post("/ask", json={"command": command})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["steps"] == 'launch "notepad"\n'
    assert answer["understood"] is True
    assert answer["backend"] == "onnx"
    assert answer["command"] == command
    assert answer["notices"] == []
    assert answer["ms"] > 0
    assert "error" not in answer


def test_ask_may_refer_to_saved_macros(client):
    body = {"command": "run the invoice macro", "macros": ["Invoice entry", "Daily note"]}
    response = client.post("/ask", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["steps"] == 'run "Invoice entry"\n'


def test_not_understood_is_an_answer_without_steps(client):
    response = client.post("/ask", json={"command": "asdf qwer zxcv"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["steps"] == ""
    assert answer["understood"] is False
    assert answer["error"] == "not understood"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the body is not valid JSON"),
        (b'["open notepad"]', "the body must be a JSON object"),
        (b"{}", "command: Field required"),
        (b'{"command": 5}', "command: Input should be a valid string"),
        (b'{"command": "x", "macros": "Daily note"}', "macros: Input should be a valid list"),
        (b'{"command": "x", "macros": ["ok", 7]}', "macros.1: Input should be a valid string"),
    ],
)
def test_a_bad_body_is_422_naming_the_field(client, body, message):
    response = client.post("/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"].startswith(message)
    assert response.json()["detail"]  # FastAPI's own description is kept


def test_health_names_the_backend_and_provider(client):
    assert client.get("/health").json() == {"backend": "onnx", "provider": "CPUExecutionProvider"}


def test_a_token_guards_every_request(assistant):
    client = TestClient(create_app(assistant, token=TOKEN))
    right = {"Authorization": f"Bearer {TOKEN}"}
    wrong = {"Authorization": f"Bearer {TOKEN}x"}
    for path in ("/health", "/docs", "/openapi.json"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=wrong).status_code == 401, path
    assert client.get("/health", headers={"Authorization": TOKEN}).status_code == 401
    missing = client.post("/ask", json={"command": "open notepad"})
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/health", headers=right).status_code == 200
    answer = client.post("/ask", json={"command": "open notepad"}, headers=right)
    assert answer.status_code == 200
    assert answer.json()["steps"] == 'launch "notepad"\n'


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("office-pc", False)],
)  # fmt: skip
def test_only_loopback_addresses_count_as_this_computer(host, loopback):
    assert is_loopback(host) is loopback


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, body: dict | None = None, token: str | None = None):
    """(status, JSON answer) of a GET, or of a POST when there is a body."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with _DIRECT.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_serve_on_the_command_line():
    """The real command, with the token from RPA_SERVE_TOKEN, stopped by a SIGTERM."""
    port = _free_port()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "RPA_SERVE_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--provider", "cpu"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"serve stopped: {server.communicate()[1]}"
            assert time.monotonic() < deadline, "serve did not answer /health within 60 s"
            try:
                health = _request(f"{base}/health", token=TOKEN)
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        assert health == (200, {"backend": "onnx", "provider": "CPUExecutionProvider"})
        assert _request(f"{base}/ask", {"command": "open notepad"})[0] == 401
        status, answer = _request(f"{base}/ask", {"command": "打开记事本"}, token=TOKEN)
        assert status == 200
        assert answer["steps"] == 'launch "notepad"\n' and answer["understood"] is True
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=20)
    assert stdout == ""
    line = f"serving onnx (CPUExecutionProvider) on {base}, token required\n"
    assert stderr == line


def test_serving_to_other_computers_needs_a_token():
    result = run_cli("serve", "--host", "0.0.0.0", env={"RPA_SERVE_TOKEN": ""})
    assert result.returncode == 2
    assert re.fullmatch(r"error: serve: --host 0\.0\.0\.0 [^\n]*--token[^\n]*\n", result.stderr)
    assert result.stdout == ""


def test_a_port_in_use_is_one_line_and_exit_5():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", port, "--provider", "cpu")
    assert result.returncode == 5
    assert result.stderr.startswith(f"error: serve: cannot listen on 127.0.0.1:{port}: ")
    assert result.stderr.count("\n") == 1
