"""Regenerate the README's screenshots of the workspace: ``docs/screens/NAME.png``, 1280×900.

Each page of :data:`tests.web.e2e.harness.PAGES` marked ``readme`` is opened in Debian's
Chromium (by path, never a downloaded browser) against the workspace served on a free loopback
port, checked exactly as the browser tests check it (so a screenshot is only taken of a page
whose charts are drawn) and photographed at the browser window's size. It lives beside the
browser tests because it shares their list of pages and their checks: a page added there is
photographed here too.

Usage (``make screens``)::

    .venv/bin/python -m tests.web.e2e.screens [--out docs/screens] [--full-page] [NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.web.e2e.harness import (
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    VIEWPORT,
    LiveServer,
    chromium_path,
    visit,
    watch,
)

OUT = ROOT / "docs" / "screens"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these pages (default: every README page)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not 1280×900")
    args = parser.parse_args(argv)
    chosen = [p for p in PAGES if (p.name in args.names if args.names else p.readme)]
    unknown = set(args.names) - {p.name for p in PAGES}
    if unknown:
        parser.error(f"no page named {', '.join(sorted(unknown))}")
    chromium = chromium_path()
    if chromium is None:
        print(
            "error: no Chromium: apt-get install chromium (or set ZOPA_CHROMIUM)", file=sys.stderr
        )
        return 2
    from playwright.sync_api import sync_playwright

    from zopa.web.settings import Settings

    args.out.mkdir(parents=True, exist_ok=True)
    server = LiveServer(Settings()).start()
    status = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for spec in chosen:
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                problems = watch(page)
                visit(page, server.url, spec)
                page.evaluate("window.scrollTo(0, 0)")
                target = args.out / f"{spec.name}.png"
                page.screenshot(path=str(target), full_page=args.full_page)
                context.close()
                for problem in problems:
                    print(f"{spec.name}: {problem}", file=sys.stderr)
                    status = 1
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
            browser.close()
    finally:
        server.stop()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
