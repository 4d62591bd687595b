//! `geo-load --hub http://127.0.0.1:8080 --admin-token T [--participants 1000] [--payments 50000]
//!  [--seed 42] (--open RATE | --closed CLIENTS) [--connections 512] [--equivalent LOAD]
//!  [--batch N [--window-ms 2]] [--hub-pid PID] [--samples FILE]`
//!
//! Registers a seeded community on the hub, pre-signs the payments, sends them, and prints the
//! run's report next to the committed count the hub reports (they must agree). With `--hub-pid`
//! (the hub runs on this machine) it also prints the hub process's CPU time and bytes written per
//! committed payment during the timed phase. `--batch N` sends up to N payments per request
//! (`POST /payments/batch`): N consecutive ones in closed loop; in open loop (whose rate counts
//! payments) those arriving within `--window-ms` of the first one waiting, each payment's latency
//! still counted from its own arrival. `--samples` writes every payment's send time, latency and
//! status as CSV, to see when the slow answers happened.

use std::time::Duration;

use geo_load::community::{Community, Shape};
use geo_load::drive::{run, Mode, Plan};
use geo_load::setup::Hub;
use geo_load::usage::ProcessUsage;

struct Args {
    hub: String,
    admin_token: String,
    participants: usize,
    payments: usize,
    seed: u64,
    mode: Mode,
    connections: usize,
    equivalent: String,
    hub_pid: Option<u32>,
    samples: Option<String>,
    batch: usize,
    window: Duration,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        hub: String::new(),
        admin_token: String::new(),
        participants: 1000,
        payments: 50_000,
        seed: 42,
        mode: Mode::Closed { clients: 256 },
        connections: 512,
        equivalent: "LOAD".into(),
        hub_pid: None,
        samples: None,
        batch: 1,
        window: Duration::from_millis(2),
    };
    let mut it = std::env::args().skip(1);
    let num = |v: Option<String>, name: &str| -> Result<f64, String> {
        v.and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{name} needs a number"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--hub" => a.hub = it.next().ok_or("--hub needs a URL")?,
            "--admin-token" => a.admin_token = it.next().ok_or("--admin-token needs a value")?,
            "--participants" => a.participants = num(it.next(), &arg)? as usize,
            "--payments" => a.payments = num(it.next(), &arg)? as usize,
            "--seed" => a.seed = num(it.next(), &arg)? as u64,
            "--connections" => a.connections = num(it.next(), &arg)? as usize,
            "--equivalent" => a.equivalent = it.next().ok_or("--equivalent needs a code")?,
            "--samples" => a.samples = Some(it.next().ok_or("--samples needs a file")?),
            "--batch" => a.batch = num(it.next(), &arg)? as usize,
            "--window-ms" => a.window = Duration::from_secs_f64(num(it.next(), &arg)? / 1000.0),
            "--hub-pid" => a.hub_pid = Some(num(it.next(), &arg)? as u32),
            "--open" => {
                a.mode = Mode::Open {
                    rate: num(it.next(), &arg)?,
                    seed: 0,
                    window: Duration::ZERO,
                }
            }
            "--closed" => {
                a.mode = Mode::Closed {
                    clients: num(it.next(), &arg)? as usize,
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.hub.is_empty() || a.admin_token.is_empty() {
        return Err("--hub and --admin-token are required".into());
    }
    if a.batch == 0 {
        return Err("--batch needs at least 1".into());
    }
    if let Mode::Open { seed, window, .. } = &mut a.mode {
        *seed = a.seed;
        *window = a.window;
    }
    Ok(a)
}

#[tokio::main]
async fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("geo-load: {e}");
            std::process::exit(2);
        }
    };
    let hub = Hub {
        base: format!("{}/api/v1", a.hub.trim_end_matches('/')),
        admin_token: a.admin_token.clone(),
        equivalent: a.equivalent.clone(),
    };
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.connections)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client");
    let community = Community::generate(Shape::new(a.participants, a.seed));
    let reg = match hub.register(&http, &community, a.seed).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("geo-load: setup: {e}");
            std::process::exit(1);
        }
    };
    let payments = community.payments(a.payments, a.seed);
    let work = hub
        .sign_payments(&reg, &payments, a.seed, 600)
        .expect("signing");
    let before = hub.committed(&http).await.expect("hub totals");
    let usage_before = match a.hub_pid.map(|pid| (pid, ProcessUsage::of(pid))) {
        Some((pid, None)) => {
            eprintln!("geo-load: cannot read /proc/{pid}/stat and /proc/{pid}/io");
            std::process::exit(2);
        }
        Some((_, u)) => u,
        None => None,
    };
    let plan = match a.batch {
        1 => Plan::single(&hub.base, work),
        n => Plan::batched(&hub.base, work, n),
    };
    let report = run(&http, plan, &reg.tokens, a.mode).await;
    let usage = usage_before.and_then(|b| Some(ProcessUsage::of(a.hub_pid?)?.since(&b)));
    let after = hub.committed(&http).await.expect("hub totals");
    if let Some(file) = &a.samples {
        if let Err(e) = std::fs::write(file, report.samples_csv()) {
            eprintln!("geo-load: {file}: {e}");
            std::process::exit(1);
        }
    }
    println!(
        "participants {} trust lines {} payments {} mode {:?} batch {}",
        community.participants,
        community.lines.len(),
        a.payments,
        a.mode,
        a.batch
    );
    println!("{report}");
    if let Some(u) = usage {
        let n = report.committed.max(1) as f64;
        println!(
            "hub process during the run: {:.2?} CPU, {:.0} µs CPU and {:.1} KiB written per committed payment",
            u.cpu,
            u.cpu.as_secs_f64() * 1e6 / n,
            u.written_bytes as f64 / 1024.0 / n
        );
    }
    println!(
        "hub reports {} payments committed during the run",
        after - before
    );
    if after - before != report.committed {
        eprintln!("geo-load: the hub's committed count differs from the run's");
        std::process::exit(1);
    }
}
