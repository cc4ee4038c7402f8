"""A new user's first session in a real browser: import the demo statements and invoices through
the Import page into an empty ledger, then check what the pages show against the command line on
the same ledger."""
import glob
import json
import os
import shutil
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO, ROOT, saldo, screenshot

STATEMENTS = ["paypal-activity-2025-2026.csv", "upwork-transactions.csv", "wise-statement-eur.csv",
              "wise-statement-gbp.csv", "wise-statement-usd.csv", "bank-ing-2025-2026.n43"]


def demo_files():
    files = [os.path.join(DEMO, name) for name in STATEMENTS]
    files += sorted(glob.glob(os.path.join(DEMO, "invoices", "*.xml")))
    assert all(os.path.exists(f) for f in files)
    return files


def cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, "section.import-card")


def settled_card_text(driver, name, states, timeout):
    """The text of the card of `name` once it is in one of `states`. The page draws its cards
    again as an upload's state moves on, so a card found a moment ago may be gone (stale): its text
    is read in the same look that finds it, or looked for again."""
    def look(d):
        try:
            return next((c.text for c in cards(d) if c.get_attribute("aria-label") == name
                         and c.get_attribute("data-state") in states), None)
        except StaleElementReferenceException:
            return None
    return WebDriverWait(driver, timeout, poll_frequency=0.5).until(look)


def click_card_button(driver, name, label):
    """Clicks the card's button `label`, finding the card afresh (see settled_card_text)."""
    def button(d):
        card = next((c for c in cards(d) if c.get_attribute("aria-label") == name), None)
        return card.find_element(By.XPATH, f".//button[normalize-space()='{label}']") if card else None
    WebDriverWait(driver, 30, poll_frequency=0.5, ignored_exceptions=(StaleElementReferenceException,)).until(button).click()


def wait_states(driver, count, states, timeout=300):
    def done(d):
        found = d.execute_script("return Array.from(document.querySelectorAll('section.import-card')).map(c => c.dataset.state)")
        return len(found) == count and all(state in states for state in found)
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.5).until(done)
    except TimeoutException:
        # Say which cards did not get there, and what they show.
        cards_now = driver.execute_script(
            "return Array.from(document.querySelectorAll('section.import-card')).map(c => c.dataset.state + ': ' + c.innerText.slice(0, 300))")
        raise AssertionError(f"waited {timeout} s for {count} cards in {sorted(states)}; they are: {cards_now}")


def test_1_import_the_demo_files_through_the_page(empty_server, browser):
    browser.get(empty_server.url + "/books/main/import")
    files = demo_files()
    # The picker is visually hidden behind its label (the drop zone); Selenium types the paths.
    picker = browser.find_element(By.ID, "import-files")
    picker.send_keys("\n".join(files))
    wait_states(browser, len(files), {"previewed", "failed"})
    screenshot(browser, "import-previews")
    failed = [c.get_attribute("aria-label") + ": " + c.text[:400] for c in cards(browser) if c.get_attribute("data-state") == "failed"]
    assert not failed, f"files the preview could not read: {failed}"
    # Nothing is written before the user says so.
    assert not os.path.exists(empty_server.ledger) or saldo_count(empty_server) == 0
    # One card at a time, as a person would: click its Import button, then see it react (its buttons
    # disabled, or its state moved on) before the next. Cards above change height as they commit, so
    # a click aimed while the page moves can land beside the button (CI once waited 300 s for a card
    # whose click was lost); such a click is made again, never more than twice.
    for name in [c.get_attribute("aria-label") for c in cards(browser)]:
        for attempt in range(3):
            if commit_feedback(browser, name):
                break
            button = browser.execute_script(IMPORT_BUTTON_JS + "if (button) button.scrollIntoView({block: 'center'}); return button;", name)
            assert button is not None, name
            button.click()
            try:
                WebDriverWait(browser, 10, poll_frequency=0.2).until(lambda d: commit_feedback(d, name))
                break
            except TimeoutException:
                continue
        assert commit_feedback(browser, name), f"{name}: three clicks on Import and the card did not react"
    wait_states(browser, len(files), {"committed"})
    totals = browser.find_element(By.ID, "import-totals").text
    assert "New" in totals or "Nuevas" in totals
    screenshot(browser, "import-committed")
    # The command line sees what the page imported: the same number of new transactions.
    committed_new = browser.execute_script(
        "return Array.from(document.querySelectorAll('section.import-card dl.import-counts div:nth-child(2) dd')).map(e => +e.textContent)")
    assert sum(committed_new) == saldo_count(empty_server), committed_new


# In the page: the card of the file named arguments[0] and its Import button (the primary one).
IMPORT_BUTTON_JS = """
    const card = Array.from(document.querySelectorAll('section.import-card')).find(c => c.getAttribute('aria-label') === arguments[0]);
    const button = card && Array.from(card.querySelectorAll('.import-actions button')).find(b => !b.classList.contains('secondary'));
"""


def commit_feedback(driver, name):
    """What the card of `name` shows after its Import click: its state when it has moved on from
    the preview, "clicked" while its buttons are disabled, None while nothing happened yet."""
    return driver.execute_script(IMPORT_BUTTON_JS + """
        if (!card) return null;
        if (card.dataset.state !== 'previewed') return card.dataset.state;
        return button && button.disabled ? 'clicked' : null;
    """, name)


def saldo_count(server):
    accounts = json.loads(saldo("export", "--format", "json", ledger=server.ledger))
    return len(accounts["transactions"]) if isinstance(accounts, dict) else len(accounts)


def previewed_card(driver, name):
    """The newest card of `name` that is previewed, read in one step in the page (cards re-render
    while their state is polled, so a held element can go stale)."""
    return driver.execute_script("""
        const card = Array.from(document.querySelectorAll('section.import-card'))
            .find(c => c.dataset.state === 'previewed' && c.getAttribute('aria-label') === arguments[0]);
        if (!card) return null;
        const count = n => +card.querySelector('dl.import-counts div:nth-child(' + n + ') dd').textContent;
        return {new: count(2), duplicates: count(3)};
    """, name)


def test_2_importing_the_same_files_again_adds_nothing(empty_server, browser):
    before = saldo_count(empty_server)
    browser.get(empty_server.url + "/books/main/import")
    name = STATEMENTS[0]
    # Cards of the first test's committed uploads may be listed too; wait for this upload's preview.
    browser.find_element(By.ID, "import-files").send_keys(os.path.join(DEMO, name))
    counts = WebDriverWait(browser, 120, poll_frequency=0.5).until(lambda d: previewed_card(d, name))
    assert counts["new"] == 0 and counts["duplicates"] > 0, counts
    # Chosen again while it waits: still one card for it, which says so.
    waiting = """
        return Array.from(document.querySelectorAll('section.import-card'))
            .filter(c => c.dataset.state === 'previewed' && c.getAttribute('aria-label') === arguments[0])
            .map(c => (c.querySelector('.already-listed') || {}).textContent || '');
    """
    browser.find_element(By.ID, "import-files").send_keys(os.path.join(DEMO, name))
    notes = WebDriverWait(browser, 60, poll_frequency=0.5).until(
        lambda d: (lambda n: n if n and n[0] else None)(d.execute_script(waiting, name)))
    assert notes == ["You had already added this file: it is shown once, here."], notes
    assert not browser.execute_script("return document.querySelector('section.import-card:not([data-state])')"), "a card left reading"
    # Cancel it (the secondary button of the previewed card).
    browser.execute_script("""
        const card = Array.from(document.querySelectorAll('section.import-card'))
            .find(c => c.dataset.state === 'previewed' && c.getAttribute('aria-label') === arguments[0]);
        card.querySelector('.import-actions button.secondary').click();
    """, name)
    WebDriverWait(browser, 60, poll_frequency=0.5).until(lambda d: previewed_card(d, name) is None)
    assert saldo_count(empty_server) == before


def test_3_the_import_page_explains_in_its_own_language(empty_server, browser):
    """Why a profile reads the file (the card's "Why" list) and its problems, in Spanish on the
    Spanish page: the API's explanation_text, not the neutral English lines."""
    name = STATEMENTS[2]
    try:
        browser.get(empty_server.url + "/books/main/import?lang=es")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        browser.find_element(By.ID, "import-files").send_keys(os.path.join(DEMO, name))
        lines = WebDriverWait(browser, 120, poll_frequency=0.5).until(lambda d: d.execute_script("""
            const card = Array.from(document.querySelectorAll('section.import-card'))
                .find(c => c.dataset.state === 'previewed' && c.getAttribute('aria-label') === arguments[0] && c.querySelector('details li'));
            return card ? Array.from(card.querySelectorAll('details li')).map(li => li.textContent) : null;
        """, name))
        assert any(line.startswith("codificación: ") for line in lines), lines
        assert any(" lo reconoce: " in line for line in lines), lines
        assert not any(line.startswith(("encoding: ", "delimiter: ")) or " claims it: " in line or " does not: " in line for line in lines), lines
        screenshot(browser, "import-why-es")
        browser.execute_script("""
            const card = Array.from(document.querySelectorAll('section.import-card'))
                .find(c => c.dataset.state === 'previewed' && c.getAttribute('aria-label') === arguments[0]);
            card.querySelector('.import-actions button.secondary').click();
        """, name)
    finally:
        # The language is remembered in a cookie: the next tests read the English pages.
        browser.get(empty_server.url + "/books/main/import?lang=en")


def test_3_b_import_all_commits_every_ready_file(empty_server, browser):
    """Several files at once: one "Import all 3 ready files" button imports them one after another
    (each its own transaction), and the ledger gains exactly what their previews said."""
    files = [os.path.join(ROOT, "fixtures", "statements", *p) for p in
             (("payoneer", "saldo-payoneer-activity.csv"), ("stripe", "saldo-stripe-itemized-payout.csv"),
              ("ofx", "ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx"))]
    names = [os.path.basename(f) for f in files]
    before = saldo_count(empty_server)
    browser.get(empty_server.url + "/books/main/import?lang=en")
    browser.find_element(By.ID, "import-files").send_keys("\n".join(files))
    ready = """
        return Array.from(document.querySelectorAll('section.import-card'))
            .filter(c => c.dataset.state === 'previewed' && arguments[0].includes(c.getAttribute('aria-label')))
            .map(c => +c.querySelector('dl.import-counts div:nth-child(2) dd').textContent);
    """
    fresh = WebDriverWait(browser, 120, poll_frequency=0.5).until(
        lambda d: (lambda n: n if len(n) == 3 else None)(d.execute_script(ready, names)))
    button = browser.find_element(By.ID, "import-all")
    assert button.is_displayed() and button.text == "Import all 3 ready files", button.text
    screenshot(browser, "import-all")
    # From the keyboard (tester's L3: the button hid itself and focus fell back to the page).
    browser.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.ENTER)
    focused = browser.execute_script("return document.activeElement.tagName + ' ' + (document.activeElement.getAttribute('aria-label') || '')")
    assert not focused.startswith("BODY"), focused
    def committed(d):
        states = d.execute_script("""
            return Array.from(document.querySelectorAll('section.import-card'))
                .filter(c => arguments[0].includes(c.getAttribute('aria-label'))).map(c => c.dataset.state);
        """, names)
        return states if len(states) == 3 and all(x == "committed" for x in states) else None
    WebDriverWait(browser, 120, poll_frequency=0.5).until(committed)
    assert not browser.find_element(By.ID, "import-all").is_displayed()
    WebDriverWait(browser, 10, poll_frequency=0.2).until(lambda d: d.execute_script("return document.activeElement.id") == "import-totals")
    assert saldo_count(empty_server) == before + sum(fresh), (before, fresh)


def test_4_a_phone_reads_why_a_file_was_refused(empty_server, phone):
    """A file that is not a statement (Revolut Business's expenses report) on a 375 px phone: the
    problem's message is on screen, below where it is, not in a table column scrolled out of sight;
    and it says what the file is."""
    name = "wrong-product-revolut-expenses.csv"
    phone.get(empty_server.url + "/books/main/import?lang=en")
    phone.find_element(By.ID, "import-files").send_keys(os.path.join(ROOT, "fixtures", "errors", name))
    cell = WebDriverWait(phone, 120, poll_frequency=0.5).until(lambda d: d.execute_script("""
        const card = Array.from(document.querySelectorAll('section.import-card'))
            .find(c => c.dataset.state === 'failed' && c.getAttribute('aria-label') === arguments[0]);
        const td = card && card.querySelector('.table-scroll.stacked td:last-child');
        if (!td) return null;
        const r = td.getBoundingClientRect();
        return {text: td.textContent, left: r.left, right: r.right, width: document.documentElement.clientWidth,
                scroll: document.documentElement.scrollWidth, role: td.getAttribute('role')};
    """, name))
    assert "Revolut Business's expenses report, not an account statement" in cell["text"], cell
    assert cell["left"] >= 0 and cell["right"] <= cell["width"] + 1, cell
    assert cell["scroll"] <= cell["width"] + 1, cell
    assert cell["role"] == "cell", cell
    screenshot(phone, "import-refused-phone")
    phone.set_window_size(375, 800)
    phone.execute_script("""
        const card = Array.from(document.querySelectorAll('section.import-card'))
            .find(c => c.getAttribute('aria-label') === arguments[0]);
        card.querySelector('.import-actions button').click();
    """, name)


def test_5_an_empty_file_says_so_and_goes_away(empty_server, phone, workdir):
    """Tester's M4: a 0-byte file left its card on "Reading…" with an English API message and no
    way to remove it. It fails in the page's language, and Cancel takes the card away."""
    path = os.path.join(workdir, "empty.csv")
    open(path, "wb").close()
    phone.get(empty_server.url + "/books/main/import?lang=es")
    phone.find_element(By.ID, "import-files").send_keys(path)
    text = settled_card_text(phone, "empty.csv", ("failed",), 60)
    assert "No se puede importar" in text, text
    assert "El fichero está vacío" in text, text
    assert "Leyendo" not in text and "the upload" not in text
    screenshot(phone, "import-empty-file-phone-es")
    phone.set_window_size(375, 800)
    click_card_button(phone, "empty.csv", "Cancelar")
    WebDriverWait(phone, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: not [c for c in cards(d) if c.get_attribute("aria-label") == "empty.csv"])
    errors = [e for e in phone.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_6_a_long_profile_name_wraps_on_a_phone(empty_server, phone, workdir):
    """Tester's M5: an e-invoice's profile URN ("Read as: urn:cen.eu:en16931:2017#compliant#…")
    did not wrap and the whole page scrolled sideways on a 375 px phone. The card now names the
    specification as people know it; a file name with no place to break must still wrap."""
    name = "saldo-ubl-creditnote-381-" + "exported_from_the_billing_portal_" * 2 + ".xml"  # under the 120 characters a name keeps whole
    path = os.path.join(workdir, name)
    shutil.copyfile(os.path.join(ROOT, "fixtures", "invoices", "ubl", "saldo-ubl-creditnote-381.xml"), path)
    phone.get(empty_server.url + "/books/main/import?lang=es")
    phone.find_element(By.ID, "import-files").send_keys(path)
    text = settled_card_text(phone, name, ("previewed", "failed"), 120)
    assert "Peppol BIS Billing 3.0 (UBL)" in text and "urn:cen.eu" not in text, text
    width = phone.execute_script("return document.documentElement.clientWidth")
    scroll = phone.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{scroll}px wide on a {width}px screen"
    screenshot(phone, "import-long-profile-phone-es")
    phone.set_window_size(375, 800)
    click_card_button(phone, name, "Cancelar")


def test_7_a_new_ledger_welcomes_on_every_page(workdir, phone):
    """Tester's M8: on a new ledger every page was a 404 in a pink error panel naming the file and
    advising the CLI's demo; Settings could not be opened. Now a calm empty state, and Settings."""
    from conftest import Server
    server = Server(os.path.join(workdir, "first-run", "new.sqlite"))
    try:
        for page in ("overview", "transactions", "reports", "invoices", "forecast", "tax"):
            phone.get(server.url + f"/books/main/{page}?lang=es")
            welcome = phone.find_element(By.CSS_SELECTOR, "section.welcome")
            assert "Este libro todavía está vacío" in welcome.text
            assert welcome.find_element(By.CSS_SELECTOR, "a.button").get_attribute("href").endswith("/books/main/import")
            assert not phone.find_elements(By.CSS_SELECTOR, ".problem")
            assert "new.sqlite" not in phone.page_source and "demo" not in welcome.text.lower()
            errors = [e for e in phone.get_log("browser") if e["level"] == "SEVERE"]
            assert not errors, (page, errors)
        screenshot(phone, "first-run-tax-phone-es")
        phone.set_window_size(375, 800)
        phone.get(server.url + "/books/main/settings?lang=es")
        field = phone.find_element(By.NAME, "base-currency")
        field.send_keys("USD")
        phone.find_element(By.CSS_SELECTOR, "form#settings button[type=submit]").click()
        WebDriverWait(phone, 30).until(lambda d: "Guardado" in d.find_element(By.ID, "settings-result").text)
        assert os.path.exists(server.ledger), "saving a setting starts the ledger"
        screenshot(phone, "first-run-settings-phone-es")
        phone.set_window_size(375, 800)
    finally:
        server.stop()
