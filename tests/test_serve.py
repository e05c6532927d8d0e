"""`build.py serve`: serves the site, rebuilds once per save, shows errors, recovers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from devserver import DevServer


@pytest.fixture
def server(site):
    dev = DevServer(site.root)
    yield dev
    dev.stop()


def test_serve_rebuilds_on_save_shows_errors_and_recovers(site, server):
    page = "/exercises/bird-dog/"
    status, html = server.get(page)
    assert status == 200 and "Bird Dog" in html
    assert '<script src="/livereload.js?port=' in html

    site.edit("content/exercises/bird-dog.md", "summary: Wakes up", "summary: Gently wakes up")
    server.wait_for(lambda: "Gently wakes up" in server.get(page)[1], "the edit to be served")
    assert server.builds() == 2  # the first build, then one for the save

    site.edit("content/exercises/bird-dog.md", "  reps: 15", "  reps: fifteen")
    server.wait_for(lambda: server.get(page)[0] == 500, "the error page")
    status, html = server.get(page)
    assert "content/exercises/bird-dog.md, line 10" in html
    assert "dosage.reps" in html and "expected a whole number, got &#34;fifteen&#34;" in html
    assert any("content/exercises/bird-dog.md:10: dosage.reps:" in line for line in server.lines)
    assert (site.output / "exercises" / "bird-dog" / "index.html").read_text().count("Gently wakes up") >= 1

    site.edit("content/exercises/bird-dog.md", "  reps: fifteen", "  reps: 15")
    server.wait_for(lambda: server.get(page)[0] == 200, "the site to come back")
    assert "Gently wakes up" in server.get(page)[1]


def test_one_save_one_rebuild_and_output_is_never_watched(site, server):
    site.edit("content/index.md", "title:", "title: ")
    server.wait_for(lambda: server.builds() == 2, "one rebuild")
    time.sleep(1.0)  # the rebuild rewrote output/: had it been watched, more builds would follow
    assert server.builds() == 2


def test_serve_keeps_requests_inside_the_site(site, server):
    (site.root / "secret.txt").write_text("private")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/etc/passwd", "//etc/passwd",
                 "/exercises/..%2f..%2fsecret.txt"):
        status, body = server.get(path)
        assert status == 404, path
        assert "private" not in body and "root:" not in body
    status, body = server.get("/exercises")
    assert status == 200 and "All exercises" in body  # redirected to the folder's page


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on a TCP port, from the Linux kernel's table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).exists():
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def test_serve_listens_on_localhost_only_by_default(site, server):
    assert any(line.startswith(f"Serving on http://127.0.0.1:{server.port}/") for line in server.lines)
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system to read listening sockets from")
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, and nothing else


def test_serve_never_follows_a_symlink_out_of_the_site(site, server):
    (site.root / "secret.txt").write_text("private")
    (site.output / "leak.txt").symlink_to(site.root / "secret.txt")
    (site.output / "escape").symlink_to("/etc")
    for path in ("/leak.txt", "/escape/passwd", "/escape/hostname"):
        status, body = server.get(path)
        assert status == 404, path
        assert "private" not in body and "root:" not in body


@pytest.mark.slow
def test_a_burst_of_fifty_saves_ends_in_the_last_save_served_and_written(site, server):
    path = site.content / "exercises" / "bird-dog.md"
    original = path.read_text()
    before = server.builds()
    for number in range(50):
        path.write_text(original.replace("title: Bird Dog", f"title: Bird Dog {number}"))
        time.sleep(0.02)
    server.wait_for(lambda: "Bird Dog 49" in server.get("/exercises/bird-dog/")[1], "the last save to be served")
    written = site.output / "exercises" / "bird-dog" / "index.html"
    # However many rebuilds a busy machine makes of the burst, the last one is served and written.
    server.wait_for(lambda: written.is_file() and "Bird Dog 49" in written.read_text(), "the last save to be written")
    assert server.builds() - before < 50  # saves close together are built together
    status, served = server.get("/exercises/bird-dog/")
    assert status == 200 and "Bird Dog 49" in served and "Bird Dog 48" not in served
    assert not any(line.startswith("Build failed") for line in server.lines)


def test_the_watcher_polls_where_the_system_cannot_report_changes(tmp_path, monkeypatch):
    from site_gen.serve import server

    class NoWatches(server.Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(server, "Observer", NoWatches)
    (tmp_path / "page.md").write_text("one")
    watcher = server.Watcher([tmp_path])
    try:
        time.sleep(0.3)  # the polling observer's first look
        (tmp_path / "page.md").write_text("two, longer")
        deadline = time.monotonic() + 5
        while not watcher.poll():
            assert time.monotonic() < deadline, "the save was never reported"
            time.sleep(0.02)
    finally:
        watcher.stop()
