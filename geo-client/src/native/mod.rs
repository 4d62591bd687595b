//! The native transport: HTTP with reqwest, WebSocket with tokio-tungstenite, timers with tokio.

pub mod client;
mod http;
pub mod subscription;
