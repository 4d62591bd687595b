//! The session kept between commands: the hub's rotating refresh token, so each command renews it
//! instead of logging in from scratch (which would leave one more 30-day token on the hub).

use geo_client::HubClient;
use serde::{Deserialize, Serialize};

use crate::failure::Outcome;
use crate::local::{self, DataDir};

#[derive(Serialize, Deserialize)]
struct Stored {
    hub: String,
    pid: String,
    refresh_token: String,
}

/// Lets `client` resume the session stored for its hub and PID, if any.
pub fn resume(dir: &DataDir, client: &HubClient) -> Outcome<()> {
    if let Some(s) = local::read::<Stored>(&dir.for_key("session"))? {
        if s.hub == client.url() && s.pid == client.pid().as_str() {
            client.resume_session(&s.refresh_token);
        }
    }
    Ok(())
}

/// Stores the client's current refresh token for the next command.
pub fn save(dir: &DataDir, client: &HubClient) -> Outcome<()> {
    match client.refresh_token() {
        Some(refresh_token) => local::write(
            &dir.for_key("session"),
            &Stored {
                hub: client.url().to_owned(),
                pid: client.pid().to_string(),
                refresh_token,
            },
        ),
        None => Ok(()),
    }
}
