//! The connection loop: accepts TCP connections and serves HTTP/1.1 on each, with the limits
//! `axum::serve` lacks — a header timeout, an idle timeout, and a cap on open connections below the
//! process's file-descriptor limit — so half-open connections (slowloris) cannot starve everyone else.
//!
//! Invariants:
//! - At most `max_connections` connections are held. When a new one arrives at the cap, the connection
//!   idle the longest (no request in progress: never sent a complete header, or keep-alive between
//!   requests) is closed to make room; if every connection is busy, the new one is closed instead.
//! - A connection that has not completed its first request's header within [`HEADER_TIMEOUT`], or sits
//!   idle between requests longer than [`IDLE_TIMEOUT`], is closed.
//! - On shutdown no new connection is accepted; open ones finish their request in progress (up to
//!   [`SHUTDOWN_GRACE`]) and close.

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// How long a new connection may take to send its first request's header.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may sit between requests.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long requests in progress get to finish at shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// File descriptors kept back from connections: the database, its journal, logs, the built app's files.
pub const FD_RESERVE: u64 = 128;

/// One open connection, as the loop and its watchdog see it.
struct Conn {
    /// Milliseconds since the loop started: accepted, then the end of the last request.
    last_active_ms: AtomicU64,
    /// Requests in progress.
    busy: AtomicUsize,
    /// Whether a request has been received.
    served: AtomicBool,
    /// Closes the connection (eviction to make room).
    evict: Notify,
}

struct Registry {
    started: Instant,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new connection, making room at the cap. `None`: every connection is busy; refuse it.
    fn admit(&self, max: usize) -> Option<(u64, Arc<Conn>)> {
        let mut conns = self.lock();
        if conns.len() >= max {
            let oldest_idle = conns
                .iter()
                .filter(|(_, c)| c.busy.load(Ordering::Acquire) == 0)
                .min_by_key(|(_, c)| c.last_active_ms.load(Ordering::Relaxed))
                .map(|(id, _)| *id);
            let victim = conns.remove(&oldest_idle?)?;
            // `notify_one` keeps the signal if the connection's task is not waiting yet.
            victim.evict.notify_one();
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            last_active_ms: AtomicU64::new(self.now_ms()),
            busy: AtomicUsize::new(0),
            served: AtomicBool::new(false),
            evict: Notify::new(),
        });
        conns.insert(id, conn.clone());
        Some((id, conn))
    }
}

/// The open-file limit, raised to the hard limit first (a server wants all it may have).
pub fn raise_fd_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit read and write a plain struct we own.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
        // `rlim_t` is not 64 bits on every target.
        #[allow(clippy::unnecessary_cast)]
        let cur = lim.rlim_cur as u64;
        cur
    }
}

/// The connection cap: the configured one, but below the file-descriptor limit with room to spare.
pub fn connection_cap(configured: usize, fd_limit: u64) -> usize {
    let by_fds = fd_limit.saturating_sub(FD_RESERVE).max(16);
    configured
        .min(usize::try_from(by_fds).unwrap_or(usize::MAX))
        .max(1)
}

/// Serves `router` on `listener` until `shutdown` completes, holding at most `max_connections`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    max_connections: usize,
    shutdown: impl Future<Output = ()> + Send,
) {
    let registry = Arc::new(Registry {
        started: Instant::now(),
        next_id: AtomicU64::new(0),
        conns: Mutex::new(HashMap::new()),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        // Above the JSON-answered limits of `error::request_limits` (8 KB address, 32 KB and 100 headers).
        .max_buf_size(128 * 1024)
        .max_headers(200);
    tokio::pin!(shutdown);
    tracing::info!(max_connections, "accepting connections");
    loop {
        let (stream, remote) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or similar: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some((id, conn)) = registry.admit(max_connections) else {
            tracing::warn!(%remote, "connection refused: every connection is busy");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = Tracked {
            inner: router.clone(),
            remote,
            conn: conn.clone(),
            registry: registry.clone(),
        };
        let http = http.clone();
        let registry = registry.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let connection = http
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            tokio::pin!(connection);
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    _ = conn.evict.notified() => break,
                    _ = stop.changed() => {
                        connection.as_mut().graceful_shutdown();
                        let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection.as_mut()).await;
                        break;
                    }
                    _ = tick.tick() => {
                        if conn.busy.load(Ordering::Acquire) > 0 {
                            continue;
                        }
                        let idle = registry.now_ms().saturating_sub(conn.last_active_ms.load(Ordering::Relaxed));
                        let limit = if conn.served.load(Ordering::Relaxed) { IDLE_TIMEOUT } else { HEADER_TIMEOUT };
                        if idle >= limit.as_millis() as u64 {
                            break;
                        }
                    }
                }
            }
            registry.lock().remove(&id);
        });
    }
    let _ = stop_tx.send(true);
    // Wait for the connections to finish (each gives its request in progress SHUTDOWN_GRACE).
    let deadline = Instant::now() + SHUTDOWN_GRACE + Duration::from_secs(1);
    while !registry.lock().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The router for one connection: gives each request the client address (`ConnectInfo`, as
/// `into_make_service_with_connect_info` would) and counts requests in progress for the watchdog.
#[derive(Clone)]
struct Tracked {
    inner: Router,
    remote: SocketAddr,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

/// Ends a request's "in progress" when its response is ready or the request is dropped.
struct Busy {
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn
            .last_active_ms
            .store(self.registry.now_ms(), Ordering::Relaxed);
        self.conn.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

impl tower::Service<Request<Incoming>> for Tracked {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: Request<Incoming>) -> Self::Future {
        self.conn.busy.fetch_add(1, Ordering::AcqRel);
        self.conn.served.store(true, Ordering::Relaxed);
        let busy = Busy {
            conn: self.conn.clone(),
            registry: self.registry.clone(),
        };
        req.extensions_mut().insert(ConnectInfo(self.remote));
        let fut = tower::ServiceExt::oneshot(self.inner.clone(), req.map(axum::body::Body::new));
        Box::pin(async move {
            let res = fut.await;
            drop(busy);
            res
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_descriptor_limit() {
        assert_eq!(connection_cap(10_000, 1_024), 896);
        assert_eq!(connection_cap(500, 1_024), 500);
        assert_eq!(connection_cap(10_000, 1_048_576), 10_000);
        assert_eq!(connection_cap(10_000, 100), 16);
    }

    #[test]
    fn at_the_cap_the_longest_idle_connection_makes_room_and_busy_ones_are_kept() {
        let r = Registry {
            started: Instant::now(),
            next_id: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
        };
        let (a, ca) = r.admit(2).unwrap();
        let (_b, cb) = r.admit(2).unwrap();
        ca.last_active_ms.store(5, Ordering::Relaxed);
        cb.last_active_ms.store(9, Ordering::Relaxed);
        // Third at the cap of 2: a (idle since 5) goes.
        let (_c, cc) = r.admit(2).unwrap();
        assert!(!r.lock().contains_key(&a));
        assert_eq!(r.lock().len(), 2);
        // Both remaining busy: the next one is refused.
        cb.busy.store(1, Ordering::Relaxed);
        cc.busy.store(1, Ordering::Relaxed);
        assert!(r.admit(2).is_none());
        assert_eq!(r.lock().len(), 2);
    }
}
