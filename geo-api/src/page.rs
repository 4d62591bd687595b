//! Paging: a page of items and the cursor of the next one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::query::{text, ToQuery};

/// A page of results and the cursor of the next page (absent on the last page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The query of a plain paged list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size 1..=200 (default 50).
    pub limit: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

impl ToQuery for PageQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("limit", text(&self.limit)),
            ("cursor", self.cursor.clone()),
        ]
    }
}
