//! The GEO reference community hub: routing, two-phase payments, clearing, events.
//!
//! Not built yet: see the workspace README for what exists today.
