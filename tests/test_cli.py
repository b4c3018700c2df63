"""The ``gongzhi`` command line: the console script and ``gongzhi serve`` (gunicorn + whitenoise)."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # seconds: collectstatic + system checks + gunicorn boot on a busy 2-core machine


def gongzhi_env(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh install: production settings, everything written under ``data_dir``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GONGZHI_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGZHI_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def gongzhi_command() -> list[str]:
    script = Path(sys.executable).with_name("gongzhi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gongzhi"]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a 127.0.0.1 URL we built
        return response.status, response.read()


def test_gongzhi_help_lists_gongzhi_and_django_commands(tmp_path):
    result = subprocess.run([*gongzhi_command(), "--help"], env=gongzhi_env(tmp_path), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    assert "Type 'gongzhi help <subcommand>'" in result.stdout
    listed = set(re.findall(r"^    (\S+)$", result.stdout, flags=re.MULTILINE))
    assert {"serve", "import", "migrate", "collectstatic", "createsuperuser"} <= listed
    assert "runserver" in listed  # Django's, still there; `serve` is the one the README names


def test_serve_help_names_host_port_and_workers(tmp_path):
    result = subprocess.run([*gongzhi_command(), "serve", "--help"], env=gongzhi_env(tmp_path), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--workers", "--no-collectstatic"):
        assert option in result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``gongzhi serve`` on a free 127.0.0.1 port; yields (base URL, data dir, output file); always killed."""
    tmp_path = tmp_path_factory.mktemp("serve")
    data_dir, output = tmp_path / "data", tmp_path / "serve.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [*gongzhi_command(), "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
            env=gongzhi_env(data_dir), cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        match = None
        while match is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            match = re.search(r"Open (http://127\.0\.0\.1:\d+/) in a browser", output.read_text())
        assert match, f"server did not start (exit {process.poll()}):\n{output.read_text()}"
        yield match.group(1), data_dir, output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def test_serve_runs_gunicorn_and_answers_health(server):
    base, _, output = server

    status, body = get(base + "api/v1/health")

    assert (status, json.loads(body)) == (200, {"status": "ok"})
    log = output.read_text()
    assert "Starting gunicorn" in log
    assert "runserver" not in log


def test_serve_collects_and_serves_static_files_from_the_data_dir(server):
    base, data_dir, _ = server
    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())
    name, hashed = sorted(manifest["paths"].items())[0]

    status, body = get(base + "static/" + hashed)

    assert status == 200
    assert body == (data_dir / "static" / hashed).read_bytes()
    assert (data_dir / "static" / name).exists()


def test_serve_access_log_holds_no_query_string_or_personal_data(server):
    base, _, output = server

    get(base + "api/v1/health?phone=13812345678&q=350102199001011234")
    with pytest.raises(urllib.error.HTTPError):  # resident 404 — the URL is what matters
        get(base + "api/v1/residents/by-phone/13900001111X")

    deadline = time.monotonic() + 10
    while "GET /api/v1/residents/by-phone/" not in output.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = output.read_text()
    assert '"GET /api/v1/health HTTP/1.1" 200' in log
    assert '"GET /api/v1/residents/by-phone/139****1111X HTTP/1.1"' in log
    assert "Not Found: /api/v1/residents/by-phone/139****1111X" in log  # Django's own log line, masked too
    for secret in ("13812345678", "350102199001011234", "13900001111", "phone="):
        assert secret not in log
