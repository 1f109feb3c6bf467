//! What a volunteer's own login receives when it pulls (RULES §3: 志愿者只看自己的记录).
//!
//! A volunteer's phone holds the community's teams and activities (to sign up), every sign-up (ids only, so
//! its place on a waiting list is computed like the staff's), and of everything else only what is theirs:
//! their registration and status, their check-ins, service entries and the reviews of those entries, and
//! their pairs. Nothing of the roster, the votes or the surveys, and no other volunteer's record.

use crate::registry::Body;
use crate::sync::{EntityKind, EntityRef, Operation, Replica};
use uuid::Uuid;

/// Whether volunteer `me` may receive `op`. `replica` is the community's state (the server's), used to
/// find whose entry a review is about, and whose record a deletion removes.
pub fn visible_to_volunteer(me: Uuid, op: &Operation, replica: &Replica) -> bool {
    let owner_of = |kind: EntityKind, id: Uuid| {
        replica
            .record(&op.community, EntityRef { kind, id })
            .and_then(|r| r.str_field("volunteer_id"))
            .and_then(|s| Uuid::parse_str(s).ok())
    };
    match &op.body {
        Body::TeamPut(_) | Body::ActivityPut(_) | Body::SignUpAdd(_) => true,
        Body::VolunteerPut(_) | Body::VolunteerStatus(_) => op.entity.id == me,
        Body::AttendanceAdd(a) => a.volunteer_id == me,
        Body::ServiceEntryAdd(e) => e.volunteer_id == me,
        Body::PairPut(p) => p.volunteer_id == me,
        Body::EntryReviewAdd(r) => owner_of(EntityKind::ServiceEntry, r.entry_id) == Some(me),
        Body::Delete => match op.entity.kind {
            EntityKind::Team | EntityKind::Activity => true,
            EntityKind::Volunteer => op.entity.id == me,
            EntityKind::Pair => owner_of(EntityKind::Pair, op.entity.id) == Some(me),
            _ => false,
        },
        _ => false,
    }
}

/// The `author` of the operations a volunteer's own phone makes (`volunteer:<id>`). Staff usernames
/// cannot contain `:` (`admin create-user` refuses them), so it never names an account.
pub fn volunteer_author(volunteer_id: Uuid) -> String {
    format!("volunteer:{volunteer_id}")
}

/// The volunteer whose own phone made an operation of `author`, if it was one.
pub fn volunteer_of_author(author: &str) -> Option<Uuid> {
    author
        .strip_prefix("volunteer:")
        .and_then(|s| Uuid::parse_str(s).ok())
}
