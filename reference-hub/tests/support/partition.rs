//! A network partition between a hub and its database, made by a TCP proxy of the test's on
//! loopback: it forwards both ways until cut, then forwards nothing and closes nothing (bytes and
//! closes wait in its sockets, as packets wait in a network that drops them while TCP retries),
//! and forwards again once healed.
//!
//! The proxy's own kernel still acknowledges what reaches it, so the database's TCP keepalives and
//! `tcp_user_timeout` never fire across it: the writer lease is what ends a cut-off writer here.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A proxy to `upstream`, listening on a port of its own; stopped when dropped.
pub struct Partition {
    /// The port that reaches `upstream` through the proxy.
    pub port: u16,
    cut: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Partition {
    /// Starts forwarding to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Partition {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, watching) = watch::channel(false);
        let upstream = upstream.to_owned();
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            loop {
                let Ok((down, _)) = listener.accept().await else {
                    return;
                };
                let (upstream, mut watching) = (upstream.clone(), watching.clone());
                links.spawn(async move {
                    healed(&mut watching).await;
                    let Ok(up) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (down_r, down_w) = down.into_split();
                    let (up_r, up_w) = up.into_split();
                    tokio::join!(
                        pump(down_r, up_w, watching.clone()),
                        pump(up_r, down_w, watching)
                    );
                });
            }
        });
        Partition { port, cut, task }
    }

    /// Stops forwarding, both ways, on every connection and for new ones.
    pub fn cut(&self) {
        self.cut.send_replace(true);
    }

    /// Forwards again what waited, and what follows.
    pub fn heal(&self) {
        self.cut.send_replace(false);
    }
}

impl Drop for Partition {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Returns once the link is not cut.
async fn healed(cut: &mut watch::Receiver<bool>) {
    let _ = cut.wait_for(|cut| !*cut).await;
}

/// Copies `from` to `to`, holding what it read while the link is cut; passes the close on.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut cut: watch::Receiver<bool>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = from.read(&mut buf).await.unwrap_or(0);
        healed(&mut cut).await;
        if n == 0 || to.write_all(&buf[..n]).await.is_err() {
            let _ = to.shutdown().await;
            return;
        }
    }
}
