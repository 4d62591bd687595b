//! Multi-path payment routing (being built).
