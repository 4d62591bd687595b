//! Query strings: percent-encoding and the members of a query type in their declared order.

/// A query type: its members as `(name, value)` pairs, unset members as `None`.
pub trait ToQuery {
    /// The members in order.
    fn pairs(&self) -> Vec<(&'static str, Option<String>)>;
}

/// No query.
impl ToQuery for () {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        Vec::new()
    }
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text of an optional member.
pub(crate) fn text<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(T::to_string)
}
