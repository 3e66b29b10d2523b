"""The `storyminer` command: demo, run, analyse, extract. Exit 0 ok, 1 partial, 2 bad input or config."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Iterator, TextIO

OK, PARTIAL, BAD_INPUT = 0, 1, 2
DEMO_DATABASE = "sqlite:///demo-output/storyminer.db"


class UsageError(Exception):
    """Bad input or configuration: printed on stderr, exit code 2."""


def _fail(message: str) -> int:
    print(f"storyminer: {message}", file=sys.stderr)
    return BAD_INPUT


def _check_warehouse(url: str) -> None:
    """Open and migrate the warehouse before the flow starts, so a bad URL is a clear exit 2."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from warehouse.db import open_warehouse

    try:
        open_warehouse(url).dispose()
    except (ArgumentError, SQLAlchemyError, ImportError) as exc:
        raise UsageError(f"cannot open the warehouse at {url}: {exc.__class__.__name__}: {exc}") from None


def _run_flow(config_path: str | None, database: str | None) -> int:
    from flows.daily_stories import daily_stories
    from flows.settings import database_url, load_settings
    from flows.summary import as_text

    settings = load_settings(config_path)
    url = database_url(settings, database)
    _check_warehouse(url)
    summary = daily_stories(config_path=config_path, database=url)
    print(as_text(summary))
    return PARTIAL if summary["status"] == "partial" else OK


def cmd_run(args: argparse.Namespace) -> int:
    return _run_flow(args.config, args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.demo_site import DEMO_DIR, serve

    server, base_url = serve()
    os.environ["STORYMINER_DEMO_URL"] = base_url
    print(f"Demo site serving on {base_url}", file=sys.stderr)
    try:
        return _run_flow(str(DEMO_DIR / "storyminer.yaml"), args.db or DEMO_DATABASE)
    finally:
        server.shutdown()


def _analyse_inputs(stream: TextIO, problems: list[str]) -> Iterator:
    from nlp.analyser import TextInput

    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            text = record.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            rating, rating_max = record.get("rating"), record.get("rating_max")
            for name, value in (("rating", rating), ("rating_max", rating_max)):
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    raise ValueError(f'"{name}" must be a number')
            if rating is not None and rating_max is None:
                rating_max = 5
            yield TextInput(record.get("id", number), text, record.get("title"), rating, rating_max)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            problems.append(f"line {number}: {exc}")
            print(f"storyminer: line {number} skipped: {exc}", file=sys.stderr)


def cmd_analyse(args: argparse.Namespace) -> int:
    from flows.settings import load_settings
    from nlp.analyser import Analyser

    settings = load_settings(args.config) if args.config else None
    model = args.model or (settings.nlp.model if settings else None)
    if args.input != "-" and not Path(args.input).is_file():
        raise UsageError(f"{args.input}: no such file")
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    out = sys.stdout if not args.output else open(args.output, "w", encoding="utf-8")
    problems: list[str] = []
    try:
        analyser = Analyser(model=model)
        for analysis in analyser.analyse(_analyse_inputs(source, problems)):
            out.write(json.dumps(analysis.public_dict(), ensure_ascii=False) + "\n")
    finally:
        if source is not sys.stdin:
            source.close()
        if out is not sys.stdout:
            out.close()
    return BAD_INPUT if problems else OK


def cmd_extract(args: argparse.Namespace) -> int:
    from extractors import get_extractor
    from extractors.crawl import decode
    from extractors.fetch import FetchError, Fetcher
    from flows.secrets import resolve_secret
    from flows.settings import load_settings

    try:
        parser = get_extractor(args.kind)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        page = parser.parse(path.read_bytes(), str(path.resolve()) if args.kind == "file" else path.resolve().as_uri())
    else:
        if args.kind == "file":
            raise UsageError("a file export is read with --file, not --url")
        crawl = load_settings(args.config).crawl
        fetcher = Fetcher(crawl.user_agent, crawl.min_delay_s, crawl.connect_timeout_s, crawl.read_timeout_s,
                          crawl.max_body_bytes, allowed_hosts=[*crawl.allow_hosts, *args.allow_host])
        headers = {"Authorization": f"Bearer {resolve_secret(args.token)}"} if args.token else None
        try:
            fetched = fetcher.get(args.url, accept=parser.ACCEPT, headers=headers)
        except FetchError as exc:
            raise UsageError(str(exc)) from None
        page = parser.parse(decode(fetched), fetched.url)
    for review in page.reviews:
        print(json.dumps(review.public_dict(), ensure_ascii=False))
    for reason in page.skipped:
        print(f"storyminer: skipped {reason}", file=sys.stderr)
    for error in page.errors:
        print(f"storyminer: {error}", file=sys.stderr)
    if page.next_url:
        print(f"storyminer: next page: {page.next_url}", file=sys.stderr)
    return BAD_INPUT if page.errors and not page.reviews else OK


ALERT_COLUMNS = ["id", "status", "business", "location", "behaviour", "window_end", "observed", "expected",
                 "score", "notified_at", "delivery_error"]


def _warehouse(args: argparse.Namespace):
    from flows.settings import database_url, load_settings
    from warehouse.db import open_warehouse

    settings = load_settings(args.config)
    url = database_url(settings, args.db)
    _check_warehouse(url)
    return settings, open_warehouse(url)


def cmd_alerts(args: argparse.Namespace) -> int:
    from datetime import date

    from flows.alerting import backtest
    from flows.output import render
    from warehouse.alerts import acknowledge, list_alerts
    from warehouse.models import Business, Location
    from sqlalchemy import select

    settings, engine = _warehouse(args)
    action = args.action or "list"
    if action == "ack":
        if not args.ids:
            raise UsageError("alerts ack needs at least one alert id")
        missing = [i for i in args.ids if not acknowledge(engine, i, args.by)]
        for alert_id in args.ids:
            if alert_id not in missing:
                print(f"alert {alert_id} acknowledged")
        if missing:
            raise UsageError(f"no open alert with id {', '.join(map(str, missing))}")
        return OK
    if action == "backtest":
        found = backtest(engine, settings.alerts, date.today(), args.days)
        with engine.connect() as conn:
            names = {lid: (b, l) for lid, b, l in conn.execute(
                select(Location.id, Business.name, Location.name).join(Business, Location.business_id == Business.id))}
        rows = [{"day": f.spike.day.isoformat(), "business": names[f.location_id][0],
                 "location": names[f.location_id][1], "behaviour": f.behaviour, "observed": f.spike.observed,
                 "expected": f.spike.expected, "score": f.spike.score} for f in found]
        print(render(rows, ["day", "business", "location", "behaviour", "observed", "expected", "score"], args.format))
        return OK
    status = None if args.status == "all" else args.status
    print(render(list_alerts(engine, status), ALERT_COLUMNS, args.format))
    return OK


STORY_COLUMNS = ["id", "story_score", "story_type", "status", "business", "location", "source", "published_at",
                 "author", "headline", "url"]
PUBLIC_COLUMNS = ["id", "business", "location", "published_at", "author", "rating", "rating_max", "title", "body",
                  "url"]


def _date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-23") from None


def cmd_stories(args: argparse.Namespace) -> int:
    from flows.output import render
    from warehouse.privacy import redact_story
    from warehouse.queries import StoryFilter, stories

    settings, engine = _warehouse(args)
    status = "approved_public" if args.public else args.status
    where = StoryFilter(business=args.business, location=args.location, source=args.source,
                        behaviour=args.behaviour, polarity=args.polarity, story_type=args.type, staff=args.staff,
                        since=args.since, until=args.until, min_score=args.min_score, text=args.text, status=status)
    rows = [{k: v for k, v in r.items() if k != "cursor"} for r in stories(engine, where, sort=args.sort,
                                                                          limit=args.limit)]
    if settings.privacy.redact and not args.no_redact:
        rows = [redact_story(r) for r in rows]
    if args.public:
        columns = PUBLIC_COLUMNS
        rows = [{k: r[k] for k in PUBLIC_COLUMNS} for r in rows]
    else:
        columns = STORY_COLUMNS if args.format == "table" else list(rows[0]) if rows else STORY_COLUMNS
    print(render(rows, columns, args.format))
    return OK


def cmd_curate(args: argparse.Namespace) -> int:
    from flows.output import render
    from warehouse.curation import NotFound, curate, history

    _, engine = _warehouse(args)
    try:
        if args.status:
            curate(engine, args.review, args.status, args.by or "", args.note)
            print(f"story {args.review}: {args.status} (by {args.by})")
        print(render(history(engine, args.review), ["at", "status", "by", "note"], args.format))
    except (NotFound, ValueError) as exc:
        raise UsageError(str(exc)) from None
    return OK


def cmd_forget(args: argparse.Namespace) -> int:
    from warehouse.curation import NotFound, forget

    _, engine = _warehouse(args)
    try:
        forget(engine, args.review)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    print(f"review {args.review} and everything read from it deleted; it will not be collected again")
    return OK


def cmd_staff(args: argparse.Namespace) -> int:
    from flows.output import render
    from warehouse.queries import staff

    _, engine = _warehouse(args)
    rows = staff(engine, location=args.location)
    columns = ["business", "location", "name", "role", "mentions", "positive", "negative", "praised_for", "quotes"]
    if args.format == "table":
        rows = [{**r, "praised_for": ", ".join(r["praised_for"]), "quotes": " | ".join(r["quotes"][:1])} for r in rows]
    print(render(rows, columns, args.format))
    return OK


def cmd_practices(args: argparse.Namespace) -> int:
    from flows.output import render
    from warehouse.queries import practices

    _, engine = _warehouse(args)
    result = practices(engine, location=args.location)
    if args.format == "json":
        print(json.dumps(result, indent=1))
        return OK
    print(render(result["behaviours"], ["behaviour", "lift", "lift_low", "lift_high", "in_exceptional",
                                        "exceptional", "in_all", "all"], args.format))
    print()
    print(render([{**r, "top3": ", ".join(r["top3"])} for r in result["star_dependency"]],
                 ["location", "exceptional", "naming_top3", "share", "share_low", "share_high", "top3"], args.format))
    return OK


def cmd_digest(args: argparse.Namespace) -> int:
    from datetime import date

    import apprise

    from flows.digest import render, weekly_data
    from flows.notify import deliver

    settings, engine = _warehouse(args)
    end = args.end or date.today()
    html = render(weekly_data(engine, end, redact=settings.privacy.redact))
    path = Path(args.output or f"storyminer-digest-{end.isoformat()}.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    print(f"digest written to {path.resolve()}")
    if args.send:
        if not settings.alerts.notify:
            raise UsageError("--send needs alerts.notify channels in the configuration")
        _, errors = deliver(settings.alerts.notify, f"Storyminer weekly digest to {end.isoformat()}", html, set(),
                            body_format=apprise.NotifyFormat.HTML)
        for error in errors:
            print(f"storyminer: {error}", file=sys.stderr)
        return PARTIAL if errors else OK
    return OK


def cmd_board(args: argparse.Namespace) -> int:
    import uvicorn

    from flows.board import create_app
    from flows.secrets import resolve_secret

    settings, engine = _warehouse(args)
    token = resolve_secret(settings.board.token) if settings.board.token else None
    print(f"Storyminer board on http://127.0.0.1:{args.port}/ ({'curation enabled' if token else 'read-only'})",
          file=sys.stderr)
    uvicorn.run(create_app(engine, token=token, redact=settings.privacy.redact), host="127.0.0.1", port=args.port,
                log_level="warning")
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storyminer", description="Find the stories customers write about you.")
    commands = parser.add_subparsers(dest="command", required=True)

    def warehouse_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--config", help="storyminer.yaml (default: $STORYMINER_CONFIG or ./storyminer.yaml)")
        sub.add_argument("--db", help="warehouse URL; wins over the config and $STORYMINER_DATABASE_URL")

    demo = commands.add_parser("demo", help="serve the bundled demo site and run the daily flow on it")
    demo.add_argument("--db", help=f"warehouse URL (default {DEMO_DATABASE})")
    demo.set_defaults(handler=cmd_demo)

    run = commands.add_parser("run", help="one run of the daily flow")
    warehouse_options(run)
    run.set_defaults(handler=cmd_run)

    analyse = commands.add_parser("analyse", help="analyse JSON lines of texts without the warehouse")
    analyse.add_argument("input", help='a JSON-lines file, or "-" for standard input')
    analyse.add_argument("-o", "--output", help="write results here instead of standard output")
    analyse.add_argument("--model", help="spaCy model name (default: the nlp.model setting)")
    analyse.add_argument("--config", help="storyminer.yaml, for its nlp settings")
    analyse.set_defaults(handler=cmd_analyse)

    extract = commands.add_parser("extract", help="parse one page or feed and print its reviews")
    extract.add_argument("--kind", required=True, help="schema_org, app_store, google_business or file")
    where = extract.add_mutually_exclusive_group(required=True)
    where.add_argument("--url")
    where.add_argument("--file")
    extract.add_argument("--config", help="storyminer.yaml, for its crawl settings")
    extract.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                         help="allow fetching this loopback or private host (repeatable)")
    extract.add_argument("--token", help='an API token reference for google_business, e.g. "${GBP_TOKEN}"')
    extract.set_defaults(handler=cmd_extract)
    stories = commands.add_parser("stories", help="find stories: filter, search, sort")
    stories.add_argument("--business")
    stories.add_argument("--location")
    stories.add_argument("--source", help="source kind: schema_org, app_store, google_business, file")
    stories.add_argument("--behaviour", help="a behaviour code, e.g. no_surprises")
    stories.add_argument("--polarity", choices=["positive", "neutral", "negative"],
                         help="of the behaviour when --behaviour is given, else of the story")
    stories.add_argument("--type", choices=["exceptional", "positive", "mixed", "neutral", "negative", "execrable"])
    stories.add_argument("--staff", help="a person customers named (part of the name is enough)")
    stories.add_argument("--since", type=_date, help="published on or after (YYYY-MM-DD)")
    stories.add_argument("--until", type=_date, help="published on or before (YYYY-MM-DD)")
    stories.add_argument("--min-score", type=float)
    stories.add_argument("--text", help="words the review contains")
    stories.add_argument("--sort", choices=["score", "date"], default="score")
    stories.add_argument("--limit", type=int, default=50)
    stories.add_argument("--status", choices=["new", "shortlisted", "approved_internal", "approved_public",
                                              "rejected"], help="curation status")
    stories.add_argument("--public", action="store_true",
                         help="export for public use: approved_public stories only, with source link and date")
    stories.add_argument("--no-redact", action="store_true",
                         help="show reviewers' names and contact details (redacted by default)")
    stories.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_options(stories)
    stories.set_defaults(handler=cmd_stories)

    curate = commands.add_parser("curate", help="set a story's curation status (kept as an audit trail)")
    curate.add_argument("review", type=int, help="the story's review id")
    curate.add_argument("status", nargs="?", choices=["new", "shortlisted", "approved_internal", "approved_public",
                                                      "rejected"], help="omit to show the history only")
    curate.add_argument("--by", help="who decides (required with a status)")
    curate.add_argument("--note")
    curate.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_options(curate)
    curate.set_defaults(handler=cmd_curate)

    forget = commands.add_parser("forget", help="delete a review and all it carries, on request")
    forget.add_argument("--review", type=int, required=True)
    warehouse_options(forget)
    forget.set_defaults(handler=cmd_forget)

    staff = commands.add_parser("staff", help="people customers name, per location")
    staff.add_argument("--location")
    staff.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_options(staff)
    staff.set_defaults(handler=cmd_staff)

    practices = commands.add_parser("practices", help="behaviours behind exceptional stories, and star dependency")
    practices.add_argument("--location")
    practices.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_options(practices)
    practices.set_defaults(handler=cmd_practices)

    digest = commands.add_parser("digest", help="write the weekly digest as one HTML page (and send it)")
    digest.add_argument("--week", action="store_true", help="the last seven days (the default and only period)")
    digest.add_argument("--end", type=_date, help="the week's last day (default today)")
    digest.add_argument("-o", "--output", help="where to write the page")
    digest.add_argument("--send", action="store_true", help="also send it through the alerts.notify channels")
    warehouse_options(digest)
    digest.set_defaults(handler=cmd_digest)

    board = commands.add_parser("board", help="serve the story board on 127.0.0.1")
    board.add_argument("--port", type=int, default=8765)
    warehouse_options(board)
    board.set_defaults(handler=cmd_board)

    alerts = commands.add_parser("alerts", help="list alerts, acknowledge them, or replay detection (backtest)")
    alerts.add_argument("action", nargs="?", choices=["list", "ack", "backtest"], help="default: list")
    alerts.add_argument("ids", nargs="*", type=int, help="alert ids, for ack")
    alerts.add_argument("--status", choices=["open", "acknowledged", "all"], default="all")
    alerts.add_argument("--by", help="who acknowledges (kept with the alert)")
    alerts.add_argument("--days", type=int, default=90, help="backtest: how many days back to replay")
    alerts.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_options(alerts)
    alerts.set_defaults(handler=cmd_alerts)
    return parser


def main(argv: list[str] | None = None) -> int:
    from flows.settings import ConfigError
    from nlp.model import ModelError

    # The temporary Prefect server the CLI starts has no internet to send telemetry to.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ConfigError, UsageError, ModelError) as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
