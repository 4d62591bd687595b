//! Who is who: turns what a person types (a contact, a display name, a PID) into a PID, and shows
//! a name beside every PID the CLI prints.

use std::collections::HashMap;

use geo_client::{HubClient, Pid};

use crate::contacts::Contacts;
use crate::failure::{Failure, Outcome};

/// Names for PIDs: the contacts first, then the hub's display names (asked once per PID).
pub struct Directory<'a> {
    client: &'a HubClient,
    contacts: Contacts,
    known: HashMap<Pid, String>,
}

/// `Name (PID)`.
pub fn labelled(name: &str, pid: &Pid) -> String {
    format!("{name} ({pid})")
}

impl<'a> Directory<'a> {
    /// A directory over the hub's participants and these contacts.
    pub fn new(client: &'a HubClient, contacts: Contacts) -> Directory<'a> {
        Directory {
            client,
            contacts,
            known: HashMap::new(),
        }
    }

    /// The participant meant by `who`: a contact's name, a PID, or a display name registered on
    /// the hub (any case; refused when several participants share it).
    pub async fn resolve(&mut self, who: &str) -> Outcome<Pid> {
        if let Some(pid) = self.contacts.get(who) {
            return Ok(pid.clone());
        }
        if let Ok(pid) = who.parse::<Pid>() {
            return Ok(pid);
        }
        let found = self.client.search_participants(who).await?;
        let exact: Vec<_> = found
            .iter()
            .filter(|p| p.display_name.to_lowercase() == who.to_lowercase())
            .collect();
        for p in &found {
            self.known.insert(p.pid.clone(), p.display_name.clone());
        }
        match exact.as_slice() {
            [one] => Ok(one.pid.clone()),
            [] => Err(Failure::UnknownName {
                name: who.to_owned(),
                similar: found
                    .iter()
                    .take(5)
                    .map(|p| labelled(&p.display_name, &p.pid))
                    .collect(),
            }),
            many => Err(Failure::AmbiguousName {
                name: who.to_owned(),
                candidates: many
                    .iter()
                    .map(|p| labelled(&p.display_name, &p.pid))
                    .collect(),
            }),
        }
    }

    /// The name to show for a PID: "you", a contact's name, or the hub's display name.
    pub async fn name(&mut self, pid: &Pid) -> String {
        if *pid == self.client.pid() {
            return "you".into();
        }
        if let Some(n) = self.contacts.name_of(pid) {
            return n.to_owned();
        }
        if let Some(n) = self.known.get(pid) {
            return n.clone();
        }
        let name = match self.client.participant(pid).await {
            Ok(p) => p.display_name,
            Err(_) => "?".into(),
        };
        self.known.insert(pid.clone(), name.clone());
        name
    }

    /// `Name (PID)`, or "you".
    pub async fn label(&mut self, pid: &Pid) -> String {
        let name = self.name(pid).await;
        if name == "you" {
            name
        } else {
            labelled(&name, pid)
        }
    }
}
