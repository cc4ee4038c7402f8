"""The Import page's preview shows the rows an import would write before anything is written: the
first ones as a table (date, description, amount with its currency, platform or client, new or
already in the ledger) and how many more, in English and Spanish, readable on a phone (375 px,
no sideways scroll of the page) and on a wide screen."""
import json
import os
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS, Server, screenshot

ROWS = 14


def payPal(rows):
    """A PayPal activity export (English headers): one row per (day, id, gross)."""
    lines = ["Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID,Balance"]
    balance = 0
    for day, ident, gross in rows:
        balance += int(gross.replace(".", ""))
        lines.append(f'01/{day:02d}/2026,10:00:00,CET,Cliente {ident},Payment,Completed,EUR,"{gross}","0.00","{gross}",{ident},'
                     f'"{balance // 100}.{balance % 100:02d}"')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def preview_server(workdir):
    server = Server(os.path.join(workdir, "preview.sqlite"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def statement(workdir):
    path = os.path.join(workdir, "paypal-enero.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(payPal([(2 + i, f"PPB{i}", f"{1500 + i}.50") for i in range(ROWS)]))
    return path


def card_rows(driver, name):
    """The preview table of the card of `name` once it is there: caption, cells by row, the line under it."""
    return WebDriverWait(driver, 120, poll_frequency=0.5).until(lambda d: d.execute_script("""
        const card = Array.from(document.querySelectorAll('section.import-card'))
            .find(c => c.getAttribute('aria-label') === arguments[0] && c.querySelector('.first-rows tbody tr'));
        if (!card) return null;
        const box = card.querySelector('.first-rows');
        return {state: card.dataset.state, caption: box.querySelector('caption').textContent,
                head: Array.from(box.querySelectorAll('thead th')).map(th => th.textContent),
                rows: Array.from(box.querySelectorAll('tbody tr')).map(tr => Array.from(tr.children).map(td => td.textContent)),
                more: (box.querySelector('.more-rows') || {}).textContent || null};
    """, name))


def test_the_preview_shows_the_rows_it_would_write(preview_server, statement, browser, phone):
    name = os.path.basename(statement)
    try:
        browser.get(preview_server.url + "/books/main/import?lang=es")
        browser.find_element("id", "import-files").send_keys(statement)
        shown = card_rows(browser, name)
        assert shown["state"] == "previewed", shown
        assert shown["caption"] == "Primeros movimientos que se importarían", shown
        assert shown["head"] == ["Fecha", "Concepto", "Importe", "Plataforma / cliente", "Estado"], shown
        assert len(shown["rows"]) == 10, shown
        date, what, amount, who, status = shown["rows"][0]
        assert date == "2 ene 2026" and amount == "1.500,50 €" and status == "Nuevo", shown["rows"][0]
        assert "PayPal" in who and what, shown["rows"][0]
        assert shown["more"] == f"{ROWS - 10} movimientos más que no se muestran ({ROWS} en total).", shown
        # Nothing written yet.
        assert not os.path.exists(preview_server.ledger)
        screenshot(browser, "import-first-rows-es")

        # A phone 375 px wide (headless chromium keeps windows at least 500 px wide, so the
        # viewport is emulated): the page never scrolls sideways; every row's amount is on the screen.
        phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True})
        phone.get(preview_server.url + "/books/main/import?lang=es")
        shown = card_rows(phone, name)
        layout = phone.execute_script("""
            const rows = Array.from(document.querySelectorAll('.first-rows tbody tr'));
            return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                    amounts: rows.map(tr => tr.querySelector('td.amount').getBoundingClientRect().right),
                    role: rows[0].children[0].getAttribute('role'), display: getComputedStyle(rows[0]).display};
        """)
        assert layout["width"] == 375, layout
        assert layout["scroll"] <= layout["width"], layout
        assert all(right <= layout["width"] for right in layout["amounts"]), layout
        assert layout["role"] == "cell" and layout["display"] == "grid", layout
        height = phone.execute_script("return document.documentElement.scrollHeight")
        phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": min(height, 6000), "deviceScaleFactor": 1, "mobile": True})
        os.makedirs(SHOTS, exist_ok=True)
        phone.save_screenshot(os.path.join(SHOTS, "import-first-rows-phone-es.png"))

        # Imported: the card lists what was written; the same file again is all "already there".
        browser.execute_script("""
            const card = Array.from(document.querySelectorAll('section.import-card')).find(c => c.getAttribute('aria-label') === arguments[0]);
            card.querySelector('.import-actions button:not(.secondary)').click();
        """, name)
        WebDriverWait(browser, 120, poll_frequency=0.5).until(lambda d: d.execute_script("""
            const card = Array.from(document.querySelectorAll('section.import-card')).find(c => c.getAttribute('aria-label') === arguments[0]);
            return card && card.dataset.state === 'committed' && card.querySelector('.first-rows caption');
        """, name))
        assert card_rows(browser, name)["caption"] == "Primeros movimientos importados"

        browser.get(preview_server.url + "/books/main/import?lang=en")
        browser.find_element("id", "import-files").send_keys(statement)
        again = WebDriverWait(browser, 120, poll_frequency=0.5).until(lambda d: d.execute_script("""
            const card = Array.from(document.querySelectorAll('section.import-card'))
                .find(c => c.getAttribute('aria-label') === arguments[0] && c.dataset.state === 'previewed' && c.querySelector('.first-rows'));
            return card ? Array.from(card.querySelectorAll('.first-rows tbody tr')).map(tr => Array.from(tr.children).map(td => td.textContent)) : null;
        """, name))
        assert again[0][0] == "2026-01-02" and again[0][2] == "1,500.50 EUR", again[0]
        assert {row[4] for row in again} == {"Already in the ledger"}, again
        screenshot(browser, "import-first-rows-again-en")
    finally:
        # The language is remembered in a cookie (per host, whatever the port): the next tests read English.
        browser.get(preview_server.url + "/books/main/import?lang=en")
        phone.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        phone.get(preview_server.url + "/books/main/import?lang=en")


def test_the_openapi_document_is_valid_and_describes_the_preview(preview_server, statement):
    """The OpenAPI document stays a valid 3.1 document, and a real preview answers what it says."""
    validator = pytest.importorskip("openapi_spec_validator")
    jsonschema = pytest.importorskip("jsonschema")
    doc = preview_server.api("/api/v1/openapi.json")
    validator.validate(doc)
    with open(statement, "rb") as f:
        body = f.read()
    with urllib.request.urlopen(preview_server.url + "/api/v1/session", timeout=60) as r:
        token = json.loads(r.read())["csrfToken"]
    request = urllib.request.Request(preview_server.url + "/api/v1/books/main/imports", data=body, method="POST",
                                     headers={"Origin": preview_server.url, "X-CSRF-Token": token, "X-File-Name": "openapi.csv",
                                              "Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, timeout=60) as r:
        ident = json.loads(r.read())["id"]
    session = WebDriverWait(None, 120, poll_frequency=0.5).until(
        lambda _: (lambda s: s if s["state"] not in ("reading", "committing") else None)(
            preview_server.api(f"/api/v1/books/main/imports/{ident}")))
    assert session["preview"]["first_rows"], session
    # The response's schema, with the document's components to resolve its references.
    schema = doc["paths"]["/books/{book}/imports/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(session, {**schema, "components": doc["components"]}, cls=jsonschema.Draft202012Validator)
    # A row that does not say what the document says is refused (the check can fail).
    broken = json.loads(json.dumps(session))
    broken["preview"]["first_rows"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, {**schema, "components": doc["components"]}, cls=jsonschema.Draft202012Validator)
