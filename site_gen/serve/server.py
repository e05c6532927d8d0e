"""The dev server: build, serve on 127.0.0.1, rebuild on save, reload the open page.

It uses livereload's WebSocket handler and browser script, with a watcher of its own because
livereload's runs a task per changed path and ignores reloads within 3 s of the last one: here
one debounced rebuild serves every path changed by a save. The operating system reports the
changes (watchdog: inotify on Linux, FSEvents on macOS), so no folder is scanned while nothing
changes: polling a large site's thousands of files costs more than a rebuild.

Pages are served from the last good build kept in memory (the same bytes written to the
output folder), so a request can only ever reach a file of the site. While the content has
errors, pages show them instead, and the next good save brings the site back. The last build's
check report is served at /_report/ (no page of the site can be there: addresses of content
start with a letter or a digit).
"""

from __future__ import annotations

import errno
import mimetypes
import os
import posixpath
import socket
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from site_gen.build.cache import Cache
from site_gen.build.pipeline import (
    BuildOptions,
    BuildResult,
    check_output,
    render_files,
)
from site_gen.build.writer import write_output
from site_gen.content.problems import BuildFailed, Problem
from site_gen.features.checks import PageReport
from site_gen.serve.report import (
    SiteFacts,
    dev_templates,
    print_problems,
    render_report,
    summary_line,
)

# A save is built once nothing has changed for this long: editors write a file in a few steps,
# and a burst of saves (a checkout, a find-and-replace) is one rebuild.
SETTLE_SECONDS = 0.04
CHECK_SECONDS = 0.01  # how often the server looks whether the changes have settled (no files are read)
# Changes to files only, not openings and readings: each rebuild reads every content file, and
# hearing of each read slowed the rebuild by half.
_CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")
REPORT_PATH = "/_report/"


@dataclass
class DevSite:
    """The dev server's state: the last good site's files, the current build's errors, and the
    cache of pure work, kept in memory between rebuilds."""

    options: BuildOptions
    quiet: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    reports: list[PageReport] = field(default_factory=list)  # the last good build's checks, for /_report/
    warnings: list[Problem] = field(default_factory=list)
    builds: int = 0
    cache: Cache | None = None
    # Writing output/ is not needed to serve pages (they come from memory): it is done on a thread
    # of its own, so the browser reloads without waiting for the disk.
    writer: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    written: Future | None = None

    def rebuild(self, wait_for_output: bool = False) -> None:
        """Build once; keep the last good files when it fails. Never raises for content errors."""
        self.builds += 1
        started = time.perf_counter()
        self.cache = self.cache or Cache(self.options.cache_dir)
        if self.written is not None:
            # The last write finishes first: no two writes at once, and no thread running while
            # rendering forks its worker processes.
            self.written.exception()  # waits; a failed write was reported when it happened
        try:
            check_output(self.options)
            files, warnings, reports = render_files(self.options, self.cache)
        except BuildFailed as failed:
            self.problems = failed.problems
            print_problems(failed.problems, "error")
            print(f"Build failed; showing the {len(failed.problems)} problem(s) in the browser.", file=sys.stderr)
            return
        self.files, self.problems, self.reports, self.warnings = files, [], reports, warnings
        self.written = self.writer.submit(write_output, files, self.options.output)
        self.written.add_done_callback(_report_write_error)
        if wait_for_output:
            self.written.exception()
        print_problems(warnings, "warning")
        if not self.quiet:
            result = BuildResult(files, warnings, reports, time.perf_counter() - started)
            print(summary_line(result, self.options.output), flush=True)

    def close(self) -> None:
        """Finish writing output/ and keep the cache for the next session."""
        self.writer.shutdown(wait=True)
        if self.cache is not None:
            self.cache.save()


def _report_write_error(written: Future) -> None:
    if written.exception() is not None:
        print(f"Could not write the output folder: {written.exception()}", file=sys.stderr, flush=True)


class Watcher(FileSystemEventHandler):
    """Watches the content and templates folders; reports a change once the files stop changing."""

    def __init__(self, folders: list[Path]) -> None:
        super().__init__()
        self.lock = threading.Lock()  # events arrive on the observer's thread
        self.last_change: float | None = None
        self.folders = [str(folder.resolve()) for folder in folders]
        try:
            self.observer = self._observe(Observer())
        except OSError:  # the system's watches are used up (inotify's limit) or unsupported here
            self.observer = self._observe(PollingObserver(timeout=0.1))
        self.observer.start()

    def _observe(self, observer):
        for folder in self.folders:
            if os.path.isdir(folder):  # a missing one is reported by the build
                observer.schedule(self, folder, recursive=True, event_filter=_CHANGES)
        return observer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if all(self._ignored(os.fsdecode(path)) for path in (event.src_path, event.dest_path) if path):
            return
        with self.lock:
            self.last_change = time.monotonic()

    def poll(self) -> bool:
        """True once after a burst of changes has settled (nothing new for SETTLE_SECONDS)."""
        with self.lock:
            if self.last_change is None or time.monotonic() - self.last_change < SETTLE_SECONDS:
                return False
            self.last_change = None
            return True

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join()

    def _ignored(self, path: str) -> bool:
        """Hidden files and folders inside a watched folder, and editors' backup, swap and temporary files."""
        for folder in self.folders:
            if path.startswith(folder + os.sep):
                parts = path[len(folder) + 1:].split(os.sep)
                return any(part.startswith(".") for part in parts) or parts[-1].endswith(_IGNORED_SUFFIXES)
        return True  # not in a watched folder


class SiteHandler(web.RequestHandler):
    """Serves the site from memory, or the error page while the build is broken."""

    def initialize(self, dev: DevSite, error_page: jinja2.Template, port: int) -> None:
        self.dev = dev
        self.error_page = error_page
        self.port = port

    def get(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")
        rel = site_path(path)
        if rel is not None and rel not in self.dev.files and rel + "/index.html" in self.dev.files:
            self.redirect("/" + rel + "/")
            return
        if self.dev.problems and (rel is None or rel.endswith(".html") or rel not in self.dev.files):
            send(self, self.port, 500, "error.html", self.error_page.render(problems=self.dev.problems).encode())
            return
        if rel is None or rel not in self.dev.files:
            send(self, self.port, 404, "404.html", self.dev.files.get("404.html", b"Not found"))
            return
        send(self, self.port, 200, rel, self.dev.files[rel])

    def head(self, path: str) -> None:
        self.get(path)


class ReportHandler(web.RequestHandler):
    """The check report of the last build (or the errors stopping it), made when asked for."""

    def initialize(self, dev: DevSite, port: int) -> None:
        self.dev = dev
        self.port = port

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        dev = self.dev
        html = render_report(dev.reports, dev.warnings, SiteFacts.of(dev.options), dev.problems, link_from="/")
        send(self, self.port, 200, "report.html", html.encode())

    def head(self) -> None:
        self.get()


def send(handler: web.RequestHandler, port: int, status: int, name: str, body: bytes) -> None:
    """Send a file of the site or a page of the tool's own; an HTML page gets the script that reloads it."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith(("xml", "javascript")):
        content_type += "; charset=utf-8"
    if name.endswith(".html"):
        script = f'<script src="/livereload.js?port={port}"></script></head>'.encode()
        body = body.replace(b"</head>", script, 1)
    handler.set_status(status)
    handler.set_header("Content-Type", content_type)
    handler.finish(body)


def site_path(url_path: str) -> str | None:
    """The file a request asks for, or None when it tries to leave the site (`..`, `\\`, NUL)."""
    parts = url_path.split("/")
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    rel = posixpath.normpath(url_path).lstrip("/")
    if rel in ("", "."):
        return "index.html"
    return rel + "/index.html" if url_path.endswith("/") else rel


def reload_browsers() -> None:
    """Tell every open page to reload (livereload's protocol, without its 3-second throttle)."""
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})
        except Exception:  # noqa: BLE001 - a closed tab; forget it
            LiveReloadHandler.waiters.discard(waiter)


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False,
          prog: str = "site-gen") -> int:
    """Build, then serve until interrupted, rebuilding after each save. Returns the exit status:
    1 when the port cannot be listened on (said in one line, before anything is built)."""
    try:
        try_port(host, port)  # before building, so that a busy port is said at once
    except OSError as exc:
        print(f"{prog}: {cannot_listen(exc, host, port, prog)}", file=sys.stderr)
        return 1
    dev = DevSite(options, quiet=quiet)
    dev.rebuild(wait_for_output=True)
    app = web.Application([
        (r"/livereload", LiveReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (REPORT_PATH.rstrip("/") + "/?", ReportHandler, {"dev": dev, "port": port}),
        (r"/(.*)", SiteHandler, {"dev": dev, "error_page": dev_templates().get_template("error.html"), "port": port}),
    ])
    try:
        app.listen(port, address=host)
    except OSError as exc:  # taken while the site was being built
        print(f"{prog}: {cannot_listen(exc, host, port, prog)}", file=sys.stderr)
        dev.close()
        return 1
    watcher = Watcher([options.content, options.templates])

    def check() -> None:
        if watcher.poll():
            started = time.perf_counter()
            dev.rebuild()
            reload_browsers()
            if not quiet:
                print(f"Reloaded the browser {time.perf_counter() - started:.2f} s after the save settled.", flush=True)

    ioloop.PeriodicCallback(check, CHECK_SECONDS * 1000).start()
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop). Watching {options.content}/ and {options.templates}/.",
          flush=True)
    if not quiet:
        print(f"The check report (reading grades, page weights, findings): http://{host}:{port}{REPORT_PATH}",
              flush=True)
    try:
        ioloop.IOLoop.current().start()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        watcher.stop()
        dev.close()
    return 0


def cannot_listen(error: OSError, host: str, port: int, prog: str) -> str:
    """Why the server cannot listen on host:port, and what to do instead, in one line."""
    if error.errno == errno.EADDRINUSE:
        free = free_port(host, port)
        instead = f"--port {free}" if free else "--port with another number"
        return (f"port {port} is in use, perhaps by another server still running; "
                f"use another: {prog} serve {instead}")
    if error.errno == errno.EACCES:
        return f"port {port} is not open to this user; use one above 1023: {prog} serve --port 8000"
    return f"cannot listen on {host} port {port}: {error.strerror or error}"


def free_port(host: str, port: int, tries: int = 20) -> int | None:
    """The first of the ports after `port` that nothing listens on at `host`, if any of them."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        try:
            try_port(host, candidate)
        except OSError:
            continue
        return candidate
    return None


def try_port(host: str, port: int) -> None:
    """Raise the OSError listening on `port` at every address `host` names would meet now (a port in
    use, one not open to this user), as tornado would bind them; nothing is left listening."""
    for family, kind, protocol, _, address in socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                                 flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, protocol) as sock:
            if os.name != "nt":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
