"""The page a phone's browser shows: every session with its cover, length and chapters, an
audio player that jumps to a chapter, and a download button.

One HTML document with its style inline and a few lines of script for the chapter jumps: no
framework, no external asset, nothing fetched from anywhere but this server. Links are
relative, so the page works under the token's path and without it.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from narrator.serve.catalog import Episode
from narrator.serve.feed import clock, describe

_STYLE = """
:root { color-scheme: light dark; --fg: #1d2327; --muted: #5b6770; --bg: #f6f4ef;
  --card: #fff; --accent: #2f6f5e; --line: #e3dfd6; }
@media (prefers-color-scheme: dark) { :root { --fg: #ece9e2; --muted: #a3aab0;
  --bg: #15191b; --card: #1f2528; --accent: #7cc4ad; --line: #323a3e; } }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 .25rem; }
.lead { color: var(--muted); margin: 0 0 1rem; }
.subscribe { display: block; padding: .75rem 1rem; border: 1px solid var(--line);
  border-radius: .75rem; background: var(--card); color: var(--fg); text-decoration: none;
  margin-bottom: 1.25rem; }
.subscribe b { color: var(--accent); }
.subscribe code { display: block; font-size: .8rem; color: var(--muted);
  overflow-wrap: anywhere; margin-top: .25rem; }
article { background: var(--card); border: 1px solid var(--line); border-radius: 1rem;
  padding: 1rem; margin-bottom: 1.25rem; }
.top { display: flex; gap: .9rem; align-items: center; }
.top img { width: 6.5rem; height: 6.5rem; border-radius: .6rem; flex: none;
  object-fit: cover; }
h2 { font-size: 1.2rem; margin: 0 0 .2rem; line-height: 1.25; }
.meta { color: var(--muted); margin: 0; font-size: .95rem; }
audio { width: 100%; margin: 1rem 0 .5rem; }
ol { list-style: none; padding: 0; margin: 0 0 1rem; }
li button { width: 100%; display: flex; justify-content: space-between; gap: 1rem;
  text-align: left; font: inherit; color: inherit; background: none; border: 0;
  border-top: 1px solid var(--line); padding: .7rem .25rem; cursor: pointer; }
li button span { color: var(--muted); font-variant-numeric: tabular-nums; }
li button[aria-current] { color: var(--accent); font-weight: 600; }
.download { display: block; text-align: center; padding: .8rem; border-radius: .75rem;
  background: var(--accent); color: var(--card); font-weight: 600; text-decoration: none; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: .85rem; text-align: center; padding: 1rem; }
"""

# Tap a chapter: its player jumps there and plays. The chapter playing is marked, and
# starting one player pauses the others.
_SCRIPT = """
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-start]");
  if (!button) return;
  var audio = document.getElementById(button.dataset.player);
  audio.currentTime = Number(button.dataset.start);
  audio.play();
});
document.querySelectorAll("audio").forEach(function (audio) {
  var buttons = document.querySelectorAll('button[data-player="' + audio.id + '"]');
  audio.addEventListener("timeupdate", function () {
    buttons.forEach(function (b) {
      var on = audio.currentTime >= Number(b.dataset.start) &&
               audio.currentTime < Number(b.dataset.end);
      if (on) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    });
  });
  audio.addEventListener("play", function () {
    document.querySelectorAll("audio").forEach(function (other) {
      if (other !== audio) other.pause();
    });
  });
});
"""


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _episode(index: int, episode: Episode) -> str:
    player = f"player-{index}"
    name = quote(episode.name)
    cover = (f'<img src="cover/{quote(episode.cover_file)}" alt="" width="104" height="104">'
             if episode.has_cover else "")
    chapters = "\n".join(
        f'<li><button type="button" data-player="{player}" data-start="{start / 1000:.3f}" '
        f'data-end="{end / 1000:.3f}">{escape(title)}<span>{clock(start)}</span></button></li>'
        for title, start, end in episode.chapter_ms())
    kind = "M4B" if episode.media_type == "audio/mp4" else "MP3"
    return f"""<article id="{escape(episode.stem)}">
<div class="top">{cover}<div>
<h2>{escape(episode.title)}</h2>
<p class="meta">{clock(episode.duration_ms)} · {len(episode.chapters)} chapters</p>
</div></div>
<audio id="{player}" controls preload="metadata" src="audio/{name}"></audio>
<ol aria-label="Chapters">
{chapters}
</ol>
<a class="download" href="download/{name}" download>Download {kind} ({_size(episode.size)})</a>
</article>"""


def page_html(episodes: list[Episode], feed_url: str) -> str:
    """The whole page; `feed_url` is shown in full to copy into a podcast app."""
    if episodes:
        items = "\n".join(_episode(i, e) for i, e in enumerate(episodes))
        count = f"{len(episodes)} session{'s' if len(episodes) != 1 else ''}"
    else:
        items = ('<p class="empty">No sessions yet. Build one with <code>narrator build</code>'
                 " and reload this page.</p>")
        count = "no sessions yet"
    summaries = " ".join(escape(describe(e)) for e in episodes[:1])
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{summaries}">
<title>narrator sessions</title>
<link rel="alternate" type="application/rss+xml" title="narrator sessions" href="feed.xml">
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>Stretching sessions</h1>
<p class="lead">{count} · tap a chapter to jump to it</p>
<a class="subscribe" href="feed.xml"><b>Subscribe in a podcast app</b>
<code>{escape(feed_url)}</code></a>
{items}
<footer>Served by narrator from this computer. Anyone on the same network who knows this
address can listen.</footer>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""
