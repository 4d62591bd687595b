//! uniffi bindings (Kotlin, Swift, Python) over geo-client.
//!
//! Not built yet: see the workspace README for what exists today.
