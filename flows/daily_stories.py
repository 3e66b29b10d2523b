"""The daily flow: collect reviews, load them, read the new ones, summarise the run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from sqlalchemy import Engine

from extractors import file_export
from extractors.crawl import Crawl, crawl
from extractors.fetch import Fetcher
from extractors.records import Review as ReviewRecord
from flows.alerting import detect
from flows.notify import deliver, emit, message
from flows.secrets import resolve_secret
from flows.settings import AlertsConfig, CrawlConfig, database_url, load_settings
from flows.summary import as_markdown, run_summary
from nlp.analyser import Analyser, TextInput, analyser_version
from warehouse.alerts import alert_details, alerts_to_deliver, delivered_channels, mark_delivery
from warehouse.db import make_engine, open_warehouse
from warehouse.load import (SourceRef, collection_state, finish_run, load_reviews, start_run, sync_sources,
                            utcnow)
from warehouse.stories import reviews_for_analysis, save_analyses, unanalysed_review_ids


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per warehouse per process: tasks receive the URL and open it here."""
    return make_engine(url)


@lru_cache(maxsize=2)
def analyser_for(model: str | None, batch_size: int, n_process: int = 1) -> Analyser:
    return Analyser(model=model, batch_size=batch_size, n_process=n_process)


def host_of(source: SourceRef) -> str:
    """Sources are collected per host, so a host sees one polite client; files are their own host."""
    if source.kind == "file":
        return f"file:{source.url}"
    return urlsplit(source.url).netloc


def collect_source(fetcher: Fetcher, source: SourceRef, url: str) -> Crawl:
    """One source's new and edited reviews, stopping at what the warehouse already holds."""
    if source.kind == "file":  # read whole every time: no pages to skip, so no stored state to load
        return read_export(source)
    known, validators = collection_state(engine_for(url), source.source_id)
    headers = None
    if source.kind == "google_business":
        headers = {"Authorization": f"Bearer {resolve_secret(str(source.option('token')))}"}
    return crawl(fetcher, source.kind, list(source.start_urls), source.max_pages, known, validators, headers)


def read_export(source: SourceRef) -> Crawl:
    """A file export is read whole: no paging, no HTTP."""
    path = Path(source.url)
    result = Crawl()
    try:
        content = path.read_bytes()
    except OSError as exc:
        result.errors.append(f"{path}: cannot read the export: {exc.strerror or exc}")
        return result
    page = file_export.parse(content, str(path), format=source.option("format"),
                             columns=dict(source.option("columns") or ()),
                             rating_max=float(source.option("rating_max", 5)))
    result.pages_fetched = 1
    result.reviews, result.skipped, result.errors = page.reviews, page.skipped, page.errors
    return result


@task(task_run_name="collect {host}", cache_policy=NO_CACHE)
def collect_host(host: str, sources: list[SourceRef], crawl_settings: dict, url: str) -> list[dict]:
    """Collect one host's sources one after another; a failing source is recorded, not raised."""
    logger = get_run_logger()
    settings = CrawlConfig(**crawl_settings)
    fetcher = Fetcher(
        user_agent=settings.user_agent, min_delay_s=settings.min_delay_s,
        connect_timeout_s=settings.connect_timeout_s, read_timeout_s=settings.read_timeout_s,
        max_body_bytes=settings.max_body_bytes, allowed_hosts=settings.allow_hosts,
    )
    results = []
    for source in sources:
        try:
            result = collect_source(fetcher, source, url)
        except Exception as exc:  # one broken source must not stop the others
            logger.exception("collecting %s failed", source.locator)
            result = Crawl(errors=[f"{source.locator}: {type(exc).__name__}: {exc}"])
        for error in result.errors:
            logger.warning("%s", error)
        for reason in result.skipped:
            logger.info("skipped %s", reason)
        results.append({"source": source, "reviews": result.reviews, "pages": result.pages_fetched,
                        "claimed": result.claimed, "skipped": len(result.skipped), "errors": result.errors,
                        "validators": result.validators})
    return results


@task(task_run_name="load {collected[source].locator}", cache_policy=NO_CACHE)
def load_source(url: str, run_id: int, collected: dict) -> dict:
    """Upsert one source's reviews; its run stats and bookmark go in the same transaction."""
    reviews: list[ReviewRecord] = collected["reviews"]
    counts = load_reviews(
        engine_for(url), run_id, collected["source"].source_id, reviews, pages_fetched=collected["pages"],
        claimed=collected["claimed"], skipped=collected["skipped"], errors=collected["errors"],
        validators=collected["validators"],
    )
    return asdict(counts) | {"errors": len(collected["errors"])}


@task(task_run_name="analyse batch {batch}", cache_policy=NO_CACHE)
def analyse_batch(url: str, batch: int, review_ids: list[int], model: str | None, batch_size: int,
                  n_process: int = 1) -> int:
    """Read one batch of reviews and store their stories."""
    analyser = analyser_for(model, batch_size, n_process)
    rows = reviews_for_analysis(engine_for(url), review_ids)
    inputs = (TextInput(r["id"], r["body"], r["title"], r["rating"], r["rating_max"]) for r in rows)
    hashes = {r["id"]: r["content_hash"] for r in rows}
    return save_analyses(engine_for(url), analyser.analyse(inputs), hashes, analyser.version)


@task(task_run_name="detect spikes", cache_policy=NO_CACHE)
def detect_spikes(url: str, alert_settings: dict, today: str) -> list[dict]:
    """Judge recent days for bursts of negative stories; new alerts also become a Prefect event."""
    engine = engine_for(url)
    outcomes: dict[int, str] = {}
    for _, alert_id, outcome in detect(engine, AlertsConfig(**alert_settings), date.fromisoformat(today)):
        if outcome != "cooldown" and outcomes.get(alert_id) != "new":
            outcomes[alert_id] = outcome  # several recent days may touch one alert: it is new if any made it
    found = []
    for alert_id, outcome in outcomes.items():
        details = alert_details(engine, alert_id)
        if outcome == "new":
            emit(details, message(details)[1])
        found.append({**{k: details[k] for k in ("id", "business", "location", "behaviour", "observed", "expected",
                                                 "score", "window_start", "window_end")}, "outcome": outcome})
    return found


@task(task_run_name="deliver alerts", cache_policy=NO_CACHE)
def deliver_alerts(url: str, notify: list[str]) -> dict:
    """Send every undelivered alert; a failed channel is recorded and retried next run, never raised."""
    engine = engine_for(url)
    logger = get_run_logger()
    counts = {"delivered": 0, "failed": 0}
    if not notify:
        return counts
    for alert_id in alerts_to_deliver(engine):
        title, body = message(alert_details(engine, alert_id))
        told, errors = deliver(notify, title, body, delivered_channels(engine, alert_id))
        mark_delivery(engine, alert_id, told, "; ".join(errors) or None)
        counts["failed" if errors else "delivered"] += 1
        for error in errors:
            logger.warning("alert %s: %s", alert_id, error)
    return counts


@flow(name="daily-stories", flow_run_name="daily stories", log_prints=True)
def daily_stories(config_path: str | None = None, database: str | None = None) -> dict:
    """Collect → load → analyse → summarise, for every source in the configuration."""
    settings = load_settings(config_path)
    url = database_url(settings, database)
    engine = open_warehouse(url)
    run_id = start_run(engine, str(flow_run.id) if flow_run.id else None)
    try:
        failed, analysed = _stages(settings, engine, url, run_id)
    except BaseException:
        finish_run(engine, run_id, "failed", 0)  # a re-run picks up where this one stopped
        raise
    alerts = detect_spikes(url, settings.alerts.model_dump(), utcnow().date().isoformat())
    deliveries = deliver_alerts(url, settings.alerts.notify)
    finish_run(engine, run_id, "partial" if failed else "ok", analysed)
    summary = run_summary(engine, run_id, url) | {"alerts": alerts, "deliveries": deliveries}
    create_markdown_artifact(key="storyminer-run-summary", markdown=as_markdown(summary),
                             description="What the daily Storyminer run collected and found")
    print(f"run {run_id} {summary['status']}: {sum(s['new'] for s in summary['sources'])} new reviews, "
          f"{analysed} analysed; warehouse {summary['database']}")
    return summary


def _stages(settings, engine: Engine, url: str, run_id: int) -> tuple[int, int]:
    """Collect and load every source, then read what is new; returns (failed sources, reviews read)."""
    sources = sync_sources(engine, settings.businesses, settings.base_dir)
    by_host: dict[str, list[SourceRef]] = defaultdict(list)
    for source in sources:
        by_host[host_of(source)].append(source)
    futures = [collect_host.submit(host, group, settings.crawl.model_dump(), url) for host, group in by_host.items()]

    failed = 0
    for future in futures:
        for collected in future.result():
            counts = load_source(url, run_id, collected)
            failed += counts["errors"] > 0

    pending = unanalysed_review_ids(engine, analyser_version())
    nlp = settings.nlp
    if pending and (settings.scale.dask_address or settings.scale.dask_workers):
        runner = dask_runner(settings.scale.dask_address, settings.scale.dask_workers)
        analysed = analyse_reviews.with_options(task_runner=runner)(
            url, pending, nlp.model, nlp.batch_size, nlp.reviews_per_task)
    else:
        size = nlp.reviews_per_task
        analysed = sum(analyse_batch(url, i // size + 1, pending[i:i + size], nlp.model, nlp.batch_size,
                                     nlp.n_process) for i in range(0, len(pending), size))
    return failed, analysed


def dask_runner(address: str | None, workers: int | None):
    """A Dask task runner on an existing scheduler, or on a local cluster of WORKERS processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


@flow(name="analyse-reviews", flow_run_name="analyse reviews")
def analyse_reviews(url: str, review_ids: list[int], model: str | None, batch_size: int, per_task: int) -> int:
    """The analysis stage as its own flow, so it can run on another task runner (Dask)."""
    futures = [analyse_batch.submit(url, i // per_task + 1, review_ids[i:i + per_task], model, batch_size)
               for i in range(0, len(review_ids), per_task)]
    return sum(future.result() for future in futures)
