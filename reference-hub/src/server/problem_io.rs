//! A connection that turns hyper's own refusals into problem documents.
//!
//! hyper answers a request it cannot parse by itself, before any handler runs: `400` for a malformed
//! request line or header, `414` for a request target over 64 KiB, `431` for a header section over its
//! buffer, each with an empty body, and then closes the connection. Every answer of the hub carries a
//! `content-type`; those do not. This wrapper recognises such a head as it is written and writes the
//! RFC 9457 document of the matching code in its place.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use geo_protocol::ErrorCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A byte stream whose bodiless `400`/`414`/`431` answers become problem documents.
pub struct ProblemIo<T, G = ()> {
    inner: T,
    /// The replacement being written, how far, and how many bytes of hyper's it stands for.
    pending: Option<(Vec<u8>, usize, usize)>,
    /// Held for as long as the connection lives (e.g. a slot of the connection cap).
    _guard: G,
}

impl<T, G> ProblemIo<T, G> {
    /// Wraps `inner`, keeping `guard` until the connection is dropped.
    pub fn new(inner: T, guard: G) -> Self {
        ProblemIo {
            inner,
            pending: None,
            _guard: guard,
        }
    }
}

/// The code of a head hyper wrote for a request it could not parse, if `head` is one.
fn automatic_refusal(head: &[u8]) -> Option<ErrorCode> {
    let code = match head.get(..13)? {
        b"HTTP/1.1 400 " | b"HTTP/1.0 400 " => ErrorCode::Malformed,
        b"HTTP/1.1 414 " | b"HTTP/1.0 414 " => ErrorCode::UriTooLong,
        b"HTTP/1.1 431 " | b"HTTP/1.0 431 " => ErrorCode::HeadersTooLarge,
        _ => return None,
    };
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    let has_type = head[..end]
        .split(|b| *b == b'\n')
        .any(|line| line.len() >= 13 && line[..13].eq_ignore_ascii_case(b"content-type:"));
    (!has_type).then_some(code)
}

/// A complete HTTP/1.1 answer carrying the problem document of `code`, closing the connection.
pub fn problem_answer(code: ErrorCode, detail: &str, extra_headers: &str) -> Vec<u8> {
    let problem = geo_api::Problem::new(code, detail, serde_json::Map::new());
    let body = serde_json::to_vec(&problem).expect("problem documents serialise");
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n{extra_headers}\r\n",
        code.http_status(),
        code.title(),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

fn detail(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::UriTooLong => "the request target is longer than the hub reads",
        ErrorCode::HeadersTooLarge => "the header section is larger than the hub reads",
        _ => "the request could not be parsed as HTTP/1.1",
    }
}

impl<T: AsyncWrite + Unpin, G: Unpin> ProblemIo<T, G> {
    /// Writes the pending replacement; ready with the length of what it replaces once all is sent.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let (bytes, sent, replaces) = self.pending.as_mut().expect("a pending replacement");
        while *sent < bytes.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *sent += n;
        }
        let replaces = *replaces;
        self.pending = None;
        Poll::Ready(Ok(replaces))
    }

    fn start_replacing(&mut self, head: &[u8], total: usize) -> bool {
        match automatic_refusal(head) {
            Some(code) => {
                self.pending = Some((problem_answer(code, detail(code), ""), 0, total));
                true
            }
            None => false,
        }
    }
}

impl<T: AsyncRead + Unpin, G: Unpin> AsyncRead for ProblemIo<T, G> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin, G: Unpin> AsyncWrite for ProblemIo<T, G> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_some() || this.start_replacing(buf, buf.len()) {
            return this.poll_pending(cx);
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let total = bufs.iter().map(|b| b.len()).sum();
        let head = bufs.iter().find(|b| !b.is_empty()).map(|b| &b[..]);
        if this.pending.is_some() || head.is_some_and(|h| this.start_replacing(h, total)) {
            return this.poll_pending(cx);
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodiless_parse_refusals_are_replaced() {
        let hyper_414 = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(automatic_refusal(hyper_414), Some(ErrorCode::UriTooLong));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 9\r\n\r\n";
        assert_eq!(automatic_refusal(ours), None);
        assert_eq!(automatic_refusal(b"HTTP/1.1 200 OK\r\n\r\n"), None);
        let answer =
            String::from_utf8(problem_answer(ErrorCode::HeadersTooLarge, "big", "")).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], "E_HEADERS_TOO_LARGE");
    }
}
