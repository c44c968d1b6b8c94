#!/usr/bin/env python3
"""carom classify --format html: one self-contained page, rendered in headless Chromium.

Usage: test_html.py CAROM

A generated mix of bounces (known classes, known dates, a diagnostic full of markup and invalid
UTF-8) goes through --format html. The page must be one HTML document with the charts as inline
SVG, nothing loaded from elsewhere, every input text escaped, the counts of the mix, and the
timeline's days from the first to the last. Then Debian's Chromium renders it headless (its own
profile in a scratch folder): no console message (the page has no script; a blocked load or a
CSP violation would print one), and the screenshot shows the classes' colours. The same check
on a page planted with a script error and an external image must fail: the check can tell.
Without Chromium the rendering part skips, except under CI (CI=true), where it fails.
"""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

CAROM = None
COLOURS = {"hard": (0xC0, 0x39, 0x2B), "soft": (0xE6, 0x7E, 0x22), "block": (0x8E, 0x44, 0xAD)}


def dsn(n, rcpt, status, diag, day):
    return (f"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
            f"To: news@example.com\nSubject: Undelivered Mail Returned to Sender\n"
            f"Date: {day} 10:00:00 +0000\nMessage-ID: <b{n}@mx.example.com>\nMIME-Version: 1.0\n"
            f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
            f"--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
            f"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
            f"Final-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: {status}\n"
            f"Remote-MTA: dns; mx.{rcpt.split('@')[1]}\n"
            f"Diagnostic-Code: smtp; {diag}\n\n"
            f"--B\nContent-Type: text/rfc822-headers\n\nFrom: news@example.com\nTo: {rcpt}\n"
            f"Subject: news\nMessage-ID: <m{n}@example.com>\n\n--B--\n").encode()


# (recipient, status, diagnostic, date): 3 hard, 2 soft, 1 block over 2026-03-01 .. 2026-03-04.
MIX = [
    ("ann@hard.example.org", "5.1.1", "550 5.1.1 <ann@hard.example.org>: Recipient address rejected: User unknown",
     "Sun, 01 Mar 2026"),
    ("bob@hard.example.org", "5.1.1", "550 5.1.1 No such user here <script>alert(1)</script> \"q\" & 'a'",
     "Sun, 01 Mar 2026"),
    ("cy@other.example.net", "5.1.1", "550 5.1.1 The email account that you tried to reach does not exist",
     "Wed, 04 Mar 2026"),
    ("dee@full.example.com", "4.2.2", "452 4.2.2 Mailbox full, try again later", "Wed, 04 Mar 2026"),
    ("eve@full.example.com", "4.2.2", "452 4.2.2 The recipient's mailbox is over quota", "Wed, 04 Mar 2026"),
    ("fay@spam.example.jp", "5.7.1",
     "550 5.7.1 Message rejected as spam by Content Filtering \xff\xfe", "Mon, 02 Mar 2026"),
]


class Page(html.parser.HTMLParser):
    """Collects the tags, attributes and texts of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.texts = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)

    def handle_data(self, data):
        self.texts.append(data)


def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA PNG: Chromium's screenshots."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def render(page, scratch):
    """Screenshot of `page` and the console lines Chromium printed, with a profile in `scratch`."""
    shot = os.path.join(scratch, "shot.png")
    env = dict(os.environ, HOME=scratch, XDG_CONFIG_HOME=scratch, XDG_CACHE_HOME=scratch)
    proc = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--user-data-dir={scratch}/profile", "--enable-logging=stderr", "--v=0",
                           "--window-size=900,2400", f"--screenshot={shot}", "file://" + page],
                          env=env, capture_output=True, text=True, timeout=120)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.returncode, shot, console


class Html(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        cls.dir = cls._tmp.name
        mbox = b""
        for n, (rcpt, status, diag, day) in enumerate(MIX):
            mbox += f"From MAILER-DAEMON Mon Mar  2 10:00:0{n} 2026\n".encode()
            mbox += dsn(n, rcpt, status, diag, day) + b"\n"
        cls.mbox = os.path.join(cls.dir, "mix.mbox")
        with open(cls.mbox, "wb") as f:
            f.write(mbox.replace("\xff\xfe".encode(), b"\xff\xfe"))  # invalid UTF-8 in the input
        proc = subprocess.run([CAROM, "classify", "--format", "html", cls.mbox], capture_output=True, timeout=120)
        cls.rc, cls.html = proc.returncode, proc.stdout
        cls.page = os.path.join(cls.dir, "report.html")
        with open(cls.page, "wb") as f:
            f.write(cls.html)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def parsed(self):
        p = Page()
        p.feed(self.html.decode("utf-8"))  # valid UTF-8 throughout, or this raises
        p.close()
        return p

    def test_one_document_with_inline_svg_charts(self):
        self.assertEqual(self.rc, 0)
        self.assertTrue(self.html.startswith(b"<!DOCTYPE html>"))
        p = self.parsed()
        self.assertEqual(p.tags.count("html"), 1)
        self.assertEqual(p.tags.count("svg"), 4)  # classes, reasons, domains, time

    def test_nothing_is_loaded_from_elsewhere_and_there_is_no_script(self):
        p = self.parsed()
        self.assertNotIn("script", p.tags)
        self.assertNotIn("img", p.tags)
        self.assertNotIn("link", p.tags)
        self.assertEqual([a for a in p.attrs if a[1] in ("src", "href", "xlink:href")], [])
        self.assertNotIn(b"url(", self.html)
        self.assertIn(b"default-src 'none'", self.html)

    def test_input_text_is_escaped(self):
        self.assertNotIn(b"<script>", self.html)
        self.assertIn(b"&lt;script&gt;alert(#)&lt;/script&gt; &quot;q&quot; &amp; &#39;a&#39;", self.html)
        self.assertIn("\u00ff\u00fe".encode(), self.html)  # the library reads stray bytes as Latin-1

    def test_sources_in_the_error_list_are_escaped_and_valid_utf8(self):
        folder = os.path.join(self.dir, "errors")
        os.makedirs(folder, exist_ok=True)
        name = os.path.join(folder.encode(), b"<b>bad\xff.eml")
        open(name, "wb").close()  # empty: an error record named by its source
        proc = subprocess.run([CAROM, "classify", "--format", "html", folder], capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 1)
        page = proc.stdout.decode("utf-8")  # raises on invalid UTF-8
        self.assertIn("&lt;b&gt;bad\ufffd.eml", page)
        self.assertNotIn("<b>", page)

    def test_the_counts_of_the_mix(self):
        text = " ".join(self.parsed().texts)
        self.assertIn("6 messages (6 bounces, 0 not bounces, 0 errors), 6 records", text)
        for title in ("hard hard: 3", "soft soft: 2", "block block: 1",  # records per class
                      "hard.example.org hard: 2", "other.example.net hard: 1", "full.example.com soft: 2",
                      "spam.example.jp block: 1",  # per receiving domain, by class
                      "2026-03-01 hard: 2", "2026-03-02 block: 1", "2026-03-04 hard: 1", "2026-03-04 soft: 2"):
            self.assertIn(title, text)

    def test_the_timeline_runs_from_the_first_day_to_the_last(self):
        text = " ".join(self.parsed().texts)
        self.assertIn("2026-03-01", text)
        self.assertIn("2026-03-04", text)
        self.assertNotIn("2026-02-28", text)
        self.assertNotIn("2026-03-05", text)
        # 2026-03-03 has no bounce: a column of nothing, so no bar is titled with it.
        self.assertNotIn("2026-03-03 ", text)

    def require_chromium(self):
        if chromium() is None:
            if os.environ.get("CI") == "true":
                self.fail("Chromium is missing in CI (.ci/setup installs Debian's chromium)")
            self.skipTest("no chromium (Debian's chromium package; .ci/setup installs it)")

    def test_chromium_renders_it_without_a_console_message(self):
        self.require_chromium()
        with tempfile.TemporaryDirectory() as scratch:
            rc, shot, console = render(self.page, scratch)
            self.assertEqual(rc, 0)
            self.assertEqual(console, [])
            width, height, rows = png_pixels(shot)
        self.assertEqual((width, height), (900, 2400))
        seen = {name: 0 for name in COLOURS}
        for row in rows:
            for px in row:
                for name, colour in COLOURS.items():
                    if all(abs(px[k] - colour[k]) <= 6 for k in range(3)):
                        seen[name] += 1
        # Each class's bars, legend squares and columns cover at least a few hundred pixels.
        for name, count in seen.items():
            self.assertGreater(count, 300, (name, seen))
        white = sum(1 for row in rows for px in row if px == (255, 255, 255))
        self.assertLess(white, 0.97 * width * height)

    def test_the_rendering_check_tells_a_broken_page(self):
        self.require_chromium()
        with tempfile.TemporaryDirectory() as scratch:
            bad = os.path.join(scratch, "bad.html")
            with open(bad, "w") as f:
                f.write(self.html.decode().replace(
                    "</body>", "<img src=\"http://192.0.2.1/x.png\"><script>undefined_call()</script></body>"))
            rc, shot, console = render(bad, scratch)
        self.assertEqual(rc, 0)
        self.assertGreaterEqual(len(console), 2, console)  # the blocked image and the blocked script


def main():
    global CAROM
    CAROM = os.path.abspath(sys.argv[1])
    result = unittest.main(argv=[sys.argv[0]] + sys.argv[2:], exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
