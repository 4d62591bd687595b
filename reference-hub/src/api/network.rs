//! `GET /network/{equivalent}`: the trust network around the caller (spec §8.7). The walk is the
//! engine's (`engine/network.rs`); this file decides what the caller may see of it: who is linked to
//! whom and which way, amounts on the caller's own lines only.

use axum::extract::State;
use axum::Json;
use geo_api::{self as api, network};
use geo_protocol::{Amount, EquivalentCode, ErrorCode};

use super::extract::{Auth, Path, Query};
use super::AppState;
use crate::error::{HubError, HubResult};

/// `GET /network/{equivalent}`.
pub async fn neighbourhood(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<api::NeighbourhoodQuery>,
) -> HubResult<Json<api::Neighbourhood>> {
    let code = EquivalentCode::parse(&code)
        .map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))?;
    let depth = q.depth.unwrap_or(network::DEFAULT_DEPTH);
    if !(1..=network::MAX_DEPTH).contains(&depth) {
        return Err(HubError::new(
            ErrorCode::Validation,
            format!("depth {depth} is not 1..={}", network::MAX_DEPTH),
        ));
    }
    let e = s.engine.read().await;
    let l = &e.ledger;
    let book = l
        .books
        .get(&code)
        .ok_or_else(|| HubError::new(ErrorCode::UnknownEquivalent, format!("equivalent {code}")))?;
    let me = *l
        .by_pid
        .get(&auth.0)
        .ok_or_else(|| HubError::not_found(format!("participant {}", auth.0)))?;
    let n = book.neighbourhood(me, depth, network::MAX_MEMBERS);
    let text = |m: u64| Amount::from_minor(m, book.precision).to_string();
    let mut members: Vec<api::NetworkMember> = n
        .members
        .iter()
        .map(|&(x, hops)| api::NetworkMember {
            pid: l.pid(x).clone(),
            display_name: l.participants[x as usize].display_name.clone(),
            hops,
        })
        .collect();
    members.sort_by(|a, b| (a.hops, &a.pid).cmp(&(b.hops, &b.pid)));
    let mut lines: Vec<api::NetworkLine> = n
        .lines
        .iter()
        .map(|&(creditor, debtor)| {
            let used = book.debt(debtor, creditor);
            let mine = creditor == me || debtor == me;
            api::NetworkLine {
                creditor: l.pid(creditor).clone(),
                debtor: l.pid(debtor).clone(),
                in_debt: used > 0,
                limit: mine.then(|| text(book.limit(creditor, debtor))),
                used: mine.then(|| text(used)),
            }
        })
        .collect();
    lines.sort_by(|a, b| (&a.creditor, &a.debtor).cmp(&(&b.creditor, &b.debtor)));
    Ok(Json(api::Neighbourhood {
        equivalent: code,
        depth,
        members,
        lines,
        truncated: n.truncated,
    }))
}
