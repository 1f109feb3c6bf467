//! What the renovation endpoints show, read from a community's merged state (`Replica`): the households
//! of a compound with their building and unit, the survey window (`is_open`, `is_closed`), the menu,
//! the results, and a resident's own view. Runs on the writer thread inside `Writer::read`.
//!
//! Invariant: nothing built here for a resident holds another household's ballot; residents see only
//! their own ballot and the aggregate tally.

use linli_core::Replica;
use linli_core::renovation::ProjectFields;
use linli_core::renovation::Tally;
use linli_core::renovation::api::{
    CompoundRef, MenuEntry, MyBallot, ResidentHousehold, ResidentProject, ResidentView, Results,
};
use uuid::Uuid;

pub use linli_core::roster::Door;

/// Every household of a compound, ordered by building, unit and door (the core's view).
pub fn doors(r: &Replica, compound_id: Uuid) -> Vec<Door> {
    r.doors(compound_id)
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
    r.ballots(project_id)
        .into_iter()
        .rfind(|b| b.fields.household_id == household_id)
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
    let compound = r.compounds().into_iter().find(|c| c.id == p.compound_id)?;
    let door = doors(r, p.compound_id)
        .into_iter()
        .find(|d| d.household.id == household_id)?;
    let view = ResidentView {
        project: ResidentProject::new(project_id, &p),
        compound: CompoundRef {
            id: compound.id,
            name: compound.fields.name,
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
