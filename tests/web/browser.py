"""Headless Chromium from Debian (``chromium``, ``chromium-driver``) driven by Selenium."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
#: Screenshots of the browser tests (kept: CI can archive the folder).
ARTIFACTS = Path(os.environ.get("KGPUB_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")


def installed() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="kgpub-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        height = self.driver.execute_script("return Math.min(document.body.scrollHeight, 4000)")
        self.driver.set_window_size(1280, max(800, int(height)))
        self.driver.save_screenshot(str(path))
        return path

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)
