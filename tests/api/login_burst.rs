//! A burst of anonymous logins leaves the server's memory flat: each argon2 hash takes
//! about 19 MiB, at most four run at once (the rest wait or get a 503), and the memory goes
//! back to the system afterwards. Measured on the real `cabina serve` process, the one an
//! attacker would hit, through a trusted proxy that spreads the burst over many addresses
//! (so that the per-address throttle does not hide the hashing).
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use rstest::rstest;
use serde_json::json;

use crate::helpers::{Backend, Server, TestDb, cabina_binary};

const MIB: u64 = 1024 * 1024;

impl Server {
    /// Resident memory (`VmRSS`) of the server process, in bytes.
    fn resident(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id()))
            .expect("the server runs");
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status");
        kib * 1024
    }
}

#[rstest]
#[tokio::test]
async fn a_burst_of_logins_leaves_memory_flat(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let db = TestDb::create(backend).await;
    let data = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let server = Server(
        Command::new(cabina_binary())
            .arg("serve")
            .env("CABINA_LISTEN", format!("127.0.0.1:{port}"))
            .env("CABINA_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("CABINA_DATABASE_URL", db.url())
            .env("CABINA_DATA_DIR", data.path())
            .env("CABINA_TRUSTED_PROXIES", "127.0.0.1")
            .env("CABINA_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("cabina serve starts"),
    );
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..300 {
        if client
            .get(format!("{base}/status"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server answers /status");

    let login = |n: u32| {
        let client = client.clone();
        let url = format!("{base}/auth/login");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", format!("10.{}.{}.{}", n / 65536, n / 256 % 256, n % 256))
                .json(&json!({"email": format!("nessuno{n}@example.org"), "password": "sbagliata-davvero"}))
                .send()
                .await
                .expect("an answer")
                .status()
                .as_u16()
        }
    };
    // Warm up every hashing thread once: their first 19 MiB block is the steady state.
    futures::future::join_all((0..8).map(login)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.resident();

    let burst = tokio::spawn(futures::future::join_all((100..300).map(login)));
    let mut peak = before;
    while !burst.is_finished() {
        peak = peak.max(server.resident());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let statuses = burst.await.unwrap();
    assert!(
        statuses.iter().all(|s| matches!(s, 401 | 429 | 503)),
        "refused, throttled or asked to retry, never a fault: {statuses:?}"
    );
    assert!(statuses.contains(&401), "some were checked: {statuses:?}");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let after = server.resident();
    eprintln!(
        "login burst: base {} MiB, peak {} MiB, after {} MiB",
        before / MIB,
        peak / MIB,
        after / MIB
    );
    // Four hashes at 19 MiB each, and room for the requests in flight.
    assert!(
        peak <= before + 150 * MIB,
        "peak {} MiB over a base of {} MiB",
        peak / MIB,
        before / MIB
    );
    assert!(
        after <= before + 40 * MIB,
        "memory back near {} MiB after the burst, not {} MiB",
        before / MIB,
        after / MIB
    );
}
