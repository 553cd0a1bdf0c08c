// The TypeScript and JavaScript snippets do what their descriptions promise: each one is expanded (with short
// durations typed into its tab stops where waiting matters), imported as an ES module and exercised, and the
// events it logs on stderr are checked.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expandSnippet, getSnippet } from '../../src/core/snippets';
import { REPO_ROOT } from '../helpers/rules';
import { captureStderrJson, importSnippet, scratchDir, snippetAsJavaScript, toJavaScript } from '../helpers/snippets';

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void };
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

for (const language of ['typescript', 'javascript'] as const) {
  describe(`${language} snippets at run time`, function () {
    this.timeout(20_000);
    const scratch = scratchDir();
    let log: ReturnType<typeof captureStderrJson>;
    beforeEach(() => (log = captureStderrJson()));
    afterEach(() => log.stop());
    after(() => scratch.dispose());
    const load = (prefix: string, tabStops: Record<number, string> = {}) => importSnippet(scratch.dir, prefix, language, tabStops);

    it('mcp-circuit-breaker opens after 5 failures, serves the cached response, probes once and backs off', async () => {
      // OPEN_DURATION_MS 40, MAX_OPEN_DURATION_MS 1000, CALL_TIMEOUT_MS 100
      const m = await load('mcp-circuit-breaker', { 2: '40', 3: '1_000', 4: '100' });
      const breaker = new m.CircuitBreaker('inventory');
      assert.equal(await breaker.execute(async () => 'v1', { cacheKey: 'sku-1' }), 'v1');
      let calls = 0;
      const failing = async () => {
        calls++;
        throw new Error('down');
      };
      for (let i = 0; i < 5; i++) assert.equal((await rejection(breaker.execute(failing))).message, 'down');
      assert.equal(breaker.snapshot().state, 'open');
      assert.equal((await rejection(breaker.execute(failing))).name, 'CircuitOpenError');
      assert.equal(await breaker.execute(failing, { cacheKey: 'sku-1' }), 'v1', 'last good response while open');
      assert.equal(await breaker.execute(failing, { fallback: () => 'degraded' }), 'degraded');
      assert.equal(calls, 5, 'an open circuit does not call the dependency');

      await sleep(60); // past 40 ms + 10% jitter: the next call is the half-open probe, and it fails
      await rejection(breaker.execute(failing));
      assert.equal(breaker.snapshot().state, 'open');
      const reopenedForMs = breaker.snapshot().openUntil - Date.now();
      assert.ok(reopenedForMs > 44 && reopenedForMs <= 88, `a failed probe doubles the open time, got ${reopenedForMs} ms`);
      await sleep(100);
      assert.equal(await breaker.execute(async () => 'v2'), 'v2');
      assert.equal(breaker.snapshot().state, 'closed');
      assert.deepEqual(
        log.events.filter(e => e.message === 'circuit state changed').map(e => e.to),
        ['open', 'half-open', 'open', 'half-open', 'closed'],
      );

      let signal: AbortSignal | undefined;
      const slow = await rejection(breaker.execute((s: AbortSignal) => ((signal = s), new Promise(() => {}))));
      assert.match(slow.message, /did not answer within 100 ms/);
      assert.equal(signal?.aborted, true, 'the operation is told to stop');
    });

    it('mcp-ttl-cache evicts the least recently used entry, expires entries and loads once per key', async () => {
      const m = await load('mcp-ttl-cache', { 1: '3', 2: '300' }); // MAX_ENTRIES 3, TTL_MS 300
      const cache = new m.TtlCache();
      cache.set('a', 1);
      cache.set('b', 2);
      cache.set('c', 3);
      assert.equal(cache.get('a'), 1);
      cache.set('d', 4);
      assert.equal(cache.size, 3);
      assert.equal(cache.get('b'), undefined, 'b was least recently used');
      assert.deepEqual([cache.get('a'), cache.get('c'), cache.get('d')], [1, 3, 4]);
      await sleep(350);
      assert.equal(cache.get('a'), undefined, 'expired');

      let loads = 0;
      const gate = deferred<string>();
      const loader = async (key: string) => {
        loads++;
        return `${key}:${await gate.promise}`;
      };
      const both = Promise.all([cache.getOrLoad('k', loader), cache.getOrLoad('k', loader)]);
      gate.resolve('loaded');
      assert.deepEqual(await both, ['k:loaded', 'k:loaded']);
      assert.equal(await cache.getOrLoad('k', loader), 'k:loaded');
      assert.equal(loads, 1);
      await rejection(cache.getOrLoad('bad', async () => Promise.reject(new Error('source down'))));
      assert.equal(await cache.getOrLoad('bad', async () => 'recovered'), 'recovered', 'a failed load is not cached');
    });

    it('mcp-bulkhead limits concurrency, bounds the queue and times queued callers out', async () => {
      const m = await load('mcp-bulkhead', { 1: '2', 2: '1', 3: '300' }); // 2 slots, 1 queued, 300 ms wait
      const bulkhead = new m.Bulkhead('db');
      const release = deferred<void>();
      const running = [bulkhead.run(() => release.promise), bulkhead.run(() => release.promise)];
      let thirdStarted = false;
      const third = bulkhead.run(async () => {
        thirdStarted = true;
        return 'third';
      });
      const fourth = await rejection(bulkhead.run(async () => 'fourth'));
      assert.equal(fourth.name, 'BulkheadRejectedError');
      assert.equal(fourth.reason, 'queue-full');
      assert.equal(thirdStarted, false);
      release.resolve();
      await Promise.all(running);
      assert.equal(await third, 'third');

      const hold = deferred<void>();
      const busy = [bulkhead.run(() => hold.promise), bulkhead.run(() => hold.promise)];
      const timedOut = await rejection(bulkhead.run(async () => 'late'));
      assert.equal(timedOut.reason, 'queue-timeout');
      hold.resolve();
      await Promise.all(busy);
      assert.deepEqual(bulkhead.snapshot(), { partition: 'db', active: 0, queued: 0, rejected: 2 });
      assert.deepEqual(log.events.filter(e => e.message === 'bulkhead shed load').map(e => e.reason), ['queue-full', 'queue-timeout']);
    });

    it('mcp-rate-limiter allows the burst, then the sustained rate, and bounds the tracked keys', async () => {
      const m = await load('mcp-rate-limiter', { 3: '2' }); // 10/s, burst 20, 2 keys tracked
      const bucket = new m.TokenBucket(10, 20, 0);
      for (let i = 0; i < 20; i++) assert.equal(bucket.tryRemove(1, 0), true);
      assert.equal(bucket.tryRemove(1, 0), false);
      assert.equal(bucket.msUntilAvailable(1, 0), 100);
      assert.equal(bucket.tryRemove(1, 100), true);

      const limiter = new m.RateLimiter();
      for (let i = 0; i < 20; i++) assert.equal(limiter.check('a', 1, 0).allowed, true);
      assert.deepEqual(limiter.check('a', 1, 0), { allowed: false, retryAfterMs: 100 });
      limiter.check('b', 1, 0);
      limiter.check('c', 1, 0); // 'a' is forgotten: the least recently seen of three keys
      assert.equal(limiter.check('a', 1, 0).allowed, true);
    });

    it('mcp-adaptive-rate-limiter halves the rate on overload and adds to it while healthy', async () => {
      const m = await load('mcp-adaptive-rate-limiter', { 1: '10', 5: '2', 8: '0' }); // baseline 10 rps, +2, no adjustment interval
      const limiter = new m.AdaptiveRateLimiter('search');
      assert.equal(limiter.currentRps, 10);
      await rejection(limiter.run(async () => Promise.reject(Object.assign(new Error('busy'), { status: 503 }))));
      assert.equal(limiter.currentRps, 5);
      assert.equal(await limiter.run(async () => 'ok'), 'ok');
      assert.equal(limiter.currentRps, 7);
      await rejection(limiter.run(async () => Promise.reject(new Error('not an overload'))));
      assert.equal(limiter.currentRps, 7);
      assert.equal(log.events.filter(e => e.message === 'rate decreased on overload').length, 1);
    });

    it('mcp-retry-backoff retries transient errors with backoff, and nothing else', async () => {
      const m = await load('mcp-retry-backoff', { 2: '1', 3: '5' }); // base 1 ms, cap 5 ms
      let attempts = 0;
      const flaky = async () => {
        if (++attempts < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return 'ok';
      };
      assert.equal(await m.retryWithBackoff(flaky, { operation: 'flaky' }), 'ok');
      assert.equal(attempts, 3);
      assert.equal(log.events.filter(e => e.message === 'retrying after error' && e.operation === 'flaky').length, 2);

      attempts = 0;
      await rejection(m.retryWithBackoff(async () => (attempts++, Promise.reject(new Error('bad request')))));
      assert.equal(attempts, 1, 'a non-transient error is not retried');
      attempts = 0;
      const last = await rejection(m.retryWithBackoff(async () => (attempts++, Promise.reject(Object.assign(new Error('busy'), { status: 503 })))));
      assert.equal([attempts, last.message].join(), '5,busy');
      assert.equal(m.isTransient(Object.assign(new Error('x'), { status: 404 })), false);
      assert.equal(m.isTransient(new Error('wrapped', { cause: Object.assign(new Error('t'), { name: 'TimeoutError' }) })), true);
      for (let attempt = 0; attempt < 10; attempt++) assert.ok(m.backoffDelay(attempt, 100, 1_000) < Math.min(1_000, 100 * 2 ** attempt));

      const started = performance.now();
      const deaf = await rejection(m.retryWithBackoff(() => new Promise(() => {}), { budgetMs: 100 }));
      assert.equal(deaf.name, 'TimeoutError', 'an operation that ignores its signal still ends with the budget');
      assert.ok(performance.now() - started < 1_000);
      const caller = new AbortController();
      const cancelled = m.retryWithBackoff(() => new Promise(() => {}), { signal: caller.signal });
      caller.abort(new Error('client cancelled'));
      assert.equal((await rejection(cancelled)).message, 'client cancelled');
    });

    it('mcp-deadlock-retry reruns deadlock victims and nothing else', async () => {
      const m = await load('mcp-deadlock-retry', { 2: '1', 3: '5' });
      let runs = 0;
      const victim = async () => {
        if (++runs < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        return 'committed';
      };
      assert.equal(await m.withDeadlockRetry(victim), 'committed');
      assert.equal(runs, 3);
      runs = 0;
      await rejection(m.withDeadlockRetry(async () => (runs++, Promise.reject(Object.assign(new Error('dup'), { code: '23505' })))));
      assert.equal(runs, 1);
      runs = 0;
      await rejection(m.withDeadlockRetry(async () => (runs++, Promise.reject(Object.assign(new Error('x'), { code: 'ER_LOCK_DEADLOCK' })))));
      assert.equal(runs, 5);
    });

    it('mcp-slo-monitor alerts on error rate above 1% and p99 above 200 ms, and resolves', async () => {
      const m = await load('mcp-slo-monitor');
      m.slo.stop();
      const monitor = new m.SloMonitor('orders');
      for (let i = 0; i < 98; i++) monitor.record(10, false);
      monitor.record(300, true);
      monitor.record(300, true);
      assert.deepEqual(monitor.snapshot(), { requests: 100, errors: 2, errorRate: 0.02, p99Ms: 300 });
      monitor.evaluate();
      const firing = log.events.filter(e => e.message === 'SLO alert firing');
      assert.deepEqual(firing.map(e => e.alert).sort(), ['error_rate', 'p99_latency']);
      assert.ok(firing.every(e => e.runbook && e.level === 'error'));
      monitor.evaluate();
      assert.equal(log.events.filter(e => e.message === 'SLO alert firing').length, 2, 'one event per transition');
      for (let i = 0; i < 10_000; i++) monitor.record(200, false);
      assert.equal(monitor.snapshot().p99Ms, 200);
      monitor.evaluate();
      assert.deepEqual(log.events.filter(e => e.message === 'SLO alert resolved').map(e => e.alert).sort(), ['error_rate', 'p99_latency']);
      assert.equal(await monitor.track(async () => 'tracked'), 'tracked');
      await rejection(monitor.track(async () => Promise.reject(new Error('x'))));
      assert.equal(monitor.snapshot().errors, 3);
    });

    it('mcp-strangler-router sends about 1% to the new path, answers from legacy when it fails, rolls back and promotes', async () => {
      const m = await load('mcp-strangler-router', { 4: '60_000', 5: '20' }); // 1 min windows, 20 samples
      const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
      const probe = new m.StranglerRouter('probe', async () => 'L', async () => 'M');
      const modernKeys = keys.filter(k => probe.route(k) === 'modern');
      assert.ok(modernKeys.length > 50 && modernKeys.length < 200, `${modernKeys.length} of 10000 keys routed to the new path`);
      assert.equal(probe.route(modernKeys[0]), 'modern', 'routing is sticky');

      let modernCalls = 0;
      const broken = new m.StranglerRouter('orders', async () => 'L', async () => (modernCalls++, Promise.reject(new Error('new path bug'))));
      for (const key of modernKeys.slice(0, 25)) assert.equal(await broken.handle('req', key), 'L');
      assert.equal(broken.snapshot().rolledBack, true);
      assert.equal(modernCalls, 20, 'rolled back once the evidence was in');
      assert.equal(broken.route(modernKeys[0]), 'legacy');
      assert.ok(log.events.some(e => e.message === 'automatic rollback to legacy' && e.router === 'orders'));

      const slowModern = new m.StranglerRouter('slow', async () => 'L', async () => (await sleep(250), 'M'));
      await Promise.all(modernKeys.slice(0, 20).map(k => slowModern.handle('req', k)));
      assert.match(slowModern.snapshot().rollbackReason, /p99 latency > 200 ms/);

      const short = await load('mcp-strangler-router', { 4: '200', 5: '20' }); // 200 ms windows
      const healthy = new short.StranglerRouter('healthy', async () => 'L', async () => 'M');
      for (const key of modernKeys.slice(0, 25)) assert.equal(await healthy.handle('req', key), 'M');
      await sleep(250);
      await healthy.handle('req', 'anyone');
      assert.equal(healthy.snapshot().percent, 2);
      assert.ok(log.events.some(e => e.message === 'cutover promoted' && e.from === 1 && e.to === 2));
    });

    it('mcp-shadow-traffic always answers from the primary and records what the shadow did', async () => {
      const m = await load('mcp-shadow-traffic', { 2: '300', 3: '1' }); // 300 ms shadow timeout, 1 in flight
      const settle = () => sleep(350);
      const failing = new m.ShadowTraffic('f', async () => ({ a: 1, b: 2 }), async () => Promise.reject(new Error('shadow bug')));
      assert.deepEqual(await failing.handle('q'), { a: 1, b: 2 });
      await settle();
      assert.equal(failing.snapshot().shadowErrors, 1);

      const reordered = new m.ShadowTraffic('r', async () => ({ a: 1, b: 2 }), async () => ({ b: 2, a: 1 }));
      await reordered.handle('q');
      const different = new m.ShadowTraffic('d', async () => ({ a: 1 }), async () => ({ a: 2 }));
      await different.handle('q');
      await settle();
      assert.equal(reordered.snapshot().matched, 1, 'key order is no difference');
      assert.equal(different.snapshot().mismatched, 1);
      assert.ok(log.events.some(e => e.message === 'shadow answer differs' && e.shadow === 'd'), JSON.stringify(log.events));

      const hanging = new m.ShadowTraffic('h', async () => 'primary', () => new Promise(() => {}));
      const started = performance.now();
      assert.deepEqual(await Promise.all([hanging.handle('1'), hanging.handle('2')]), ['primary', 'primary']);
      assert.ok(performance.now() - started < 200, 'a hanging shadow does not delay the caller');
      assert.equal(hanging.snapshot().dropped, 1, 'beyond MAX_IN_FLIGHT mirrors are dropped');
      await settle();
      assert.equal(hanging.snapshot().shadowErrors, 1, 'the hanging shadow timed out');
    });

    it('mcp-graceful-degradation sheds by priority and falls back when a feature fails', async () => {
      const m = await load('mcp-graceful-degradation');
      const d = new m.DegradationController();
      let fullCalls = 0;
      const full = async () => (fullCalls++, 'full');
      d.request('memory', 'degraded');
      assert.equal(d.level, 'degraded');
      assert.equal(await d.run('recommendations', 'optional', full, () => 'popular'), 'popular');
      assert.equal(await d.run('search', 'important', full, () => 'cached'), 'full');
      assert.equal(fullCalls, 1);
      d.request('slo', 'minimal');
      d.request('memory', 'full');
      assert.equal(d.level, 'minimal');
      d.request('slo', 'full');
      assert.equal(d.level, 'full');
      assert.equal(await d.run('search', 'important', async () => Promise.reject(new Error('x')), () => 'cached'), 'cached');
      assert.equal((await rejection(d.run('checkout', 'essential', async () => Promise.reject(new Error('db down')), () => 'never'))).message, 'db down');
      assert.deepEqual(
        log.events.filter(e => e.message === 'service level changed').map(e => `${e.from}>${e.to}`),
        ['full>degraded', 'degraded>minimal', 'minimal>full'],
      );
    });

    it('mcp-tenant-context carries the tenant, enforces its quotas and names its namespace', async () => {
      const m = await load('mcp-tenant-context', { 2: '4', 3: '1' }); // 4 requests a minute, 1 at a time
      assert.throws(() => m.currentTenant(), /no tenant context/);
      assert.equal(await m.runAsTenant({ tenantId: 'acme-co' }, async () => m.currentTenant().tenantId), 'acme-co');
      assert.equal(await m.runAsTenant({ tenantId: 'acme-co' }, async () => m.tenantNamespace()), 'tenant_acme_co');
      const hold = deferred<void>();
      const first = m.runAsTenant({ tenantId: 'acme-co' }, () => hold.promise);
      assert.equal((await rejection(m.runAsTenant({ tenantId: 'acme-co' }, async () => 'x'))).quota, 'maxConcurrentRequests');
      hold.resolve();
      await first;
      assert.equal(await m.runAsTenant({ tenantId: 'acme-co' }, async () => 'fourth'), 'fourth', 'a refused request is not counted');
      assert.equal((await rejection(m.runAsTenant({ tenantId: 'acme-co' }, async () => 'x'))).quota, 'maxRequestsPerMinute');
      assert.equal(await m.runAsTenant({ tenantId: 'other', isolationLevel: 'shared' }, async () => m.tenantNamespace()), 'shared');
      assert.equal(await m.runAsTenant({ tenantId: 'third', isolationLevel: 'hybrid' }, async () => m.tenantNamespace('reference')), 'shared');
      await rejection(m.runAsTenant({ tenantId: '../etc' }, async () => 'x'));
    });

    it('mcp-memory-guard degrades above its threshold and logs the alert', async () => {
      const m = await load('mcp-memory-guard', { 1: '1', 2: '2', 3: '1' }); // thresholds far below this process's RSS
      try {
        assert.equal(m.memoryGuard.degraded, true);
        assert.equal(await m.memoryGuard.run(async () => 'full', async () => 'degraded'), 'degraded');
        assert.ok(m.memoryGuard.status().rssMb > 2);
        assert.ok(log.events.some(e => e.message === 'memory above alert threshold'));
        assert.ok(log.events.some(e => e.message === 'memory mode degraded' && e.level === 'error'));
      } finally {
        m.memoryGuard.stop();
      }
      // Thresholds above this process's own size: the whole suite can push the test process past the defaults.
      const rssMb = Math.ceil(process.memoryUsage().rss / 2 ** 20);
      const normal = await load('mcp-memory-guard', { 1: String(rssMb + 500), 2: String(rssMb + 800), 3: String(rssMb + 700) });
      normal.memoryGuard.stop();
      assert.equal(normal.memoryGuard.degraded, false);
    });

    it('mcp-logger writes JSON lines with the correlation id, redacted secrets and serialised errors', async () => {
      const m = await load('mcp-logger', { 3: '20' }); // strings cut at 20 chars
      m.withCorrelation(() => m.logger.child({ tool: 'get_order' }).info('called', { token: 'abc', nested: { password: 'p' }, err: new Error('boom'), text: 'x'.repeat(50) }), 'cid-1');
      m.logger.debug('not at info level');
      const line = log.events.find(e => e.message === 'called');
      assert.ok(line);
      assert.equal(line.correlationId, 'cid-1');
      assert.equal(line.tool, 'get_order');
      assert.equal(line.level, 'info');
      assert.equal(line.token, '[redacted]');
      assert.equal(line.nested.password, '[redacted]');
      assert.equal(line.err.message, 'boom');
      assert.match(line.text, /^x{20}…\[30 more chars\]$/);
      assert.equal(log.events.some(e => e.message === 'not at info level'), false);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      m.logger.warn('odd fields', { circular });
      assert.ok(log.events.some(e => e.message === 'odd fields' && e.unserialisable));
    });

    it('mcp-health-check reports pass, warn and fail with timeouts, and reuses a recent report', async () => {
      const m = await load('mcp-health-check', { 1: '30' }); // 30 ms per check
      const checks = new m.HealthChecks();
      let dbRuns = 0;
      checks
        .register('db', async () => void dbRuns++)
        .register('search', async () => Promise.reject(new Error('search down')), { critical: false })
        .register('queue', () => new Promise(() => {}));
      const report = await checks.report();
      assert.equal(report.status, 'fail');
      assert.deepEqual(
        Object.fromEntries(Object.entries(report.checks).map(([k, v]: [string, any]) => [k, v.status])),
        { db: 'pass', search: 'warn', queue: 'fail' },
      );
      assert.match(report.checks.queue.output, /timed out after 30 ms/);
      assert.equal(await checks.report(), report);
      assert.equal(dbRuns, 1);
      assert.deepEqual(log.events.filter(e => e.message === 'health check status changed').map(e => e.check).sort(), ['db', 'queue', 'search']);
    });

    it('mcp-audit-trail appends hash-chained records in order and prunes expired files', async () => {
      const m = await load('mcp-audit-trail');
      const dir = path.join(scratch.dir, `audit-${language}`);
      const trail = new m.AuditTrail(dir);
      await Promise.all(['a', 'b', 'c'].map(actor => trail.record({ actor, action: 'tools/call:get_order', resource: 'order:1', outcome: 'success' })));
      await trail.close();
      const [file] = readdirSync(dir);
      assert.ok(file);
      assert.equal(statSync(path.join(dir, file)).mode & 0o777, 0o600);
      const records = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').map(l => JSON.parse(l));
      assert.deepEqual(records.map(r => [r.seq, r.actor]), [[1, 'a'], [2, 'b'], [3, 'c']]);
      let previous = 'start';
      for (const { hash, ...body } of records) {
        assert.equal(body.prevHash, previous);
        assert.equal(createHash('sha256').update(JSON.stringify(body)).digest('hex'), hash);
        previous = hash;
      }
      assert.match(m.digest({ b: 1 }), /^[0-9a-f]{64}$/);
      assert.deepEqual(await trail.pruneExpired(Date.now() + 365 * 86_400_000), [], 'within retention');
      assert.deepEqual(await trail.pruneExpired(Date.now() + 8 * 365 * 86_400_000), [file]);
    });

    it('mcp-graceful-shutdown runs hooks newest first on SIGTERM, bounds each hook, and exits with the outcome', () => {
      const snippet = getSnippet('mcp-graceful-shutdown', language)!;
      writeFileSync(path.join(scratch.dir, 'shutdown.mjs'), snippetAsJavaScript(snippet.body, language, { 2: '100' }));
      const script = (hang: boolean) => `
        import { installShutdownHandlers, onShutdown } from './shutdown.mjs';
        installShutdownHandlers();
        onShutdown('opened first', () => process.stderr.write('{"message":"first closed"}\\n'));
        onShutdown('opened last', async () => { await new Promise(r => setTimeout(r, ${hang ? 10_000 : 10})); });
        setInterval(() => {}, 1000);
        process.kill(process.pid, 'SIGTERM');`;
      for (const hang of [false, true]) {
        const file = path.join(scratch.dir, `main-${hang}.mjs`);
        writeFileSync(file, script(hang));
        const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 10_000 });
        const events = r.stderr.trim().split('\n').map(l => JSON.parse(l) as Record<string, any>);
        const order = events.map(e => (e.hook ? `${e.message}: ${e.hook}` : e.message));
        assert.equal(r.status, hang ? 1 : 0, r.stderr);
        assert.deepEqual(order, [
          'shutting down',
          hang ? 'shutdown hook failed: opened last' : 'shutdown hook finished: opened last',
          'first closed',
          'shutdown hook finished: opened first',
        ]);
      }
    });

    it('mcp-server-stdio with mcp-prompt serves a real SDK client over stdio, logs only to stderr, and exits when stdin closes', async () => {
      // Inside the repository so that @modelcontextprotocol/sdk and zod resolve from its node_modules.
      const dir = path.join(REPO_ROOT, 'test', '.virtual', `stdio-${language}`);
      mkdirSync(dir, { recursive: true });
      try {
        const expand = (prefix: string) =>
          expandSnippet(getSnippet(prefix, language)!.body, { language, fileName: '/work/src/orders.ts', unknownVariables: 'error' });
        // The prompt goes where the skeleton says tools, resources and prompts go.
        const marker = '(mcp-tool, mcp-resource, mcp-prompt).\n';
        const server = expand('mcp-server-stdio');
        assert.ok(server.includes(marker));
        const source = `import { z } from 'zod';\n${server.replace(marker, `${marker}${expand('mcp-prompt')}\n`)}`;
        const file = path.join(dir, 'server.mjs');
        writeFileSync(file, toJavaScript(source, language));
        const transport = new StdioClientTransport({ command: process.execPath, args: [file], stderr: 'pipe' });
        let stderr = '';
        transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        const client = new Client({ name: 'snippet-test', version: '1.0.0' });
        await client.connect(transport);
        assert.deepEqual(client.getServerVersion(), { name: 'orders', version: '0.1.0' });
        const { prompts } = await client.listPrompts();
        assert.deepEqual(prompts.map(p => p.name), ['incident_triage']);
        const result = await client.getPrompt({ name: 'incident_triage', arguments: { service: 'billing', symptoms: '5xx on /pay', severity: 'sev1' } });
        assert.match(JSON.stringify(result.messages), /sev1 incident on billing/);
        await client.close();
        for (let i = 0; i < 50 && !/"shutting down"/.test(stderr); i++) await sleep(100);
        const events = stderr.trim().split('\n').map(l => JSON.parse(l) as Record<string, any>);
        assert.deepEqual(events.map(e => e.message), ['server ready', 'shutting down']);
        assert.equal(events[1]?.reason, 'stdin closed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Tab stops typed into the Python snippets for their run-time checks (durations in seconds). */
const PYTHON_TAB_STOPS: Record<string, Record<number, string>> = {
  'mcp-circuit-breaker': { 2: '0.04', 3: '1.0', 4: '0.1' },
  'mcp-ttl-cache': { 1: '3', 2: '0.3' },
  'mcp-bulkhead': { 1: '2', 2: '1', 3: '0.3' },
  'mcp-rate-limiter': { 3: '2' },
  'mcp-adaptive-rate-limiter': { 1: '10.0', 5: '2.0', 8: '0' },
  'mcp-retry-backoff': { 2: '0.001', 3: '0.005' },
  'mcp-deadlock-retry': { 2: '0.001', 3: '0.005' },
  'mcp-slo-monitor': {},
  'mcp-strangler-router': { 4: '0.2', 5: '20' },
  'mcp-shadow-traffic': { 2: '0.3', 3: '1' },
  'mcp-graceful-degradation': {},
  'mcp-tenant-context': { 2: '4', 3: '1' },
  'mcp-audit-trail': {},
  'mcp-logger': { 3: '20' },
  'mcp-health-check': { 1: '0.03' },
  'mcp-memory-guard': { 1: '1', 2: '2', 3: '1' },
  'mcp-graceful-shutdown': { 2: '0.1' },
};

describe('python snippets at run time', function () {
  this.timeout(120_000);
  const scratch = scratchDir();
  let results: Record<string, string> = {};
  before(() => {
    for (const [prefix, tabStops] of Object.entries(PYTHON_TAB_STOPS)) {
      const snippet = getSnippet(prefix, 'python');
      assert.ok(snippet, prefix);
      const text = expandSnippet(snippet.body, { language: 'python', tabStops, unknownVariables: 'error', fileName: '/work/src/orders.py' });
      writeFileSync(path.join(scratch.dir, `${prefix.slice('mcp-'.length).replace(/-/g, '_')}.py`), text);
    }
    const r = spawnSync('python3', [path.join(REPO_ROOT, 'test', 'snippets', 'behaviour_python.py'), scratch.dir], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(r.status, 0, `behaviour_python.py failed: ${r.error ?? r.stderr}`);
    results = JSON.parse(r.stdout) as Record<string, string>;
  });
  after(() => scratch.dispose());
  for (const prefix of Object.keys(PYTHON_TAB_STOPS)) {
    it(`${prefix} behaves as described`, () => {
      const name = prefix.slice('mcp-'.length).replace(/-/g, '_');
      assert.equal(results[name], 'ok', `${prefix}:\n${results[name] ?? 'not run'}`);
    });
  }
  it('checks every stdlib-only Python snippet it was given, and nothing else', () => {
    assert.deepEqual(Object.keys(results).sort(), Object.keys(PYTHON_TAB_STOPS).map(p => p.slice('mcp-'.length).replace(/-/g, '_')).sort());
  });
});
