"""The pages in a real browser: headless Chromium (Debian) through Selenium, over uvicorn.

The query page sends its queries to a real ``kgpub serve`` endpoint (its own process, CORS),
so the example run in the browser goes through the SPARQL 1.1 Protocol end to end.
Screenshots are written to ``test-artifacts/web/``.
"""

from __future__ import annotations


import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from browser import Browser, installed
from webgarden import AKT1, AKT1_PATH, XSS_LABEL, make_app
from live import KgpubServe, ThreadedUvicorn, crawl

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not installed(), reason="needs Debian chromium and chromium-driver (make test installs them)")]


@pytest.fixture(scope="module")
def endpoint(web_dist, tmp_path_factory):
    with KgpubServe(web_dist, tmp_path_factory.mktemp("web-serve")) as serve:
        yield serve.url + "/sparql"


@pytest.fixture(scope="module")
def site(web_store, web_dist, endpoint):
    with ThreadedUvicorn(make_app(web_store, web_dist, endpoint=endpoint)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def wait(browser, condition, timeout=20):
    return WebDriverWait(browser.driver, timeout).until(condition)


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_landing_page(browser, site, web_store):
    genes = next(iter(web_store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a <https://w3id.org/kgpub/ontology/Gene> }",
                                      use_default_graph_as_union=True)))["n"].value
    d = browser.driver
    d.get(site + "/")
    assert d.find_element(By.TAG_NAME, "h1").text.strip()
    counts = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[1].text
              for row in d.find_elements(By.CSS_SELECTOR, "table.counts tbody tr")}
    assert counts["gene"] == genes and int(genes) >= 5
    downloads = [a.text for a in d.find_elements(By.CSS_SELECTOR, "table.downloads a")]
    assert "kg.ttl" in downloads and "kg.nq" in downloads
    browser.screenshot("landing")


def test_resource_page_and_following_an_edge(browser, site):
    d = browser.driver
    d.get(site + AKT1_PATH)
    assert d.find_element(By.TAG_NAME, "h1").text == "AKT1"
    assert "Phosphorylates Ser83, PMID:11154276" in d.find_element(By.CSS_SELECTOR, "table.edges").text
    ids = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "ul.ids a")]
    assert "https://www.ncbi.nlm.nih.gov/gene/207" in ids
    assert d.find_element(By.CSS_SELECTOR, ".types a").text == "gene"
    browser.screenshot("resource-akt1")
    d.find_element(By.LINK_TEXT, "PTEN").click()
    wait(browser, EC.title_is("PTEN"))
    assert d.current_url == site + "/kg/garden/dev_admin/gene/pten"


def test_search_box(browser, site):
    d = browser.driver
    d.get(site + "/")
    box = d.find_element(By.ID, "q")
    box.send_keys("akt")
    box.submit()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "ol.hits")))
    hits = [a.text for a in d.find_elements(By.CSS_SELECTOR, "ol.hits a")]
    assert "AKT1" in hits and "AKT1 Protein" in hits
    assert all(h.casefold().startswith("akt") for h in hits)
    assert hits == sorted(hits, key=str.casefold)
    browser.screenshot("search-akt")


def test_query_page_runs_an_example(browser, site):
    d = browser.driver
    d.get(site + "/sparql")
    Select(d.find_element(By.ID, "example")).select_by_value("genes_and_identifiers")
    assert "kgo:Gene" in d.find_element(By.ID, "query").get_attribute("value")
    d.find_element(By.ID, "run").click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "status"), "rows"))
    # IRIs link to their pages here and show their labels once the label query answered
    wait(browser, lambda drv: "AKT1" in [a.text for a in drv.find_elements(By.CSS_SELECTOR, "table.results a")])
    link = next(a for a in d.find_elements(By.CSS_SELECTOR, "table.results a") if a.text == "AKT1")
    assert link.get_attribute("href") == site + AKT1_PATH
    assert link.get_attribute("title") == AKT1
    browser.screenshot("query-example")


def test_hostile_label_is_shown_never_run(browser, site):
    d = browser.driver
    for path in ("/kg/garden/dev_admin/gene/xss", AKT1_PATH, "/-/search?q=%3Cscript"):
        d.get(site + path)
        assert no_alert(d)
        assert d.title != "pwned"
        assert XSS_LABEL in d.find_element(By.TAG_NAME, "main").text
        assert not d.find_elements(By.CSS_SELECTOR, "main script, main img")
    browser.screenshot("hostile-label")


def test_crawl_to_depth_three_has_no_broken_links(site):
    seen = crawl(site + "/", depth=3, headers={"Accept": "text/html"})
    broken = {u: s for u, s in seen.items() if s != 200}
    assert len(seen) > 100
    assert broken == {}
