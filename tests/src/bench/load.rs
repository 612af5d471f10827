//! Load from many concurrent connections, sequential latency samples, and their statistics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::{Client, RequestBuilder};

/// Builds the request a worker sends next, given its own client and its index.
pub type MakeRequest = Arc<dyn Fn(&Client, usize) -> RequestBuilder + Send + Sync>;

/// One kind of request under load, and the status every answer must have.
#[derive(Clone)]
pub struct Probe {
    pub make: MakeRequest,
    pub status: u16,
}

impl Probe {
    pub fn new(
        status: u16,
        make: impl Fn(&Client, usize) -> RequestBuilder + Send + Sync + 'static,
    ) -> Self {
        Self {
            make: Arc::new(make),
            status,
        }
    }
}

/// How hard and how long to push.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Concurrent workers, each with its own client (and so its own keep-alive connection).
    pub workers: usize,
    /// Warm-up of each probe before anything is counted.
    pub warmup: Duration,
    /// Counted time of each probe in each round.
    pub slice: Duration,
    /// Rounds; the probes of a comparison alternate within each round.
    pub rounds: usize,
}

/// Requests answered in a span of time.
#[derive(Debug, Default, Clone, Copy)]
pub struct Count {
    pub requests: u64,
    pub elapsed: Duration,
}

impl Count {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn add(&mut self, other: Count) {
        self.requests += other.requests;
        self.elapsed += other.elapsed;
    }
}

fn client() -> Result<Client> {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("build an HTTP client")
}

/// Sends one request and reads the whole answer; fails on an unexpected status.
async fn exchange(request: RequestBuilder, status: u16) -> Result<usize> {
    let response = request.send().await.context("send")?;
    let got = response.status().as_u16();
    let body = response.bytes().await.context("read the body")?;
    if got != status {
        bail!(
            "expected {status}, got {got}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(body.len())
}

/// Runs `workers` concurrent loops of `probe` for `span`; every answer is read to its end.
pub async fn hammer(probe: &Probe, workers: usize, span: Duration) -> Result<Count> {
    let started = Instant::now();
    let deadline = started + span;
    let mut tasks = Vec::with_capacity(workers);
    for index in 0..workers {
        let (probe, http) = (probe.clone(), client()?);
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                exchange((probe.make)(&http, index), probe.status).await?;
                done += 1;
            }
            anyhow::Ok(done)
        }));
    }
    let mut requests = 0;
    for task in tasks {
        requests += task.await.context("worker panicked")??;
    }
    Ok(Count {
        requests,
        elapsed: started.elapsed(),
    })
}

/// Warms every probe up, then runs them one after another round by round on the same server, so
/// that a slow spell of the machine falls on all of them; returns each probe's totals.
pub async fn compare(load: Load, probes: &[&Probe]) -> Result<Vec<Count>> {
    for probe in probes {
        hammer(probe, load.workers, load.warmup).await?;
    }
    let mut counts = vec![Count::default(); probes.len()];
    for _ in 0..load.rounds {
        for (probe, count) in probes.iter().zip(&mut counts) {
            count.add(hammer(probe, load.workers, load.slice).await?);
        }
    }
    Ok(counts)
}

/// Times `count` pairs of requests, one of each probe in turn, each probe on its own connection,
/// so that any drift of the machine falls on both alike.
pub async fn paired_latencies(
    a: &Probe,
    b: &Probe,
    count: usize,
) -> Result<(Vec<Duration>, Vec<Duration>)> {
    let (http_a, http_b) = (client()?, client()?);
    let (mut times_a, mut times_b) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for index in 0..count {
        for (probe, http, times) in [(a, &http_a, &mut times_a), (b, &http_b, &mut times_b)] {
            let started = Instant::now();
            exchange((probe.make)(http, index), probe.status).await?;
            times.push(started.elapsed());
        }
    }
    Ok((times_a, times_b))
}

/// The value below which `p` (0 to 1) of the samples fall (nearest rank).
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// In milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
