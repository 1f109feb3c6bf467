//! What the renovation endpoints show, read from a community's merged state (`Replica`): the households
//! of a compound with their building and unit, the survey window (`is_open`, `is_closed`), the menu,
//! the results, and a resident's own view. Runs inside `Writer::read`, under the community replica's read
//! lock (that community's pushes wait meanwhile): what concerns one household is looked up by id, never
//! found by walking its compound.
//!
//! Invariant: nothing built here for a resident holds another household's ballot; residents see only
//! their own ballot and the aggregate tally.

use linli_core::renovation::ProjectFields;
use linli_core::renovation::Tally;
use linli_core::renovation::api::{
    CompoundRef, MenuEntry, MyBallot, ResidentHousehold, ResidentProject, ResidentView, Results,
};
use linli_core::roster::CompoundFields;
use linli_core::{EntityKind, Replica};
use uuid::Uuid;

pub use linli_core::roster::Door;

/// Every household of a compound, ordered by building, unit and door (the core's view).
pub fn doors(r: &Replica, compound_id: Uuid) -> Vec<Door> {
    r.doors(compound_id)
}

/// One household with its building and unit, if it lives in `compound_id` (looked up by id).
pub fn door_in(r: &Replica, community: &str, compound_id: Uuid, household: Uuid) -> Option<Door> {
    (r.compound_of_household(community, household) == Some(compound_id))
        .then(|| r.door(community, household))
        .flatten()
}

/// A project's menu, in menu order, with ids.
pub fn menu(r: &Replica, project_id: Uuid) -> Vec<MenuEntry> {
    r.menu(project_id).iter().map(MenuEntry::new).collect()
}

/// The aggregate results: the core's Tally, plus the project and menu to label it. No household data.
pub fn results<P>(tally: &Tally, project: P, menu: Vec<MenuEntry>) -> Results<P> {
    Results::new(tally, project, menu)
}

/// The latest ballot of a household in a project (the one that counts, R4).
fn my_ballot(r: &Replica, project_id: Uuid, household_id: Uuid) -> Option<MyBallot> {
    r.household_ballots(project_id, household_id)
        .pop()
        .map(|b| MyBallot {
            id: b.id,
            agree: b.fields.agree,
            items: b.fields.items,
            cast_at_ms: b.fields.cast_at_ms,
            channel: b.fields.channel,
            received: true,
        })
}

/// What `/api/vote/login` and `/api/vote/me` show (without token and expiry), and the project.
/// `None` if the project, its compound or the household no longer exists.
pub fn resident_view(
    r: &Replica,
    community: &str,
    project_id: Uuid,
    household_id: Uuid,
    now: u64,
) -> Option<(ResidentView, ProjectFields)> {
    let p = r.project(community, project_id)?;
    let compound: CompoundFields = r.get(community, EntityKind::Compound, p.compound_id)?;
    let door = door_in(r, community, p.compound_id, household_id)?;
    let view = ResidentView {
        project: ResidentProject::new(project_id, &p),
        compound: CompoundRef {
            id: p.compound_id,
            name: compound.name,
        },
        household: ResidentHousehold {
            id: household_id,
            building: door.building,
            unit: door.unit,
            door: door.household.fields.door,
            area_m2: door.household.fields.area_m2,
        },
        menu: menu(r, project_id),
        open: p.is_open(now),
        my_ballot: my_ballot(r, project_id, household_id),
    };
    Some((view, p))
}
