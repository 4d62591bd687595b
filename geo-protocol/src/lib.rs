//! GEO protocol (being built).
