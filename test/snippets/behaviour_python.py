"""Exercises the Python snippets that need only the standard library.

Usage: behaviour_python.py DIR. DIR holds the expanded snippets as <name>.py (test/snippets/behaviour.test.ts
writes them, with short durations typed into their tab stops). Prints one JSON object: check name -> "ok" or
the failure's traceback.
"""

import asyncio
import hashlib
import importlib.util
import json
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from types import ModuleType

DIR = sys.argv[1]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, os.path.join(DIR, f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]


RECORDS = Records()
logging.getLogger().addHandler(RECORDS)
logging.getLogger().setLevel(logging.DEBUG)


async def raises(awaitable: Awaitable[object], kind: type[BaseException] = Exception) -> BaseException:
    try:
        await awaitable
    except kind as error:
        return error
    raise AssertionError("expected an exception")


async def check_circuit_breaker() -> None:
    m = load("circuit_breaker")  # OPEN_DURATION_S 0.04, MAX 1.0, CALL_TIMEOUT_S 0.1
    breaker = m.CircuitBreaker("inventory")

    async def value(v: str) -> str:
        return v

    calls = 0

    async def failing() -> str:
        nonlocal calls
        calls += 1
        raise RuntimeError("down")

    assert await breaker.call(lambda: value("v1"), cache_key="sku") == "v1"
    for _ in range(5):
        await raises(breaker.call(failing), RuntimeError)
    assert breaker.state == "open"
    assert isinstance(await raises(breaker.call(failing)), m.CircuitOpenError)
    assert await breaker.call(failing, cache_key="sku") == "v1"
    assert await breaker.call(failing, fallback=lambda _e: "degraded") == "degraded"
    assert calls == 5
    await asyncio.sleep(0.06)
    await raises(breaker.call(failing), RuntimeError)  # the half-open probe fails: open for twice as long
    assert breaker.state == "open"
    await asyncio.sleep(0.06)
    assert breaker.state == "open" and isinstance(await raises(breaker.call(failing)), m.CircuitOpenError)
    await asyncio.sleep(0.05)
    assert await breaker.call(lambda: value("v2")) == "v2"
    assert breaker.state == "closed"
    await raises(breaker.call(lambda: asyncio.sleep(10)), asyncio.TimeoutError)
    transitions = [r.args[2] for r in RECORDS.records if r.getMessage().startswith("circuit inventory:") and "->" in r.getMessage()]
    assert transitions == ["open", "half-open", "open", "half-open", "closed"], transitions


async def check_ttl_cache() -> None:
    m = load("ttl_cache")  # MAX_ENTRIES 3, TTL_S 0.3
    cache = m.TtlCache()
    for key, v in (("a", 1), ("b", 2), ("c", 3)):
        cache.set(key, v)
    assert cache.get("a") == 1
    cache.set("d", 4)
    assert len(cache) == 3 and cache.get("b") is None
    await asyncio.sleep(0.35)
    assert cache.get("a") is None
    loads = 0
    gate = asyncio.get_running_loop().create_future()

    async def loader(key: str) -> str:
        nonlocal loads
        loads += 1
        return f"{key}:{await gate}"

    both = asyncio.gather(cache.get_or_load("k", loader), cache.get_or_load("k", loader))
    await asyncio.sleep(0)
    gate.set_result("loaded")
    assert await both == ["k:loaded", "k:loaded"]
    assert await cache.get_or_load("k", loader) == "k:loaded" and loads == 1

    async def broken(_key: str) -> str:
        raise RuntimeError("source down")

    async def recovered(_key: str) -> str:
        return "recovered"

    await raises(cache.get_or_load("bad", broken), RuntimeError)
    assert await cache.get_or_load("bad", recovered) == "recovered"


async def check_bulkhead() -> None:
    m = load("bulkhead")  # 2 slots, 1 queued, 0.3 s wait
    bulkhead = m.Bulkhead("db")
    release = asyncio.Event()
    running = [asyncio.create_task(bulkhead.run(release.wait)) for _ in range(2)]
    await asyncio.sleep(0)

    async def third_task() -> str:
        return "third"

    third = asyncio.create_task(bulkhead.run(third_task))
    await asyncio.sleep(0)
    fourth = await raises(bulkhead.run(third_task), m.BulkheadRejectedError)
    assert fourth.reason == "queue-full"
    release.set()
    await asyncio.gather(*running)
    assert await third == "third"
    hold = asyncio.Event()
    busy = [asyncio.create_task(bulkhead.run(hold.wait)) for _ in range(2)]
    await asyncio.sleep(0)
    late = await raises(bulkhead.run(third_task), m.BulkheadRejectedError)
    assert late.reason == "queue-timeout"
    hold.set()
    await asyncio.gather(*busy)
    assert bulkhead.rejected == 2


async def check_rate_limiter() -> None:
    m = load("rate_limiter")  # 10/s, burst 20, 2 keys tracked
    limiter = m.RateLimiter()
    assert all(limiter.check("a").allowed for _ in range(20))
    decision = limiter.check("a")
    assert not decision.allowed and 0.05 < decision.retry_after_s <= 0.1
    limiter.check("b")
    limiter.check("c")
    assert limiter.check("a").allowed  # forgotten, starts full


async def check_adaptive_rate_limiter() -> None:
    m = load("adaptive_rate_limiter")  # baseline 10 rps, +2, no adjustment interval

    class Busy(Exception):
        status_code = 503

    limiter = m.AdaptiveRateLimiter("search")

    async def overloaded() -> str:
        raise Busy()

    async def fine() -> str:
        return "ok"

    await raises(limiter.run(overloaded), Busy)
    assert limiter.current_rps == 5
    assert await limiter.run(fine) == "ok" and limiter.current_rps == 7


async def check_retry_backoff() -> None:
    m = load("retry_backoff")  # base 0.001 s, cap 0.005 s
    attempts = 0

    async def flaky(_attempt: int) -> str:
        nonlocal attempts
        attempts += 1
        if attempts < 3:
            raise ConnectionResetError("reset")
        return "ok"

    assert await m.retry_with_backoff(flaky) == "ok" and attempts == 3
    attempts = 0

    async def bad(_attempt: int) -> str:
        nonlocal attempts
        attempts += 1
        raise ValueError("bad request")

    await raises(m.retry_with_backoff(bad), ValueError)
    assert attempts == 1
    started = time.monotonic()
    await raises(m.retry_with_backoff(lambda _a: asyncio.sleep(10), budget_s=0.1), asyncio.TimeoutError)
    assert time.monotonic() - started < 1


async def check_deadlock_retry() -> None:
    m = load("deadlock_retry")  # base 0.001 s, cap 0.005 s

    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    runs = 0

    async def victim() -> str:
        nonlocal runs
        runs += 1
        if runs < 3:
            raise PgError("40P01")
        return "committed"

    assert await m.with_deadlock_retry(victim) == "committed" and runs == 3
    runs = 0

    async def duplicate() -> str:
        nonlocal runs
        runs += 1
        raise PgError("23505")

    await raises(m.with_deadlock_retry(duplicate), PgError)
    assert runs == 1
    assert m.is_deadlock(Exception(1213, "Deadlock found"))


async def check_slo_monitor() -> None:
    m = load("slo_monitor")
    monitor = m.SloMonitor("orders")
    for _ in range(98):
        monitor.record(10, False)
    monitor.record(300, True)
    monitor.record(300, True)
    s = monitor.snapshot()
    assert (s.requests, s.errors, s.error_rate, s.p99_ms) == (100, 2, 0.02, 300.0), s
    monitor.evaluate()
    monitor.evaluate()
    firing = [r for r in RECORDS.records if r.getMessage().startswith("SLO alert") and getattr(r, "state", None) == "firing"]
    assert sorted(getattr(r, "alert") for r in firing) == ["error_rate", "p99_latency"]
    for _ in range(10_000):
        monitor.record(200, False)
    monitor.evaluate()
    resolved = [r for r in RECORDS.records if getattr(r, "state", None) == "resolved"]
    assert sorted(getattr(r, "alert") for r in resolved) == ["error_rate", "p99_latency"]
    try:
        async with monitor.track():
            raise RuntimeError("x")
    except RuntimeError:
        assert monitor.snapshot().errors == 3


async def check_strangler_router() -> None:
    m = load("strangler_router")  # 0.2 s windows, 20 samples

    async def legacy(_r: str) -> str:
        return "L"

    async def modern(_r: str) -> str:
        return "M"

    async def broken_modern(_r: str) -> str:
        raise RuntimeError("new path bug")

    keys = [f"user-{i}" for i in range(10_000)]
    probe = m.StranglerRouter("probe", legacy, modern)
    modern_keys = [k for k in keys if probe.route(k) == "modern"]
    assert 50 < len(modern_keys) < 200, len(modern_keys)
    broken = m.StranglerRouter("orders", legacy, broken_modern)
    for key in modern_keys[:25]:
        assert await broken.handle("req", key) == "L"
    assert broken.rollback_reason is not None and broken.route(modern_keys[0]) == "legacy"
    healthy = m.StranglerRouter("healthy", legacy, modern)
    for key in modern_keys[:25]:
        assert await healthy.handle("req", key) == "M"
    await asyncio.sleep(0.25)
    await healthy.handle("req", "anyone")
    assert healthy.percent == 2.0


async def check_shadow_traffic() -> None:
    m = load("shadow_traffic")  # 0.3 s shadow timeout, 1 in flight

    async def primary(_r: str) -> dict[str, int]:
        return {"a": 1, "b": 2}

    async def reordered(_r: str) -> dict[str, int]:
        return {"b": 2, "a": 1}

    async def different(_r: str) -> dict[str, int]:
        return {"a": 9}

    async def hanging(_r: str) -> dict[str, int]:
        await asyncio.sleep(10)
        return {}

    same = m.ShadowTraffic("same", primary, reordered)
    diff = m.ShadowTraffic("diff", primary, different)
    assert await same.handle("q") == {"a": 1, "b": 2}
    assert await diff.handle("q") == {"a": 1, "b": 2}
    await asyncio.sleep(0.05)
    assert same.stats["matched"] == 1 and diff.stats["mismatched"] == 1
    slow = m.ShadowTraffic("slow", primary, hanging)
    started = time.monotonic()
    await asyncio.gather(slow.handle("1"), slow.handle("2"))
    assert time.monotonic() - started < 0.2 and slow.stats["dropped"] == 1
    await asyncio.sleep(0.35)
    assert slow.stats["shadow_errors"] == 1


async def check_graceful_degradation() -> None:
    m = load("graceful_degradation")
    d = m.DegradationController()
    full_calls = 0

    async def full() -> str:
        nonlocal full_calls
        full_calls += 1
        return "full"

    async def failing() -> str:
        raise RuntimeError("db down")

    d.request("memory", "degraded")
    assert await d.run("recommendations", "optional", full, lambda: "popular") == "popular"
    assert await d.run("search", "important", full, lambda: "cached") == "full" and full_calls == 1
    d.request("memory", "full")
    assert d.level == "full"
    assert await d.run("search", "important", failing, lambda: "cached") == "cached"
    await raises(d.run("checkout", "essential", failing, lambda: "never"), RuntimeError)


async def check_tenant_context() -> None:
    m = load("tenant_context")  # 4 requests a minute, 1 at a time
    tenant = m.TenantContext("acme-co", "strict")
    async with m.tenant_scope(tenant):
        assert m.current_tenant().tenant_id == "acme-co" and m.tenant_namespace() == "tenant_acme_co"
    hold = asyncio.Event()

    async def held() -> None:
        async with m.tenant_scope(tenant):
            await hold.wait()

    first = asyncio.create_task(held())
    await asyncio.sleep(0)
    error = await raises(m.tenant_scope(tenant).__aenter__(), m.QuotaExceededError)
    assert error.quota == "max_concurrent_requests"
    hold.set()
    await first
    for _ in range(2):  # a refused request is not counted: requests 3 and 4 of the minute pass
        async with m.tenant_scope(tenant):
            pass
    error = await raises(m.tenant_scope(tenant).__aenter__(), m.QuotaExceededError)
    assert error.quota == "max_requests_per_minute"
    async with m.tenant_scope(m.TenantContext("other", "hybrid")):
        assert m.tenant_namespace("reference") == "shared"
    await raises(m.tenant_scope(m.TenantContext("../etc")).__aenter__(), ValueError)
    try:
        m.current_tenant()
        raise AssertionError("a tenant outside any scope")
    except LookupError:
        pass


async def check_audit_trail() -> None:
    m = load("audit_trail")
    directory = os.path.join(DIR, "audit")
    from pathlib import Path

    trail = m.AuditTrail(Path(directory))
    await asyncio.gather(*(trail.record(m.AuditEvent(actor=a, action="tools/call", resource="order:1", outcome="success")) for a in "abc"))
    (name,) = os.listdir(directory)
    assert os.stat(os.path.join(directory, name)).st_mode & 0o777 == 0o600
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert [(r["seq"], r["actor"]) for r in records] == [(1, "a"), (2, "b"), (3, "c")]
    previous = "start"
    for record in records:
        line_hash = record.pop("hash")
        assert record["prev_hash"] == previous
        assert hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest() == line_hash
        previous = line_hash
    from datetime import datetime, timedelta, timezone

    assert await trail.prune_expired(datetime.now(timezone.utc) + timedelta(days=365)) == []
    assert await trail.prune_expired(datetime.now(timezone.utc) + timedelta(days=8 * 365)) == [name]


async def check_logger() -> None:
    m = load("logger")  # strings cut at 20 chars
    formatter = m.JsonFormatter()
    logger = logging.getLogger("snippet.logger")
    with m.correlation("cid-1"):
        logger.info("called", extra={"tool": "get_order", "token": "abc", "nested": {"password": "p"}, "text": "x" * 50})
        # A handler formats while the record is emitted, inside the correlation.
        line = json.loads(formatter.format(next(r for r in RECORDS.records if r.getMessage() == "called")))
    assert line["correlationId"] == "cid-1", line
    assert line["tool"] == "get_order" and line["token"] == "[redacted]" and line["nested"]["password"] == "[redacted]"
    assert line["text"] == "x" * 20 + "…[30 more chars]"
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    failed = json.loads(formatter.format(next(r for r in RECORDS.records if r.getMessage() == "failed")))
    assert "ValueError: boom" in failed["exception"] and "correlationId" not in failed


async def check_health_check() -> None:
    m = load("health_check")  # 0.03 s per check
    checks = m.HealthChecks()
    db_runs = 0

    async def db() -> None:
        nonlocal db_runs
        db_runs += 1

    async def search() -> None:
        raise RuntimeError("search down")

    checks.register("db", db)
    checks.register("search", search, critical=False)
    checks.register("queue", lambda: asyncio.sleep(10))
    code, report = await checks.http_status()
    assert code == 503 and report["status"] == "fail"
    assert {k: v["status"] for k, v in report["checks"].items()} == {"db": "pass", "search": "warn", "queue": "fail"}
    assert (await checks.report()) is report and db_runs == 1


async def check_memory_guard() -> None:
    m = load("memory_guard")  # thresholds far below this process's RSS
    guard = m.MemoryGuard()
    changes: list[str] = []
    guard.on_mode_change(lambda mode, _mb: changes.append(mode))
    guard.start()
    await asyncio.sleep(0.01)
    await guard.stop()
    assert guard.degraded and changes == ["degraded"] and guard.rss_mb > 2

    async def normal() -> str:
        return "full"

    async def degraded() -> str:
        return "degraded"

    assert await guard.run(normal, degraded) == "degraded"
    assert any("memory mode degraded" in message for message in RECORDS.messages())


async def check_graceful_shutdown() -> None:
    m = load("graceful_shutdown")  # 0.1 s per hook
    shutdown = m.GracefulShutdown()
    shutdown.install()
    order: list[str] = []

    async def first() -> None:
        order.append("opened first")

    async def hangs() -> None:
        await asyncio.sleep(10)

    async def last() -> None:
        order.append("opened last")

    shutdown.on_shutdown("first", first)
    shutdown.on_shutdown("hangs", hangs)
    shutdown.on_shutdown("last", last)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(shutdown.wait(), 5)
    assert shutdown.reason == "SIGTERM"
    started = time.monotonic()
    assert await shutdown.run_hooks() is False  # the hanging hook was cut off
    assert order == ["opened last", "opened first"] and time.monotonic() - started < 2


CHECKS: dict[str, Callable[[], Awaitable[None]]] = {
    name.removeprefix("check_"): fn for name, fn in list(globals().items()) if name.startswith("check_") and callable(fn)
}


async def main() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            await asyncio.wait_for(check(), 20)
            results[name] = "ok"
        except BaseException:  # report every failure, including timeouts and cancellations
            results[name] = traceback.format_exc(limit=5)
    return results


if __name__ == "__main__":
    json.dump(asyncio.run(main()), sys.stdout)
