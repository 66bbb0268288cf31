"""The static site as an ASGI app, with the content negotiation of :mod:`ibmkg.publish.conneg`.

``site_app(site_dir)`` is what ``ibmkg serve`` mounts at ``/`` and what ``ibmkg site --serve``
runs with uvicorn on 127.0.0.1. An existing file is served with its media type; any other
path is answered ``303 See Other`` to the file :func:`~ibmkg.publish.conneg.choose` and
:func:`~ibmkg.publish.conneg.target` pick, exactly as the generated ``.htaccess`` does.
Paths never leave ``site_dir`` (``..`` and symbolic links out of it give 404).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ibmkg.publish.conneg import choose, media_type_for, negotiable, target

__all__ = ["resolve", "site_app"]


def resolve(site_dir: Path, path: str) -> Path | None:
    """The file of the site a request path names, if it exists inside the site.

    :param site_dir: the site folder.
    :param path: the URL path without its leading ``/`` (already percent-decoded).
    :returns: the file, or ``None``.

    >>> resolve(Path("."), "../etc/passwd") is None
    True
    """
    if not path or path.endswith("/") or "\x00" in path:
        return None
    root = site_dir.resolve()
    candidate = (root / path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def site_app(site_dir: Path) -> Starlette:
    """An ASGI app serving a site written by :func:`ibmkg.publish.build_site`.

    :param site_dir: the site folder (``build/site``).
    :returns: the Starlette app.

    >>> site_app(Path("build/site")).routes[0].path
    '/{path:path}'
    """

    async def handle(request: Request) -> Response:
        path = request.path_params.get("path", "")
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse("method not allowed\n", status_code=405,
                                     headers={"Allow": "GET, HEAD"})
        found = resolve(site_dir, path)
        if found is not None:
            relative = found.relative_to(site_dir.resolve()).as_posix()
            return FileResponse(found, media_type=media_type_for(relative),
                                headers={"Vary": "Accept"})
        if not negotiable(path):
            return PlainTextResponse("not found\n", status_code=404)
        variant = choose(request.headers.get("accept"), request.query_params.get("format"))
        location = "/" + target(path, variant)
        return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})

    return Starlette(routes=[Route("/{path:path}", handle, methods=["GET", "HEAD", "POST",
                                                                     "PUT", "DELETE"])])


def serve(site_dir: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run :func:`site_app` with uvicorn until interrupted.

    :param site_dir: the site folder.
    :param host: the address to listen on (loopback by default).
    :param port: the port.
    """
    import uvicorn

    uvicorn.run(site_app(site_dir), host=host, port=port, log_level="warning")
