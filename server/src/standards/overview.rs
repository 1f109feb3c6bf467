//! `GET /api/standards/overview?as_of=YYYY-MM-DD`: the sub-district's side-by-side view (街道汇总, RULES
//! H1): the login's own community and every community it is granted (`admin grant-community`), each
//! evaluated against all the standards by the core (`Replica::self_check` on this server's replica, the
//! synced records), sorted by gap — the most indicators not met first. Reading only: a grant never lets a
//! login change another community's records (its pushes stay refused, RULES H1).
//!
//! Staff and admins only; `as_of` defaults to today (China time), a malformed one is 400 `invalid_date`.

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::now_ms;
use crate::db;
use crate::http::ApiError;
use crate::http::query::{date_param_or, params};
use axum::Json;
use axum::extract::{RawQuery, State};
use linli_core::date::Date;
use linli_core::standards::Catalogue;
use linli_core::standards::overview::{CommunityStanding, Overview, sort_by_gap};

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Json<Overview>, ApiError> {
    let as_of = date_param_or(
        &params(&q),
        "as_of",
        Date::from_unix_ms_cst(now_ms() as i64),
    )?;
    let username = user.username.clone();
    let granted = state
        .db
        .blocking(move |db| db.read(|c| db::granted_communities(c, &username)))
        .await?;
    let mut places = vec![(user.community.clone(), user.community_name.clone(), true)];
    places.extend(
        granted
            .into_iter()
            .filter(|(c, _)| *c != user.community)
            .map(|(c, name)| (c, name, false)),
    );
    let mut communities = Vec::with_capacity(places.len());
    for (community, name, own) in places {
        let rules = state.rules.clone();
        let c = community.clone();
        let standing = state
            .writer
            .read(community.clone(), move |r| {
                let all: Vec<&str> = Catalogue::get().names().collect();
                let evaluations = r.self_check(&c, &all, &rules, as_of);
                CommunityStanding::of(&c, &name, own, &evaluations)
            })
            .await?;
        communities.push(standing);
    }
    sort_by_gap(&mut communities);
    Ok(Json(Overview { as_of, communities }))
}
