"""The web app (starlette): the page, the feed, and each session's files, under the token.

    /s/<token>/                     the page
    /s/<token>/feed.xml             the podcast feed
    /s/<token>/audio/<name>         the MP3 or M4B, with Range requests (206) for seeking
    /s/<token>/download/<name>      the same, as an attachment
    /s/<token>/cover/<stem>.jpg     the cover embedded in it
    /s/<token>/chapters/<stem>.json Podcasting 2.0 chapters, from its timeline
    /s/<token>/transcript/<stem>.vtt  WebVTT, from its timeline

With no token (--public) the same paths start at /. A name is looked up among the folder's
sessions (catalog.py), never joined onto a path, so nothing else can be reached: any other
path, a wrong token, or a name that is not a session's gets the same bare 404.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from narrator.serve.catalog import Catalog, Episode, cover_of

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # The token is in every address: no page here may hand it to another site.
    "Referrer-Policy": "no-referrer",
}
_PAGE_POLICY = ("default-src 'none'; img-src 'self'; media-src 'self'; "
                "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; "
                "form-action 'none'")


def _fresh(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Headers for what changes with every build: asked for again each time."""
    return {**_HEADERS, "Cache-Control": "no-cache", **(extra or {})}


def create_app(catalog: Catalog, token: str | None) -> Starlette:
    """The app serving `catalog`; with `token`, only under /s/<token>/."""
    from narrator.publish.exports import podcast_chapters, webvtt
    from narrator.serve.feed import CHAPTERS_TYPE, feed_xml
    from narrator.serve.page import page_html

    def base_of(request: Request, tail: str) -> str:
        url = str(request.url.replace(query="", fragment=""))
        return url[: len(url) - len(tail)] if tail and url.endswith(tail) else url

    def by_name(request: Request) -> Episode:
        episode = next((e for e in catalog.episodes() if e.name == request.path_params["name"]),
                       None)
        if episode is None:
            raise HTTPException(404)
        return episode

    def by_stem(request: Request, suffixes: tuple[str, ...]) -> Episode:
        name: str = request.path_params["name"]
        for suffix in suffixes:
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                found = next((e for e in catalog.episodes() if e.stem == stem), None)
                if found is not None:
                    return found
        raise HTTPException(404)

    def page(request: Request) -> Response:
        base = base_of(request, "")
        return Response(page_html(catalog.episodes(), base + "feed.xml"),
                        media_type="text/html; charset=utf-8",
                        headers=_fresh({"Content-Security-Policy": _PAGE_POLICY}))

    def feed(request: Request) -> Response:
        base = base_of(request, "feed.xml")
        return Response(feed_xml(catalog.episodes(), base, page=base),
                        media_type="application/rss+xml; charset=utf-8", headers=_fresh())

    def audio(request: Request) -> Response:
        episode = by_name(request)
        return FileResponse(episode.audio, media_type=episode.media_type, headers=_fresh())

    def download(request: Request) -> Response:
        episode = by_name(request)
        return FileResponse(episode.audio, media_type=episode.media_type, headers=_fresh(),
                            filename=episode.name)

    def cover(request: Request) -> Response:
        episode = by_stem(request, (".jpg", ".png"))
        found = cover_of(episode)
        if found is None:
            raise HTTPException(404)
        return Response(found[1], media_type=found[0], headers=_fresh())

    def chapters(request: Request) -> Response:
        episode = by_stem(request, (".json",))
        return Response(podcast_chapters(episode.timeline, title=episode.title),
                        media_type=CHAPTERS_TYPE, headers=_fresh())

    def transcript(request: Request) -> Response:
        episode = by_stem(request, (".vtt",))
        return Response(webvtt(episode.timeline), media_type="text/vtt; charset=utf-8",
                        headers=_fresh())

    routes: list[BaseRoute] = [
        Route("/", page), Route("/feed.xml", feed),
        Route("/audio/{name}", audio), Route("/download/{name}", download),
        Route("/cover/{name}", cover), Route("/chapters/{name}", chapters),
        Route("/transcript/{name}", transcript),
    ]
    if token is not None:
        routes = [Mount(f"/s/{token}", routes=routes)]

    async def not_found(request: Request, exc: Any) -> Response:
        return PlainTextResponse("Not found", status_code=404, headers=_HEADERS)

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
