//! Contacts: local names for PIDs (`geo contacts add bob <PID>`), kept in `contacts.json` in the
//! data directory. A contact's name wins over the hub's display names when resolving.

use std::collections::BTreeMap;

use geo_client::Pid;

use crate::failure::Outcome;
use crate::local::{self, DataDir};

const FILE: &str = "contacts.json";

/// Names for PIDs, by name.
#[derive(Debug, Default, Clone)]
pub struct Contacts {
    by_name: BTreeMap<String, Pid>,
}

impl Contacts {
    /// The contacts of a data directory (none yet: empty).
    pub fn load(dir: &DataDir) -> Outcome<Contacts> {
        let by_name = local::read(&dir.shared(FILE))?.unwrap_or_default();
        Ok(Contacts { by_name })
    }

    /// Writes them back.
    pub fn save(&self, dir: &DataDir) -> Outcome<()> {
        local::write(&dir.shared(FILE), &self.by_name)
    }

    /// The PID of a contact (names compare without regard to case).
    pub fn get(&self, name: &str) -> Option<&Pid> {
        self.by_name
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, p)| p)
    }

    /// The contact name of a PID, if it has one.
    pub fn name_of(&self, pid: &Pid) -> Option<&str> {
        self.by_name
            .iter()
            .find(|(_, p)| *p == pid)
            .map(|(n, _)| n.as_str())
    }

    /// Adds or replaces a contact.
    pub fn add(&mut self, name: &str, pid: Pid) {
        self.by_name.retain(|n, _| !n.eq_ignore_ascii_case(name));
        self.by_name.insert(name.to_owned(), pid);
    }

    /// Removes a contact; whether it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.by_name.len();
        self.by_name.retain(|n, _| !n.eq_ignore_ascii_case(name));
        before != self.by_name.len()
    }

    /// Every contact, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Pid)> {
        self.by_name.iter()
    }
}
