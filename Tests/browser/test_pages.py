"""Overview, Forecast and Invoices in a real browser, checked against the command line on the
same ledger and day."""
import json
import os
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DEMO, TODAY, saldo, screenshot


def money(decimal_text, currency="EUR"):
    """How the English pages write an amount: 37,448.69 EUR."""
    sign = "-" if decimal_text.startswith("-") else ""
    whole, _, cents = decimal_text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}.{cents} {currency}"


def test_overview_equals_the_monthly_report_and_the_forecast(demo_server, browser):
    browser.get(demo_server.url + "/books/main/overview")
    page = browser.find_element(By.TAG_NAME, "main").text
    monthly = json.loads(saldo("report", "monthly", "--period", "2026", "--format", "json", ledger=demo_server.ledger))
    months = {m["month"]: m for m in monthly["months"]}
    cents = lambda text: round(float(text) * 100)  # comparison only; the page shows the CLI's exact text
    year_net = sum(cents(m["net"]) for m in monthly["months"] if m["month"] <= TODAY[:7])
    quarter_net = sum(cents(m["net"]) for k, m in months.items() if "2026-10" <= k <= TODAY[:7])
    cards = browser.find_elements(By.CSS_SELECTOR, ".ov-earnings article.card .figure")
    shown = [c.text for c in cards]
    assert money(f"{year_net // 100}.{year_net % 100:02d}") in shown, shown
    assert money(f"{quarter_net // 100}.{quarter_net % 100:02d}") in shown, shown
    forecast = json.loads(saldo("forecast", "--today", TODAY, "--format", "json", ledger=demo_server.ledger))
    quarter = browser.find_element(By.CSS_SELECTOR, ".ov-quarter").text
    for key in ("p10", "p50", "p90"):
        assert money(forecast["quarter"][key]) in quarter, (key, quarter)
    # The fan chart is drawn, from the same chart code as the HTML report.
    assert browser.find_elements(By.CSS_SELECTOR, ".ov-forecast svg")
    # The next tax payment and the overdue invoice are shown.
    assert browser.find_element(By.CSS_SELECTOR, ".ov-tax .figure").text.endswith("EUR")
    assert "LMS-2026-009" in browser.find_element(By.CSS_SELECTOR, ".ov-invoices").text
    screenshot(browser, "overview")


def test_a_scenario_changes_the_forecast_as_the_cli_says(demo_server, browser):
    browser.get(demo_server.url + "/books/main/forecast")
    Select(browser.find_element(By.NAME, "without")).select_by_value("Upwork")
    browser.find_element(By.CSS_SELECTOR, "form.scenario button[type=submit]").click()
    WebDriverWait(browser, 120).until(lambda d: "without=Upwork" in d.current_url)
    cli = json.loads(saldo("forecast", "--today", TODAY, "--without", "Upwork", "--format", "json", ledger=demo_server.ledger))
    scenario = cli["scenarios"][0]
    text = browser.find_element(By.TAG_NAME, "main").text
    for month in scenario["months"]:
        assert f"{float(month['p50']):,.2f}" in text, (month, "not on the page")
    screenshot(browser, "forecast-without-upwork")


def invoice_status(ledger, number):
    invoices = json.loads(saldo("invoices", "list", "--format", "json", ledger=ledger))
    return next(i for i in invoices if i["number"] == number)


def test_unlink_and_link_a_payment_on_the_invoices_page(demo_server, browser):
    with_match = json.loads(urlopen_text(demo_server.url + "/api/v1/books/main/invoices/matches"))["matches"][0]
    number, transaction = with_match["invoice"], str(with_match["transaction"])
    assert invoice_status(demo_server.ledger, number)["status"] == "paid"
    browser.get(demo_server.url + "/books/main/invoices")
    # The matcher's explanation is on the page.
    assert with_match["explanation"][:40] in browser.find_element(By.TAG_NAME, "main").text

    def submit(action, amount=None):
        form = browser.find_element(By.ID, "invoice-link")
        for name, value in (("invoice", number), ("transaction", transaction)) + ((("amount", amount),) if amount else ()):
            field = form.find_element(By.NAME, name)
            field.clear()
            field.send_keys(value)
        form.find_element(By.CSS_SELECTOR, f"button[value={action}]").click()
        WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "invoice-link-result").text.strip())

    submit("unlink")
    WebDriverWait(browser, 30).until(lambda d: invoice_status(demo_server.ledger, number)["status"] != "paid")
    # Linked again on the Spanish page, the amount written with a decimal comma as Spanish writes it.
    browser.get(demo_server.url + "/books/main/invoices?lang=es")
    submit("link", amount=with_match["amount"].replace(".", ","))
    WebDriverWait(browser, 30).until(lambda d: invoice_status(demo_server.ledger, number)["status"] == "paid")
    screenshot(browser, "invoices-linked")
    # The language is remembered (a cookie): back to English for the tests that share this browser.
    browser.get(demo_server.url + "/books/main/invoices?lang=en")


def urlopen_text(url):
    import urllib.request
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def test_every_page_in_spanish_on_a_phone(demo_server, phone):
    for page in ("overview", "import", "transactions", "reports", "invoices", "forecast", "tax", "settings"):
        phone.get(demo_server.url + f"/books/main/{page}?lang=es")
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        width = phone.execute_script("return document.documentElement.clientWidth")
        scroll = phone.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{page}: {scroll}px wide on a {width}px screen"
        if page == "transactions":
            # Each transaction is a card: its amounts are on the screen without scrolling sideways.
            right = phone.execute_script("const r = document.querySelector('table.tx td.amounts').getBoundingClientRect(); return r.right")
            assert 0 < right <= width, f"the first amounts end at {right}px on a {width}px screen"
        # No console errors (a CSP refusal or a script error would show here).
        errors = [e for e in phone.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, (page, errors)
        screenshot(phone, f"phone-es-{page}")
        phone.set_window_size(375, 800)


def test_a_transaction_opens_the_line_it_came_from(demo_server, browser):
    """The file:line of a row is a link; it opens the statement's lines with the row's own marked,
    and that line is the file's own line (read here from the demo file itself)."""
    browser.get(demo_server.url + "/books/main/transactions?platform=Upwork&sort=date")
    link = browser.find_element(By.CSS_SELECTOR, "td.source a")
    label = link.text                      # e.g. upwork-transactions.csv:2
    name, line = label.rsplit(":", 1)
    link.click()
    WebDriverWait(browser, 30).until(lambda d: "/source" in d.current_url)
    marked = browser.find_element(By.CSS_SELECTOR, "tr.src-row")
    assert marked.get_attribute("id") == "L" + line
    with open(os.path.join(DEMO, name), encoding="utf-8-sig") as f:
        expected = f.read().splitlines()[int(line) - 1]
    assert marked.find_element(By.TAG_NAME, "code").text == expected.strip()
    # The copy the ledger keeps downloads as the demo file itself.
    href = browser.find_element(By.CSS_SELECTOR, ".src-actions a[download]").get_attribute("href")
    with urllib.request.urlopen(href, timeout=60) as response:
        assert response.read() == open(os.path.join(DEMO, name), "rb").read()
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    screenshot(browser, "transaction-source")
    browser.set_window_size(1280, 1000)


def test_the_transactions_pager_and_a_bad_range_on_a_phone(demo_server, phone):
    """Tester's M2, M6, L7: a single page has no "Next page"; paging shows where you are and goes
    back; From after To is said beside the form, which keeps the dates; the Order choice is whole."""
    phone.get(demo_server.url + "/books/main/transactions?lang=es&q=zzzz-nothing")
    assert not phone.find_elements(By.CSS_SELECTOR, "nav.pager a"), "no page to go to"
    assert phone.find_element(By.LINK_TEXT, "Quitar filtros").get_attribute("href").endswith("/books/main/transactions")
    phone.get(demo_server.url + "/books/main/transactions?lang=es")
    pager = phone.find_element(By.CSS_SELECTOR, "nav.pager")
    assert pager.get_attribute("aria-label") == "Paginación"
    assert "Página 1 de" in pager.text and not pager.find_elements(By.CSS_SELECTOR, "a[rel=prev]")
    pager.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    WebDriverWait(phone, 30).until(lambda d: "cursor=" in d.current_url)
    pager = phone.find_element(By.CSS_SELECTOR, "nav.pager")
    assert "Página 2 de" in pager.text, pager.text
    screenshot(phone, "phone-es-transactions-page-2")
    phone.set_window_size(375, 800)
    pager.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
    WebDriverWait(phone, 30).until(lambda d: "cursor=" not in d.current_url)
    assert "Página 1 de" in phone.find_element(By.CSS_SELECTOR, "nav.pager").text
    # The Order select shows its whole choice ("Más recientes primero") on a 375 px phone.
    fits = phone.execute_script("""
        const s = document.querySelector('select[name=sort]');
        const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(s).font;
        return c.measureText(s.options[s.selectedIndex].text).width + 40 <= s.clientWidth;
    """)
    assert fits, "the Order choice is cut"
    # From after To: the error beside the form, the dates kept.
    phone.get(demo_server.url + "/books/main/transactions?lang=es&from=2026-10-01&to=2026-09-01")
    problem = phone.find_element(By.ID, "tx-problem")
    assert "el primer día es posterior al último" in problem.text
    assert phone.find_element(By.NAME, "from").get_attribute("value") == "2026-10-01"
    assert phone.find_element(By.NAME, "to").get_attribute("value") == "2026-09-01"
    scroll = phone.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= phone.execute_script("return document.documentElement.clientWidth") + 1
    screenshot(phone, "phone-es-transactions-bad-range")
    phone.set_window_size(375, 800)


def test_a_spanish_quarter_filters_the_transactions(demo_server, phone):
    """A quarter as the Spanish pages write it ("3T 2026", the field's placeholder) passes the field's
    own check and filters as 2026-Q3; a fifth quarter does not pass."""
    phone.get(demo_server.url + "/books/main/transactions?lang=es")
    field = phone.find_element(By.NAME, "period")
    assert field.get_attribute("placeholder") == "3T 2026"
    for text, valid in [("3T 2026", True), ("2026-3T", True), ("2026-Q3", True), ("1T 2026..2T 2026", True), ("5T 2026", False)]:
        field.clear()
        field.send_keys(text)
        assert phone.execute_script("return arguments[0].checkValidity()", field) == valid, text
    field.clear()
    field.send_keys("3T 2026")
    field.submit()
    WebDriverWait(phone, 30).until(lambda d: "period=3T" in d.current_url)
    shown = phone.find_element(By.XPATH, "//*[contains(text(), 'coinciden')]").text
    api = json.loads(urllib.request.urlopen(demo_server.url + "/api/v1/books/main/transactions?period=2026-Q3&limit=1").read())
    assert shown.startswith(f"{api['matching']} movimientos coinciden"), shown


def test_the_forecast_takes_a_decimal_comma(demo_server, phone):
    """Tester's M7: the floor and the added income refused "1500,50" with the browser's generic
    message; they take a decimal comma, as the Overview does, and say the format when refused."""
    phone.get(demo_server.url + "/books/main/forecast?lang=es")
    for name, good in (("floor", "1500,50"), ("add-month", "800,5")):
        field = phone.find_element(By.NAME, name)
        field.clear()
        field.send_keys(good)
        assert phone.execute_script("return arguments[0].checkValidity()", field), f"{name}: {good} refused"
        assert "1500,50" in field.get_attribute("title"), field.get_attribute("title")
        field.clear()
        field.send_keys("mil")
        assert not phone.execute_script("return arguments[0].checkValidity()", field)
        field.clear()
    phone.get(demo_server.url + "/books/main/forecast?lang=en")
    assert "1500.50" in phone.find_element(By.NAME, "floor").get_attribute("title")


def test_charts_are_legible_on_a_phone(demo_server, phone, browser):
    """Tester's M10: the 860-wide charts were scaled to a third on a 375 px phone and their 11 px
    labels read as 5 px. A phone is shown the chart drawn for it: its text is at least 11 px high
    on screen, and no label runs past the chart's edges."""
    check = """
        const svgs = Array.from(document.querySelectorAll('figure svg')).filter(s => s.getBoundingClientRect().width > 0);
        return svgs.map(s => {
            const box = s.getBoundingClientRect();
            const texts = Array.from(s.querySelectorAll('text')).map(t => t.getBoundingClientRect()).filter(r => r.height > 0);
            return {cls: s.getAttribute('class'), n: texts.length,
                    smallest: Math.min(...texts.map(r => r.height)),
                    outside: texts.filter(r => r.left < box.left - 1 || r.right > box.right + 1).length};
        });
    """
    for page in ("overview", "forecast", "reports"):
        phone.get(demo_server.url + f"/books/main/{page}?lang=es")
        charts = phone.execute_script(check)
        assert charts, page
        for chart in charts:
            assert chart["cls"] == "chart-phone", (page, chart)
            assert chart["smallest"] >= 11, (page, chart)
            assert chart["outside"] == 0, (page, chart)
        screenshot(phone, f"phone-es-{page}-charts")
        phone.set_window_size(375, 800)
        browser.get(demo_server.url + f"/books/main/{page}?lang=en")
        assert all(c["cls"] == "chart-wide" for c in browser.execute_script(check)), page
