// The BullMQ peer of bench/jobs_bench.c: the same no-op jobs, the same two modes, the same
// output line (key=value), against a redis-server on 127.0.0.1:PORT that this script flushes.
//
//   node bench.mjs PORT [N [STEADY_N [STEADY_RATE]]]   defaults: 100000, N/10, 1000 jobs/s
//
// "2 workers" is two BullMQ Worker instances with concurrency 1 each, in this one process
// (each on its own Redis connections): like the C pool's two threads, each runs one job at a
// time. On the 2-CPU machine it was tuned on, this beat one worker process per Worker (three
// Node processes and Redis then share two CPUs), so it is the generous choice for BullMQ. One
// Worker with concurrency 2 is a little faster still; see bench/README.md.
// - burst: N jobs are added with addBulk in batches of 1000, then the workers start (created
//   and connected beforehand, with autorun off). Throughput is N over the processing phase
//   (run() to the N-th "completed" event); the total includes the enqueue phase.
// - steady: the workers run while the producer adds STEADY_N jobs one at a time (each add
//   awaited) on a fixed schedule of STEADY_RATE jobs/s.
// Latency is from the moment a job was due to be enqueued (its batch's start, or its slot in
// the schedule, so a producer that falls behind does not hide the delay) to its handler
// running, on performance.now(). Jobs keep BullMQ's defaults (completed jobs are kept, as the C
// side keeps its rows).
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const N_WORKERS = 2;
const BATCH = 1000;
const now = () => performance.now(); // ms, monotonic, sub-ms precision
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function usage() {
  console.error('usage: node bench.mjs PORT [N [STEADY_N [STEADY_RATE]]]');
  process.exit(2);
}

function count(text) {
  if (!/^[0-9]+$/.test(text)) usage();
  const value = Number(text);
  if (value < 1 || value > 100000000) usage();
  return value;
}

// Two Workers, not yet running; `done` resolves with the time the n-th job completed, and
// handledAt[id] is when job id's handler ran.
async function makeWorkers(connection, queueName, n) {
  const handledAt = new Float64Array(n + 1);
  let completed = 0;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const workers = Array.from({ length: N_WORKERS }, () => {
    const worker = new Worker(
      queueName,
      async (job) => {
        handledAt[Number(job.id)] = now();
      },
      { connection, concurrency: 1, autorun: false },
    );
    worker.on('completed', () => {
      if (++completed === n) finish(now());
    });
    worker.on('error', (err) => console.error('worker:', err.message));
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return { workers, handledAt, done };
}

function percentiles(enqueuedAt, handledAt, n) {
  const lat = new Float64Array(n);
  for (let id = 1; id <= n; id++) {
    if (handledAt[id] === 0) throw new Error(`job ${id} never ran`);
    lat[id - 1] = handledAt[id] - enqueuedAt[id];
  }
  lat.sort();
  const at = (pct) => lat[Math.max(Math.ceil((n * pct) / 100) - 1, 0)];
  return { p50: at(50), p99: at(99), max: lat[n - 1] };
}

async function freshQueue(connection, name) {
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  return queue;
}

async function burst(connection, n) {
  const queue = await freshQueue(connection, 'bench-burst');
  const { workers, handledAt, done } = await makeWorkers(connection, 'bench-burst', n);
  const enqueuedAt = new Float64Array(n + 1);
  const tStart = now();
  for (let i = 0; i < n; i += BATCH) {
    const size = Math.min(BATCH, n - i);
    const batchAt = now();
    const jobs = await queue.addBulk(Array.from({ length: size }, () => ({ name: 'noop', data: {} })));
    for (const job of jobs) enqueuedAt[Number(job.id)] = batchAt;
  }
  const tEnqueued = now();
  for (const worker of workers) worker.run();
  const tDone = await done;
  await Promise.all(workers.map((worker) => worker.close()));
  const { p50, p99 } = percentiles(enqueuedAt, handledAt, n);
  await queue.close();
  console.log(
    `bullmq mode=burst jobs=${n} workers=${N_WORKERS} ` +
      `enqueue_jobs_s=${((n * 1000) / (tEnqueued - tStart)).toFixed(0)} ` +
      `process_jobs_s=${((n * 1000) / (tDone - tEnqueued)).toFixed(0)} ` +
      `total_jobs_s=${((n * 1000) / (tDone - tStart)).toFixed(0)} ` +
      `p50_ms=${p50.toFixed(1)} p99_ms=${p99.toFixed(1)}`,
  );
}

async function steady(connection, n, rate) {
  const queue = await freshQueue(connection, 'bench-steady');
  const { workers, handledAt, done } = await makeWorkers(connection, 'bench-steady', n);
  const enqueuedAt = new Float64Array(n + 1);
  for (const worker of workers) worker.run();
  const tStart = now() + 10; // let the workers settle for 10 ms
  for (let i = 0; i < n; i++) {
    const due = tStart + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    const job = await queue.add('noop', {});
    if (Number(job.id) !== i + 1) throw new Error(`job id ${job.id}, expected ${i + 1}`);
    enqueuedAt[i + 1] = due;
  }
  const tDone = await done;
  await Promise.all(workers.map((worker) => worker.close()));
  const { p50, p99, max } = percentiles(enqueuedAt, handledAt, n);
  await queue.close();
  console.log(
    `bullmq mode=steady jobs=${n} workers=${N_WORKERS} rate_jobs_s=${rate} ` +
      `achieved_jobs_s=${((n * 1000) / (tDone - tStart)).toFixed(0)} ` +
      `p50_ms=${p50.toFixed(2)} p99_ms=${p99.toFixed(2)} max_ms=${max.toFixed(2)}`,
  );
}

async function main(argv) {
  if (argv.length < 1 || argv.length > 4) usage();
  const port = count(argv[0]);
  const n = argv.length > 1 ? count(argv[1]) : 100000;
  const steadyN = argv.length > 2 ? count(argv[2]) : Math.max(Math.floor(n / 10), 1);
  const rate = argv.length > 3 ? count(argv[3]) : 1000;
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const admin = new Redis(connection);
  await admin.flushdb(); // a fresh "database" per run, as the C side starts a fresh file
  await burst(connection, n);
  await steady(connection, steadyN, rate);
  await admin.quit();
}

main(process.argv.slice(2)).catch((err) => {
  console.error('bench.mjs:', err.message);
  process.exit(1);
});
