//! Optimal debt-cycle clearing (being built).
