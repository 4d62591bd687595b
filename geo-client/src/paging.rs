//! Cursor pagination state: which page to ask for next, and when to stop.

use crate::error::{GeoError, GeoResult};

/// Follows `next_cursor` from page to page; refuses a hub that sends the same cursor twice (which
/// would loop forever).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pager {
    cursor: Option<String>,
    seen: Vec<String>,
    done: bool,
}

impl Pager {
    /// Starts at the first page.
    pub fn new() -> Pager {
        Pager::default()
    }

    /// The cursor of the page to fetch next, or `None` when there are no more pages
    /// (`Some(None)` is the first page).
    pub fn next(&self) -> Option<Option<&str>> {
        (!self.done).then_some(self.cursor.as_deref())
    }

    /// Records a fetched page's `next_cursor`.
    pub fn advance(&mut self, next_cursor: Option<String>) -> GeoResult<()> {
        match next_cursor {
            None => self.done = true,
            Some(c) => {
                if self.seen.contains(&c) {
                    self.done = true;
                    return Err(GeoError::invalid(format!(
                        "the hub repeated the page cursor {c:?}"
                    )));
                }
                self.seen.push(c.clone());
                self.cursor = Some(c);
            }
        }
        Ok(())
    }

    /// Whether every page has been fetched.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_cursors_until_the_last_page() {
        let mut p = Pager::new();
        assert_eq!(p.next(), Some(None));
        p.advance(Some("40".into())).unwrap();
        assert_eq!(p.next(), Some(Some("40")));
        p.advance(Some("20".into())).unwrap();
        p.advance(None).unwrap();
        assert_eq!(p.next(), None);
        assert!(p.is_done());
    }

    #[test]
    fn a_repeated_cursor_stops_instead_of_looping() {
        let mut p = Pager::new();
        p.advance(Some("5".into())).unwrap();
        assert!(p.advance(Some("5".into())).is_err());
        assert_eq!(p.next(), None);
    }
}
