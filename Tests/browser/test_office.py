"""The accounting office in a real browser: `saldo serve --database` over the test cluster's
PostgreSQL database (.ci/run starts it and exports its addresses). Staff log in with the form,
see their office's workspaces and open a client's books; a client sees only their own; the
session cookie carries its attributes; logging out ends the session.
"""
import os
import re
import subprocess
import time
import uuid

import pytest
from selenium.webdriver.common.by import By

from conftest import SALDO, TODAY, DEMO, drain, make_driver, screenshot

OWNER = os.environ.get("SALDO_TEST_POSTGRES_URL")
APP = os.environ.get("SALDO_TEST_POSTGRES_APP_URL")
PASSWORD = "correct horse battery"

if not (OWNER and APP):
    if os.environ.get("CI"):
        raise RuntimeError("SALDO_TEST_POSTGRES_URL and SALDO_TEST_POSTGRES_APP_URL must be set on CI (.ci/run starts the cluster)")
    pytest.skip("no PostgreSQL test cluster (scripts/pg-test-cluster.sh start)", allow_module_level=True)


def run(*args, env=None):
    result = subprocess.run([SALDO, *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "LANG": "C.UTF-8", "SALDO_PASSWORD": PASSWORD, **(env or {})})
    assert result.returncode == 0, f"saldo {' '.join(args[:2])} failed: {result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def office():
    tag = uuid.uuid4().hex[:8]
    admin, client = f"ana-{tag}@ruiz.es", f"marta-{tag}@example.com"
    number = re.search(r"Office (\d+)", run("office", "create", "--database", OWNER, "--name", "Gestoría Ruiz", "--admin-email", admin)).group(1)
    marta = re.search(r"Workspace (\d+)", run("office", "add-client", "--database", APP, "--office", number, "--name", "Marta López",
                                             "--email", client)).group(1)
    jorge = re.search(r"Workspace (\d+)", run("office", "add-client", "--database", APP, "--office", number, "--name", "Jorge Pérez")).group(1)
    run("import", os.path.join(DEMO, "paypal-activity-2025-2026.csv"), "--ledger", f"{APP}?workspace={marta}")
    run("config", "set", "jurisdiction", "es", "--ledger", f"{APP}?workspace={marta}")
    # Other tests log in from this address too (the shared cluster keeps their failures): the
    # per-address limit is raised here; the per-email one (fresh emails) still applies.
    process = subprocess.Popen([SALDO, "serve", "--database", APP, "--port", "0", "--today", TODAY, "--login-failures-per-address", "1000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = None
    deadline = time.time() + 120
    while time.time() < deadline and url is None:
        match = re.search(r"running at (http://\S+)", process.stdout.readline())
        if match:
            url = match.group(1).rstrip("/")
        elif process.poll() is not None:
            raise RuntimeError("saldo serve stopped: " + process.stderr.read())
    assert url, "saldo serve --database did not start"
    drain(process)
    yield {"url": url, "admin": admin, "client": client, "marta": marta, "jorge": jorge}
    process.terminate()
    process.wait(timeout=20)


def log_in(driver, url, email, password):
    driver.get(url + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]").click()
    time.sleep(1)


def test_staff_log_in_with_the_form_and_open_a_clients_books(office):
    driver = make_driver(1280, 1000)
    try:
        log_in(driver, office["url"], office["admin"], "not the password")
        assert "/login" in driver.current_url
        assert "Forbidden" not in driver.page_source, "the login form's own POST was refused"
        assert not driver.get_cookies(), "a wrong password gives no session"
        log_in(driver, office["url"], office["admin"], PASSWORD)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "Marta López" in body and "Jorge Pérez" in body, body[:500]
        assert "Your clients' books" in body and f"Logged in as {office['admin']}." in body, body[:500]
        cookie = next(c for c in driver.get_cookies() if c["name"] == "saldo_session")
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
        # No book is chosen yet: no book navigation (it pointed at the first client's books).
        assert not driver.find_elements(By.CSS_SELECTOR, "header nav a"), "the list of clients leads into no one's books"
        screenshot(driver, "office-staff-books")
        driver.get(office["url"] + f"/books/{office['marta']}/transactions")
        time.sleep(1)
        assert "PayPal" in driver.find_element(By.TAG_NAME, "body").text
        # Whose books these are, on every page of them (a gestoría must not import into the wrong client's).
        # (The "Books of" is for screen readers; the arrow is for eyes only.)
        assert driver.find_element(By.CSS_SELECTOR, "header .office-book").get_attribute("textContent") == "› Books of Marta López"
        screenshot(driver, "office-staff-transactions")
        # Quarter-end: every client's returns for the quarter, from the books page's link.
        driver.get(office["url"] + "/")
        driver.find_element(By.CSS_SELECTOR, "a[href='/quarter-end']").click()
        time.sleep(2)
        driver.find_element(By.NAME, "year").clear()
        driver.find_element(By.NAME, "year").send_keys("2026")
        driver.find_element(By.CSS_SELECTOR, "select[name=quarter] option[value='3']").click()
        driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        time.sleep(2)
        page = driver.find_element(By.TAG_NAME, "body").text
        assert "Quarter-end 2026 Q3 of Gestoría Ruiz: 2 clients" in page, page[:800]
        assert "Modelo 130" in page and "Modelo 303" in page and "2026-10-20" in page, page[:1500]
        assert "Clients not computed (1)" in page and "Jorge Pérez" in page, page[:1500]
        screenshot(driver, "office-quarter-end")
        csv = driver.execute_script(
            "const r = await fetch(document.querySelector('p.downloads a').href); return [r.status, await r.text()];")
        assert csv[0] == 200 and csv[1].startswith("client,workspace,jurisdiction,form,period,due,amount,currency"), csv
        assert "Marta López," in csv[1] and ",Modelo 130,2026-Q3,2026-10-20," in csv[1], csv[1]
    finally:
        driver.quit()


def test_a_client_sees_only_their_own_books(office):
    driver = make_driver(375, 800)
    try:
        log_in(driver, office["url"], office["client"], PASSWORD)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "Jorge Pérez" not in body and "Marta López" in body, body[:500]
        assert "Your books" in body and "Logged in as Marta López" in body, body[:500]
        # A client's own books are one: the navigation leads into them.
        assert driver.find_elements(By.CSS_SELECTOR, f"header nav a[href='/books/{office['marta']}/overview']")
        driver.get(office["url"] + f"/books/{office['jorge']}/transactions")
        time.sleep(0.5)
        foreign = driver.find_element(By.TAG_NAME, "body").text
        assert "Jorge" not in foreign
        driver.get(office["url"] + "/books/999999/transactions")
        time.sleep(0.5)
        unknown = driver.find_element(By.TAG_NAME, "body").text
        assert "Not found" in foreign
        assert unknown.replace("999999", office["jorge"]) == foreign, "another workspace answers exactly as an unknown one"
        screenshot(driver, "office-client-foreign-book")
        driver.get(office["url"] + "/quarter-end")
        time.sleep(0.5)
        assert "Not found" in driver.find_element(By.TAG_NAME, "body").text, "a client has no quarter-end page"
    finally:
        driver.quit()


def test_staff_see_their_import_in_the_audit_log(office):
    """Staff import a statement through the app (the page's own session CSRF token), then open
    the audit log from the books list and find the import there; a client has no audit log and
    is told their accountant manages their book."""
    driver = make_driver(1280, 1000)
    try:
        log_in(driver, office["url"], office["admin"], PASSWORD)
        driver.get(office["url"] + f"/books/{office['jorge']}/import")
        time.sleep(1)
        with open(os.path.join(DEMO, "paypal-activity-2025-2026.csv"), encoding="utf-8") as f:
            statement = f.read()
        result = driver.execute_script("""
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const book = arguments[1];
            const up = await fetch(`/api/v1/books/${book}/imports?preview=false`, {method: "POST", body: new Blob([arguments[0]]),
                headers: {"X-CSRF-Token": token, "X-File-Name": "paypal-jorge.csv", "Content-Type": "application/octet-stream", "Accept": "application/json"}});
            const upload = await up.json();
            const commit = await fetch(`/api/v1/books/${book}/imports/${upload.id}/commit`, {method: "POST",
                headers: {"X-CSRF-Token": token, "Accept": "application/json"}});
            const forged = await fetch(`/api/v1/books/${book}/imports/${upload.id}/commit`, {method: "POST",
                headers: {"X-CSRF-Token": "not-this-sessions-token", "Accept": "application/json"}});
            return [up.status, commit.status, forged.status, token.length];
        """, statement, office["jorge"])
        assert result[0] == 202 and result[1] == 200, result
        assert result[2] == 403 and result[3] == 43, "a token that is not the session's is refused"
        driver.get(office["url"] + "/")
        driver.find_element(By.CSS_SELECTOR, "a[href='/audit']").click()
        time.sleep(1)
        page = driver.find_element(By.TAG_NAME, "body").text
        assert "Audit log" in page and "import.commit" in page and "Jorge Pérez" in page, page[:1500]
        assert office["admin"] in page
        screenshot(driver, "office-audit")
        # Filtered to Jorge's book and imports, in Spanish.
        driver.get(office["url"] + f"/audit?workspace={office['jorge']}&action=import&lang=es")
        time.sleep(1)
        page = driver.find_element(By.TAG_NAME, "body").text
        rows = driver.find_element(By.CSS_SELECTOR, "table.audit tbody").text
        assert "Registro de actividad" in page and "import.commit" in rows and "login" not in rows, page[:1500]
        driver.set_window_size(375, 800)
        screenshot(driver, "office-audit-375-es")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 380, f"the audit page scrolls sideways at 375 px ({width} px)"
    finally:
        driver.quit()
    driver = make_driver(375, 800)
    try:
        log_in(driver, office["url"], office["client"], PASSWORD)
        driver.get(office["url"] + f"/books/{office['marta']}/overview")
        time.sleep(1)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "Your accountant manages this book" in body, body[:800]
        assert not driver.find_elements(By.CSS_SELECTOR, f"nav a[href='/books/{office['marta']}/import']")
        screenshot(driver, "office-client-read-only")
        driver.get(office["url"] + "/audit")
        time.sleep(0.5)
        assert "Not found" in driver.find_element(By.TAG_NAME, "body").text, "a client has no audit log"
    finally:
        driver.quit()
