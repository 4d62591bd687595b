//! Rust SDK over the GEO hub's REST and WebSocket API, signing locally.
//!
//! Not built yet: see the workspace README for what exists today.
