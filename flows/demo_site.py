"""The bundled demo review site: pages rendered from demo/ with dates relative to today, served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
ROBOTS = "User-agent: *\nDisallow: /admin/\n"


@dataclass
class DemoSite:
    """Reviews and businesses from demo/, rendered as schema.org pages."""

    businesses: list[dict]
    reviews: list[dict]
    per_page: int
    today: date
    app_reviews: list[dict] = field(default_factory=list)
    feed_per_page: int = 5

    @classmethod
    def load(cls, folder: Path = DEMO_DIR, today: date | None = None) -> "DemoSite":
        meta = json.loads((folder / "site.json").read_text(encoding="utf-8"))
        return cls(meta["businesses"], _jsonl(folder / "reviews.jsonl"), meta["per_page"], today or date.today(),
                   _jsonl(folder / "app_reviews.jsonl"), meta.get("feed_per_page", 5))

    def location_reviews(self, business: str, location: str) -> list[dict]:
        """A location's reviews, newest first (indexed once, so big synthetic sites page quickly)."""
        if getattr(self, "_by_location", None) is None:
            index: dict[tuple[str, str], list[dict]] = {}
            for review in self.reviews:
                index.setdefault((review["business"], review["location"]), []).append(review)
            self._by_location = {key: sorted(found, key=lambda r: (r["days_ago"], r["id"])) for key, found in index.items()}
        return self._by_location.get((business, location), [])

    def page(self, path: str, base_url: str) -> tuple[int, str, str]:
        """(status, content type, body) for PATH."""
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", ROBOTS
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self._index()
        feed = FEED_PATH.match(path)
        if feed:
            return 200, "application/json; charset=utf-8", self._feed(feed["country"], int(feed["page"]), feed["app"])
        parts = [p for p in path.split("/") if p]
        if len(parts) in (3, 4) and parts[2] == "reviews":
            business = next((b for b in self.businesses if b["slug"] == parts[0]), None)
            if business and parts[1] in business["locations"]:
                number = 1
                if len(parts) == 4:
                    if not parts[3].startswith("page-") or not parts[3][5:].isdigit():
                        return 404, "text/plain", "not found"
                    number = int(parts[3][5:])
                body = self._reviews_page(business, parts[1], number, base_url)
                if body is not None:
                    return 200, "text/html; charset=utf-8", body
        return 404, "text/plain; charset=utf-8", "not found"

    def _index(self) -> str:
        links = "".join(
            f'<li><a href="/{b["slug"]}/{slug}/reviews">{escape(b["name"])}, {escape(name)}</a></li>'
            for b in self.businesses for slug, name in b["locations"].items()
        )
        return f"<!doctype html><html lang=\"en\"><title>Demo reviews</title><ul>{links}</ul></html>"

    def _reviews_page(self, business: dict, location: str, number: int, base_url: str) -> str | None:
        reviews = self.location_reviews(business["slug"], location)
        pages = max(1, -(-len(reviews) // self.per_page))
        if number < 1 or number > pages:
            return None
        shown = reviews[(number - 1) * self.per_page:number * self.per_page]
        path = f"/{business['slug']}/{location}/reviews"
        next_link = f"{path}/page-{number + 1}" if number < pages else None
        rated = [r["rating"] for r in reviews if r["rating"] is not None]
        average = round(sum(rated) / len(rated), 1) if rated else None
        title = f"{business['name']}, {business['locations'][location]}"
        markup = business["markup"]
        if markup == "microdata":
            content = self._microdata(business, title, shown, average, len(reviews), base_url + path)
        else:
            content = self._json_ld(business, title, shown, average, len(reviews), base_url + path,
                                    graph=markup == "json-ld-graph") + self._plain_list(shown)
        head_next = f'<link rel="next" href="{next_link}">' if next_link else ""
        nav = f'<a rel="next" href="{next_link}">Older reviews</a>' if next_link else ""
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} reviews</title>'
                f"{head_next}</head><body><h1>{escape(title)}</h1>{content}<nav>Page {number} of {pages} {nav}</nav>"
                "</body></html>")

    def _published(self, review: dict) -> date:
        return self.today - timedelta(days=review["days_ago"])

    def _json_ld(self, business: dict, title: str, shown: list[dict], average, count: int, page_url: str,
                 graph: bool) -> str:
        items = []
        for r in shown:
            published = self._published(r)
            item = {
                "@type": "Review",
                "@id": f"{page_url}#{r['id']}",
                "name": r["title"],
                "reviewBody": r["body"],
                "author": {"@type": "Person", "name": r["author"]},
                # The bank's pages write dates for people; the clinic's use ISO dates.
                "datePublished": published.strftime("%B %d, %Y") if graph else published.isoformat(),
            }
            if r["rating"] is not None:
                item["reviewRating"] = {"@type": "Rating", "ratingValue": r["rating"], "bestRating": 5, "worstRating": 1}
            items.append(item)
        place = {"@type": business["schema_type"], "@id": page_url + "#place", "name": title,
                 "aggregateRating": {"@type": "AggregateRating", "ratingValue": average, "reviewCount": count}}
        if graph:
            for item in items:
                item["itemReviewed"] = {"@id": place["@id"]}
            data = {"@context": "https://schema.org", "@graph": [place, *items]}
        else:
            data = {"@context": "https://schema.org", **place, "review": items}
        text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
        return f'<script type="application/ld+json">{text}</script>'

    def _plain_list(self, shown: list[dict]) -> str:
        return "".join(
            f"<article><h3>{escape(r['title'])}</h3><p>{escape(r['body'])}</p>"
            f"<footer>{escape(r['author'])}, {self._published(r):%d %B %Y}</footer></article>"
            for r in shown
        )

    def _microdata(self, business: dict, title: str, shown: list[dict], average, count: int, page_url: str) -> str:
        articles = []
        for r in shown:
            published = self._published(r)
            # Some reviews carry no id, as on many real sites: storyminer then derives one.
            itemid = "" if r["id"].endswith(("3", "7")) else f' itemid="{page_url}#{r["id"]}"'
            rating = ""
            if r["rating"] is not None:
                rating = ('<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
                          f'<meta itemprop="worstRating" content="1"><span itemprop="ratingValue">{r["rating"]}</span>'
                          ' out of <span itemprop="bestRating">5</span></div>')
            articles.append(
                f'<article itemprop="review" itemscope itemtype="https://schema.org/Review"{itemid}>'
                f'<h3 itemprop="name">{escape(r["title"])}</h3>'
                '<p>by <span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                f'<span itemprop="name">{escape(r["author"])}</span></span>, '
                f'<time itemprop="datePublished" datetime="{published.isoformat()}">{published:%d %B %Y}</time></p>'
                f'{rating}<p itemprop="reviewBody">{escape(r["body"])}</p></article>'
            )
        return (f'<div itemscope itemtype="https://schema.org/{business["schema_type"]}">'
                f'<h2 itemprop="name">{escape(title)}</h2>'
                '<div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">'
                f'Rated <span itemprop="ratingValue">{average}</span> from <span itemprop="reviewCount">{count}</span>'
                f' reviews</div>{"".join(articles)}</div>')


    def _feed(self, country: str, number: int, app_id: str) -> str:
        """Apple's customer-reviews JSON feed, newest first; an empty page has no "entry" key."""
        found = sorted((r for r in self.app_reviews if r["country"] == country and r["app_id"] == app_id),
                       key=lambda r: (r["days_ago"], r["id"]))
        shown = found[(number - 1) * self.feed_per_page:number * self.feed_per_page] if number >= 1 else []
        entries = []
        for r in shown:
            published = datetime.combine(self._published(r), time(9, 15), tzinfo=timezone(timedelta(hours=-7)))
            entries.append({
                "author": {"uri": {"label": f"https://apps.example/{country}/reviews/id{r['id']}"},
                           "name": {"label": r["author"]}, "label": ""},
                "updated": {"label": published.isoformat()},
                "im:rating": {"label": str(r["rating"])},
                "im:version": {"label": r["version"]},
                "id": {"label": r["id"]},
                "title": {"label": r["title"]},
                "content": {"label": r["body"], "attributes": {"type": "text"}},
                "im:voteSum": {"label": "0"}, "im:voteCount": {"label": "0"},
            })
        feed: dict = {"title": {"label": "Customer Reviews: Northgate Mobile"}, "id": {"label": app_id}}
        if entries:
            feed["entry"] = entries
        return json.dumps({"feed": feed}, ensure_ascii=False)


FEED_PATH = re.compile(r"^/(?P<country>[a-z]{2})/rss/customerreviews/page=(?P<page>\d+)/id=(?P<app>\d+)"
                       r"/sortby=mostrecent/json$")


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class _Handler(BaseHTTPRequestHandler):
    site: DemoSite

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        host, port = self.server.server_address[:2]
        status, content_type, body = self.site.page(self.path.split("?")[0], f"http://{host}:{port}")
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # keep the demo's output to the summary
        pass


def serve(site: DemoSite | None = None, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve SITE on 127.0.0.1 in a background thread; returns the server and its base URL."""
    handler = type("DemoHandler", (_Handler,), {"site": site or DemoSite.load()})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="demo-site").start()
    host, bound_port = server.server_address[:2]
    return server, f"http://{host}:{bound_port}"
