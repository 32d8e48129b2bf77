"""The harness's live-server measures: the dashboard's first render in Chromium on a slow-3G profile, and load.

``slow_3g`` starts ``manage.py runserver`` on a free loopback port against the harness's database, signs in
through the login page, turns on the browser's network emulation over the DevTools protocol
(Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms latency) with the cache off, as on a first
visit, and reads the first contentful paint and the navigation timings of the dashboard.

``load`` drives servers already running (two web processes, say) with concurrent clients, each signed in, for a
bounded time: requests, errors (any 5xx, or no answer), other refusals, throughput. It only talks to loopback
addresses: servers on this machine.
"""

import http.cookiejar
import ipaddress
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
STYLESHEET_COOKIE = "kerjasama-css"  # cooperation.stylesheet.COOKIE (the harness imports no Django before setup)
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms
    "downloadThroughput": 400 * 1000 / 8,  # bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
LOAD_PATHS = (
    "/dashboard/",
    "/finance/loans/",
    "/shipments/",
    "/scholarships/applications/",
    "/programmes/",
    "/api/v1/loans/",
    "/api/v1/repayments/",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  (a loopback URL this module built)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def serve(database_url: str, port: int) -> subprocess.Popen:
    """``manage.py runserver`` (threaded, no reloader) on ``port`` against ``database_url``; static files served."""
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "AXES_ENABLED": "0",
        "KERJASAMA_2FA_ENFORCED": "0",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(  # noqa: S603  (this interpreter and the project's manage.py)
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@dataclass
class Render:
    url: str
    loads: int
    first_contentful_paint_ms: float
    dom_content_loaded_ms: float
    load_ms: float
    transferred_bytes: int
    repeat_first_contentful_paint_ms: float
    repeat_transferred_bytes: int
    samples: list = field(default_factory=list)

    def text(self) -> str:
        return (
            f"slow 3G (400 kbit/s, 400 ms latency), {self.url}, median of {self.loads} loads each:\n"
            f"  first visit (no cache): first contentful paint {self.first_contentful_paint_ms:,.0f} ms, "
            f"DOMContentLoaded {self.dom_content_loaded_ms:,.0f} ms, load {self.load_ms:,.0f} ms, "
            f"{self.transferred_bytes / 1024:,.1f} KB transferred\n"
            f"  later visits (cached static files): first contentful paint "
            f"{self.repeat_first_contentful_paint_ms:,.0f} ms, {self.repeat_transferred_bytes / 1024:,.1f} KB "
            f"transferred"
        )


TIMINGS = """async () => {
    // A paint entry may be reported a moment after the load event: wait for it (a few seconds at most).
    const paint = await new Promise((resolve) => {
        const found = performance.getEntriesByName('first-contentful-paint')[0];
        if (found) return resolve(found);
        new PerformanceObserver((list) => {
            const entry = list.getEntriesByName('first-contentful-paint')[0];
            if (entry) resolve(entry);
        }).observe({type: 'paint', buffered: true});
        setTimeout(() => resolve(null), 5000);
    });
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {
        fcp: paint ? paint.startTime : null,
        dcl: navigation.domContentLoadedEventEnd,
        load: navigation.loadEventEnd,
        bytes: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    };
}"""


def slow_3g(database_url: str, *, username: str, password: str, path: str = "/dashboard/", loads: int = 3) -> Render:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(database_url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("main button[type=submit]")
            if "/accounts/login" in page.url:
                raise RuntimeError(f"could not sign in as {username}")
            page.goto(f"{base}{path}", wait_until="load")  # the server's own warm-up, before the throttle
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            # A first visit: nothing cached, and so no cookie saying the stylesheet is (cooperation.stylesheet).
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            samples = []
            for _ in range(loads):
                context.clear_cookies(name=STYLESHEET_COOKIE)
                page.goto(f"{base}{path}", wait_until="load", timeout=120_000)
                samples.append(page.evaluate(TIMINGS))
            # Later visits: the browser's cache holds the static files the earlier pages fetched.
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
            page.goto(f"{base}{path}", wait_until="load", timeout=120_000)
            page.wait_for_function(f"document.cookie.includes('{STYLESHEET_COOKIE}=')", timeout=60_000)
            repeats = []
            for _ in range(loads):
                page.goto(f"{base}{path}", wait_until="load", timeout=120_000)
                repeats.append(page.evaluate(TIMINGS))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(key: str, taken: list) -> float:
        return statistics.median(sample[key] or 0 for sample in taken)

    return Render(
        url=path,
        loads=loads,
        first_contentful_paint_ms=median("fcp", samples),
        dom_content_loaded_ms=median("dcl", samples),
        load_ms=median("load", samples),
        transferred_bytes=int(median("bytes", samples)),
        repeat_first_contentful_paint_ms=median("fcp", repeats),
        repeat_transferred_bytes=int(median("bytes", repeats)),
        samples=samples,
    )


@dataclass
class LoadReport:
    servers: list
    clients: int
    duration_s: float
    requests: int = 0
    errors: int = 0  # any 5xx, or no answer
    refused: int = 0  # other answers than 200 (a 4xx)
    per_server: dict = field(default_factory=dict)
    latencies_ms: list = field(default_factory=list)
    error_samples: list = field(default_factory=list)

    def text(self) -> str:
        ordered = sorted(self.latencies_ms) or [0]
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return (
            f"load: {self.clients} clients for {self.duration_s:.0f} s against {', '.join(self.servers)}\n"
            f"requests {self.requests:,}, errors (5xx or no answer) {self.errors:,}, other refusals {self.refused:,}, "
            f"throughput {self.requests / self.duration_s:,.1f} requests/s, "
            f"median {statistics.median(ordered):,.0f} ms, p95 {p95:,.0f} ms\n"
            f"per server: " + ", ".join(f"{server} {count:,}" for server, count in self.per_server.items())
        )


def loopback_only(base: str) -> str:
    host = urllib.parse.urlsplit(base).hostname or ""
    address = socket.gethostbyname(host) if host != "::1" else host
    if not ipaddress.ip_address(address).is_loopback:
        raise SystemExit(f"--load drives servers on this machine only (loopback addresses), not {base}")
    return base.rstrip("/")


def signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/accounts/login/"
    with opener.open(login, timeout=30) as response:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read())
    if token is None:
        raise RuntimeError(f"no login form at {login}")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})  # noqa: S310
    with opener.open(request, timeout=30) as response:
        if "/accounts/login" in response.url:
            raise RuntimeError(f"could not sign in as {username} at {base}")
    return opener


def load(
    servers: list[str],
    *,
    duration: float,
    clients: int,
    username: str,
    password: str,
    paths=LOAD_PATHS,
    max_requests: int = 100_000,
) -> LoadReport:
    """``clients`` threads, each signed in on every server, asking for ``paths`` in turn across the servers until
    ``duration`` seconds have passed (or ``max_requests`` were made, whichever comes first)."""
    servers = [loopback_only(server) for server in servers]
    report = LoadReport(servers=servers, clients=clients, duration_s=duration)
    report.per_server = dict.fromkeys(servers, 0)
    lock = threading.Lock()
    openers = [{server: signed_in(server, username, password) for server in servers} for _ in range(clients)]
    deadline = time.monotonic() + duration

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:
            server = servers[turn % len(servers)]
            url = server + paths[turn % len(paths)]
            turn += 1
            start = time.perf_counter()
            status, failure = 0, ""
            try:
                with openers[number][server].open(url, timeout=60) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                failure = repr(error)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if report.requests >= max_requests:
                    return
                report.requests += 1
                report.per_server[server] += 1
                report.latencies_ms.append(elapsed)
                if failure or status >= 500:
                    report.errors += 1
                    if len(report.error_samples) < 10:
                        report.error_samples.append(f"{url}: {failure or status}")
                elif status != 200:
                    report.refused += 1

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report
