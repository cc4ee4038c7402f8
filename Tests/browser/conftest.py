"""Real-browser tests of `saldo serve`: Debian's chromium and chromedriver driven by Selenium.

Nothing is downloaded: the browser and driver are the installed binaries (SALDO_CHROMIUM,
SALDO_CHROMEDRIVER override them), and Selenium Manager is never asked for one.
Run with `python3 -m pytest Tests/browser` after `swift build`; screenshots go to
$SALDO_SCREENSHOTS (default .build/screenshots).
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SALDO = os.environ.get("SALDO_BIN", os.path.join(ROOT, ".build", "debug", "saldo"))
DEMO = os.path.join(ROOT, "Sources", "SaldoApp", "Demo")
TODAY = "2026-11-15"
SHOTS = os.environ.get("SALDO_SCREENSHOTS", os.path.join(ROOT, ".build", "screenshots"))


def saldo(*args, ledger):
    """Runs the CLI on `ledger` and returns its standard output."""
    result = subprocess.run([SALDO, *args, "--ledger", ledger], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 3), f"saldo {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def drain(process):
    """Keeps reading what a started server writes: a pipe nobody reads fills up (64 KiB) and the
    next write blocks the server for good, which a test sees as a page that never answers."""
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=lambda s=stream: [None for _ in iter(s.readline, "")], daemon=True).start()


class Server:
    """`saldo serve` on a free port, over its own ledger."""

    def __init__(self, ledger, extra=()):
        self.ledger = ledger
        self.process = subprocess.Popen(
            [SALDO, "serve", "--ledger", ledger, "--port", "0", "--today", TODAY, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = ""
        deadline = time.time() + 120
        while time.time() < deadline:
            line = self.process.stdout.readline()
            match = re.search(r"running at (http://\S+)", line)
            if match:
                self.url = match.group(1).rstrip("/")
                break
            if self.process.poll() is not None:
                raise RuntimeError("saldo serve stopped: " + self.process.stderr.read())
        else:
            raise RuntimeError("saldo serve did not start: " + line)
        drain(self.process)

    def api(self, path):
        with urllib.request.urlopen(self.url + path, timeout=120) as response:
            return json.loads(response.read().decode("utf-8"))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def workdir():
    path = tempfile.mkdtemp(prefix="saldo-browser-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def empty_server(workdir):
    """A server over a ledger that does not exist yet: the browser imports the demo files into it."""
    server = Server(os.path.join(workdir, "browser.sqlite"))
    yield server
    server.stop()


def make_driver(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("SALDO_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=en-US", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update"]:
        options.add_argument(argument)
    # Console messages (a script error, a Content-Security-Policy refusal) for the tests to read.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("SALDO_CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(120)
    return driver


@pytest.fixture(scope="session")
def browser():
    driver = make_driver(1280, 1000)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def phone():
    driver = make_driver(375, 800)
    yield driver
    driver.quit()


def screenshot(driver, name):
    """Saves a full-page screenshot (the page's whole height)."""
    os.makedirs(SHOTS, exist_ok=True)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(max(height + 120, 600), 6000))
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    return path


@pytest.fixture(scope="session")
def demo_server(workdir):
    """A server over the demo ledger built by `saldo demo --keep`."""
    result = subprocess.run([SALDO, "demo", "--keep"], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_COLOR": "1", "LANG": "C.UTF-8"})
    match = re.search(r"kept at (\S+\.sqlite)", result.stdout)
    assert match, "saldo demo --keep did not print the ledger: " + result.stdout[-500:] + result.stderr[-500:]
    ledger = os.path.join(workdir, "demo.sqlite")
    shutil.copy(match.group(1), ledger)
    shutil.rmtree(os.path.dirname(match.group(1)), ignore_errors=True)
    server = Server(ledger)
    yield server
    server.stop()
