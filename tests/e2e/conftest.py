"""A real server: ``matcher serve --demo`` (gunicorn) on loopback, on a fresh embedded database."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

MATCHER = shutil.which("matcher") or str(Path(sys.executable).with_name("matcher"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A served app: its URL, database URL and the demo tokens it printed."""

    def __init__(self, url: str, database_url: str, tokens: dict[str, str], env: dict[str, str]):
        self.url, self.database_url, self.tokens, self.env = url, database_url, tokens, env

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [MATCHER, *args], env=self.env, capture_output=True, text=True, check=True, timeout=120
        )
        return out.stdout.strip()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The demo served for the whole session."""
    yield from served(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of the module's own, for tests that change what every page shows (a batch)."""
    yield from served(tmp_path_factory.mktemp("own"))


def served(folder: Path, **settings: str):
    """Serve the demo on a fresh database in ``folder`` (``settings``: more environment
    variables), yield the :class:`Server`, stop it."""
    database_url = f"sqlite:///{folder / 'kohtaanto.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-secret",
        "KOHTAANTO_AS_OF": "2026-12-01",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        **settings,
    }
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [MATCHER, "serve", "--demo", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        tokens, url = _read_banner(log)
        _wait_ready(url)
        yield Server(url, database_url, tokens, env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _read_banner(log: Path) -> tuple[dict[str, str], str]:
    """The demo tokens and URL that ``matcher serve --demo`` prints before gunicorn starts."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = log.read_text()
        if match := re.search(r"Kohtaanto API on (http://\S+?)/? ", text):
            tokens = dict(re.findall(r"Demo (\w+) token.*:\s+(kt_\S+)", text))
            return tokens, match.group(1)
        time.sleep(0.2)
    raise RuntimeError(f"the server printed no URL:\n{log.read_text()}")


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


# -- the web pages in a real browser ------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Debian's chromedriver (scripts/ensure-chromium.sh)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not os.environ.get("CI"):
        pytest.skip("no Chromium: run scripts/ensure-chromium.sh")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--disable-gpu",
        "--no-first-run",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests leave screenshots of the main pages (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def second_company_token(server) -> str:
    """A company token for a company other than the demo company's."""
    own = requests.get(f"{server.url}/v1/companies", headers=server.headers("company"), timeout=30)
    mine = own.json()["items"][0]["id"]
    everyone = requests.get(
        f"{server.url}/v1/companies?page_size=100", headers=server.headers("recruiter"), timeout=30
    ).json()["items"]
    other = next(c["id"] for c in everyone if c["id"] != mine)
    return server.cli("token", "create", "--role", "company", "--company", other)
