//! wasm-bindgen bindings over geo-client, published as an npm package.
//!
//! Not built yet: see the workspace README for what exists today.
