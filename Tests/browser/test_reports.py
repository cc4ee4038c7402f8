"""The Reports page in a real browser: period switch, downloads, language, phone width."""
import json
import urllib.request

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import saldo, screenshot


def table_rows(driver, table_id):
    rows = driver.find_elements(By.CSS_SELECTOR, f"table#{table_id} tbody tr")
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_switching_the_period_shows_the_cli_figures(demo_server, browser):
    browser.get(demo_server.url + "/books/main/reports")
    period = browser.find_element(By.NAME, "period")
    period.clear()
    period.send_keys("2026-Q3")
    Select(browser.find_element(By.NAME, "by")).select_by_value("platform")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    # The click starts the form's navigation and returns before it ends (CI once read the old URL).
    WebDriverWait(browser, 60).until(lambda d: "period=2026-Q3" in d.current_url)
    WebDriverWait(browser, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
    cli = json.loads(saldo("report", "monthly", "--period", "2026-Q3", "--format", "json", ledger=demo_server.ledger))
    page = browser.page_source
    # Every month's net the CLI computes is on the page, formatted as the HTML report formats it.
    months = cli["months"]
    assert len(months) == 3, cli
    shown = 0
    for month in months:
        whole, _, cents = month["net"].partition(".")
        text = f"{int(whole):,}.{cents}"
        assert text in page, f"{month} not on the page"
        shown += 1
    assert shown >= 3
    screenshot(browser, "reports-2026-Q3")


def test_downloads_are_the_cli_documents(demo_server, browser):
    browser.get(demo_server.url + "/books/main/reports?period=2026")
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".downloads a")}
    assert set(links) == {"CSV", "JSON", "Markdown", "HTML"}
    with urllib.request.urlopen(links["JSON"]) as response:
        api = json.loads(response.read())
    cli = json.loads(saldo("report", "monthly", "--period", "2026", "--format", "json", ledger=demo_server.ledger))
    assert api == cli


def test_the_page_speaks_spanish_when_asked(demo_server, browser):
    browser.get(demo_server.url + "/books/main/reports?period=2026")
    browser.find_element(By.CSS_SELECTOR, ".lang a[hreflang=es]").click()
    # Waited for: the click returns before the Spanish page has replaced this one.
    WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: "lang=es" in d.current_url and d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es")
    assert "Informes" in browser.title
    # Remembered on the next page without ?lang.
    browser.get(demo_server.url + "/books/main/reports")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    screenshot(browser, "reports-es")
    browser.find_element(By.CSS_SELECTOR, ".lang a[hreflang=en]").click()
    WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")


def test_a_phone_can_read_the_report(demo_server, phone):
    phone.get(demo_server.url + "/books/main/reports?period=2026")
    width = phone.execute_script("return document.documentElement.clientWidth")
    scroll = phone.execute_script("return document.documentElement.scrollWidth")
    # The page itself does not scroll sideways; wide tables scroll inside their box.
    assert scroll <= width + 1, f"page is {scroll}px wide on a {width}px screen"
    screenshot(phone, "reports-phone")


def test_keyboard_reaches_every_control(demo_server, browser):
    browser.get(demo_server.url + "/books/main/reports")
    # Every input and select has a label the screen reader reads.
    for element in browser.find_elements(By.CSS_SELECTOR, "main input, main select"):
        label = browser.execute_script("return arguments[0].labels.length", element)
        assert label > 0, element.get_attribute("outerHTML")
    # Tab from the top reaches the skip link first.
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("\ue004")  # Tab
    active = browser.switch_to.active_element
    assert "skip" in (active.get_attribute("class") or "")
