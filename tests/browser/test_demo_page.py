"""The demo page's files (`/demo/`, issue 12) as the app serves them, without a browser: the page,
its stylesheet and the whole graph of ES modules it imports, all local to the server."""

from __future__ import annotations

import re

import httpx

from watchparty.demo import DEMO_PATH

# The module specifier of `... from "x"` (imports and re-exports, one line or several) and of
# a bare `import "x"`.
_SPECIFIER = re.compile(r'(?:\bfrom\s*|^import\s*)"([^"]+)"', re.MULTILINE)


async def test_page_and_every_module_it_imports_are_served(client: httpx.AsyncClient) -> None:
    bare = await client.get(DEMO_PATH, follow_redirects=False)
    assert bare.status_code == 308
    assert bare.headers["location"] == f"{DEMO_PATH}/"

    page = await client.get(f"{DEMO_PATH}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="demo.js"></script>' in page.text
    style = await client.get(f"{DEMO_PATH}/demo.css")
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")

    # Walk the module graph from demo.js: every import is relative and served as JavaScript
    # (browsers refuse a module of another type, nosniff is on), down to the client's dist/.
    seen: set[str] = set()
    todo = [f"{DEMO_PATH}/demo.js"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        module = await client.get(url)
        assert module.status_code == 200, url
        assert "javascript" in module.headers["content-type"], url
        specifiers = _SPECIFIER.findall(module.text)
        assert all(spec.startswith(("./", "../")) for spec in specifiers), (url, specifiers)
        base = url.rsplit("/", 1)[0]
        todo += [str(httpx.URL(f"{base}/").join(spec).path) for spec in specifiers]
    assert f"{DEMO_PATH}/client/index.js" in seen
    assert f"{DEMO_PATH}/client/realtime.js" in seen


async def test_missing_files_answer_in_the_error_shape(client: httpx.AsyncClient) -> None:
    for url in (f"{DEMO_PATH}/nothing.js", f"{DEMO_PATH}/client/nothing.js"):
        missing = await client.get(url)
        assert missing.status_code == 404, url
        assert missing.json() == {"detail": "Not found.", "code": "not_found"}
