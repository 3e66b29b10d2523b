"""The daily flow: collect reviews, load them, read the new ones, summarise the run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from functools import lru_cache
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from sqlalchemy import Engine

from extractors.crawl import crawl
from extractors.fetch import Fetcher
from extractors.records import Review as ReviewRecord
from flows.settings import CrawlConfig, database_url, load_settings
from flows.summary import as_markdown, run_summary
from nlp.analyser import Analyser, TextInput, analyser_version
from warehouse.db import make_engine, open_warehouse
from warehouse.load import SourceRef, finish_run, load_reviews, start_run, sync_sources
from warehouse.stories import reviews_for_analysis, save_analyses, unanalysed_review_ids


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per warehouse per process: tasks receive the URL and open it here."""
    return make_engine(url)


@lru_cache(maxsize=2)
def analyser_for(model: str | None, batch_size: int) -> Analyser:
    return Analyser(model=model, batch_size=batch_size)


def host_of(source: SourceRef) -> str:
    return urlsplit(source.url).netloc or source.kind


@task(task_run_name="collect {host}", cache_policy=NO_CACHE)
def collect_host(host: str, sources: list[SourceRef], crawl_settings: dict) -> list[dict]:
    """Crawl one host's sources one after another, so the host sees one polite client."""
    logger = get_run_logger()
    settings = CrawlConfig(**crawl_settings)
    fetcher = Fetcher(
        user_agent=settings.user_agent, min_delay_s=settings.min_delay_s,
        connect_timeout_s=settings.connect_timeout_s, read_timeout_s=settings.read_timeout_s,
        max_body_bytes=settings.max_body_bytes,
    )
    results = []
    for source in sources:
        try:
            result = crawl(fetcher, source.kind, source.url, source.max_pages)
        except Exception as exc:  # one broken source must not stop the others
            logger.exception("collecting %s failed", source.locator)
            results.append({"source": source, "reviews": [], "pages": 0, "claimed": None, "skipped": 0,
                            "errors": [f"{source.url}: {type(exc).__name__}: {exc}"]})
            continue
        for error in result.errors:
            logger.warning("%s", error)
        results.append({"source": source, "reviews": result.reviews, "pages": result.pages_fetched,
                        "claimed": result.claimed, "skipped": len(result.skipped), "errors": result.errors})
    return results


@task(task_run_name="load {collected[source].locator}", cache_policy=NO_CACHE)
def load_source(url: str, run_id: int, collected: dict) -> dict:
    """Upsert one source's reviews; its run stats and bookmark go in the same transaction."""
    reviews: list[ReviewRecord] = collected["reviews"]
    counts = load_reviews(
        engine_for(url), run_id, collected["source"].source_id, reviews, pages_fetched=collected["pages"],
        claimed=collected["claimed"], skipped=collected["skipped"], errors=collected["errors"],
    )
    return asdict(counts) | {"errors": len(collected["errors"])}


@task(task_run_name="analyse batch {batch}", cache_policy=NO_CACHE)
def analyse_batch(url: str, batch: int, review_ids: list[int], model: str | None, batch_size: int) -> int:
    """Read one batch of reviews and store their stories."""
    analyser = analyser_for(model, batch_size)
    rows = reviews_for_analysis(engine_for(url), review_ids)
    inputs = (TextInput(r["id"], r["body"], r["title"], r["rating"], r["rating_max"]) for r in rows)
    hashes = {r["id"]: r["content_hash"] for r in rows}
    return save_analyses(engine_for(url), analyser.analyse(inputs), hashes, analyser.version)


@flow(name="daily-stories", flow_run_name="daily stories", log_prints=True)
def daily_stories(config_path: str | None = None, database: str | None = None) -> dict:
    """Collect → load → analyse → summarise, for every source in the configuration."""
    settings = load_settings(config_path)
    url = database_url(settings, database)
    engine = open_warehouse(url)
    run_id = start_run(engine, str(flow_run.id) if flow_run.id else None)
    sources = sync_sources(engine, settings.businesses)

    by_host: dict[str, list[SourceRef]] = defaultdict(list)
    for source in sources:
        by_host[host_of(source)].append(source)
    futures = [collect_host.submit(host, group, settings.crawl.model_dump()) for host, group in by_host.items()]

    failed = 0
    for future in futures:
        for collected in future.result():
            counts = load_source(url, run_id, collected)
            failed += counts["errors"] > 0

    pending = unanalysed_review_ids(engine, analyser_version())
    size = settings.nlp.reviews_per_task
    analysed = sum(
        analyse_batch(url, i // size + 1, pending[i:i + size], settings.nlp.model, settings.nlp.batch_size)
        for i in range(0, len(pending), size)
    )

    finish_run(engine, run_id, "partial" if failed else "ok", analysed)
    summary = run_summary(engine, run_id, url)
    create_markdown_artifact(key="storyminer-run-summary", markdown=as_markdown(summary),
                             description="What the daily Storyminer run collected and found")
    print(f"run {run_id} {summary['status']}: {sum(s['new'] for s in summary['sources'])} new reviews, "
          f"{analysed} analysed; warehouse {summary['database']}")
    return summary
