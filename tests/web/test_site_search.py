"""The static site's search, in a real browser: the site ``kgpub site`` exported, served by nginx with
its host rules on 127.0.0.1, searched in headless Chromium (its script reads the label files
split by prefix; no server-side code)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import static_hosts
from browser import Browser, installed
from webgarden import AKT1, AKT1_PATH, BASE, XSS_LABEL
from test_browser import no_alert

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not installed(), reason="needs Debian chromium and chromium-driver (make test installs them)")]


#: A label whose upper and lower cases differ in length ("ß" upper-cases to "SS"), added to the store.
STRASSE = "Straße-Kinase 1"


@pytest.fixture(scope="module")
def host(web_store, web_dist, tmp_path_factory):
    store = ox.Store()
    store.bulk_extend(web_store.quads_for_pattern(None, None, None, None))
    store.add(ox.Quad(ox.NamedNode(BASE + "garden/dev_admin/gene/strasse"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(STRASSE), ox.NamedNode(BASE + "note/garden/dev_admin/gene/strasse")))
    with static_hosts.nginx(store, web_dist, tmp_path_factory.mktemp("nginx-search")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def hits(browser, expected: str) -> list[str]:
    """The hits' labels once ``expected`` is among them (at most 20 s)."""
    def shown(driver):
        labels = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ol#hits a")]
        return labels if expected in labels else False
    return WebDriverWait(browser.driver, 20).until(shown)


def test_the_search_box_of_a_static_page_finds_labels_by_prefix(browser, host):
    d = browser.driver
    d.get(host + AKT1_PATH)
    box = d.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("akt")
    box.submit()
    labels = hits(browser, "AKT1")
    assert "AKT1 Protein" in labels
    assert all(label.casefold().startswith("akt") for label in labels)
    assert labels == sorted(labels, key=str.casefold)
    link = next(a for a in d.find_elements(By.CSS_SELECTOR, "ol#hits a") if a.text == "AKT1")
    assert link.get_attribute("href") == host + AKT1_PATH and link.get_attribute("title") == AKT1
    browser.screenshot("static-search-akt")
    link.click()
    WebDriverWait(d, 20).until(lambda driver: driver.title == "AKT1")


def test_typing_narrows_the_hits(browser, host):
    d = browser.driver
    d.get(host + "/-/search")
    box = d.find_element(By.ID, "search-q")
    box.send_keys("pte")
    assert "PTEN" in hits(browser, "PTEN")
    box.send_keys(Keys.BACKSPACE, Keys.BACKSPACE, Keys.BACKSPACE, "fox")
    labels = hits(browser, "FOXO1")
    assert "PTEN" not in labels and "q=fox" in d.current_url


@pytest.mark.parametrize("typed", ["straße", "STRASSE", "Strasse-k"])
def test_the_browser_folds_a_query_as_the_index_was_folded(browser, host, typed):
    """The label files are keyed in Python, the query in JavaScript: "ß" and "SS" meet on both sides."""
    d = browser.driver
    d.get(host + "/-/search")
    d.find_element(By.ID, "search-q").send_keys(typed)
    assert STRASSE in hits(browser, STRASSE)


def test_a_hostile_label_is_shown_never_run(browser, host):
    d = browser.driver
    d.get(host + "/-/search?q=%3Cscript")
    hits(browser, XSS_LABEL)
    assert no_alert(d) and d.title != "pwned"
    assert not d.find_elements(By.CSS_SELECTOR, "main script, main img")
    browser.screenshot("static-search-hostile")
