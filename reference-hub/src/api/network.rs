//! `GET /network/{equivalent}`: the trust network around the caller (spec §8.7). The walk and what
//! the caller may see of it (amounts on their own lines only) are the engine's (`engine/network.rs`);
//! this file checks the query and renders the answer.

use axum::extract::State;
use axum::Json;
use geo_api::{self as api, network};
use geo_protocol::{Amount, EquivalentCode, ErrorCode};

use super::extract::{Auth, Path, Query};
use super::problem::{HubError, HubResult};
use super::AppState;

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
    let me = auth.0.clone();
    let view = s
        .query(|e| e.network(&me, &code, depth, network::MAX_MEMBERS))
        .await?;
    let text = |m: u64| Amount::from_minor(m, view.precision).to_string();
    let members = view
        .members
        .into_iter()
        .map(|m| api::NetworkMember {
            pid: m.pid,
            display_name: m.display_name,
            hops: m.hops,
        })
        .collect();
    let lines = view
        .lines
        .into_iter()
        .map(|l| api::NetworkLine {
            creditor: l.creditor,
            debtor: l.debtor,
            in_debt: l.in_debt,
            limit: l.amounts.map(|(limit, _)| text(limit)),
            used: l.amounts.map(|(_, used)| text(used)),
        })
        .collect();
    Ok(Json(api::Neighbourhood {
        equivalent: code,
        depth,
        members,
        lines,
        truncated: view.truncated,
    }))
}
