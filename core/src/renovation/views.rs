//! Views of the merged renovation data (queries over the replica): projects, menus, ballots, the tally.

use super::*;
use crate::hlc::Hlc;
use crate::roster::natural_cmp;
use crate::rules::RuleSet;
use crate::sync::EntityKind;
use serde::Serialize;

/// A renovation project (RULES §2).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Project {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: ProjectFields,
}

/// An item of a project's menu (R2).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MenuItem {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: MenuItemFields,
}

/// A ballot as stored, with the device that recorded it and when (R4: the history is kept).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BallotRecord {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: BallotFields,
    pub author: Uuid,
    pub recorded: Hlc,
}

impl Replica {
    pub fn project(&self, community: &str, id: Uuid) -> Option<ProjectFields> {
        self.get(community, EntityKind::Project, id)
    }

    /// Renovation projects of a compound, the latest survey first.
    pub fn projects(&self, compound_id: Uuid) -> Vec<Project> {
        let mut v: Vec<Project> = self
            .children(EntityKind::Project, compound_id)
            .map(|(id, fields)| Project { id, fields })
            .collect();
        v.sort_by(|a, b| {
            b.fields
                .survey_opens
                .cmp(&a.fields.survey_opens)
                .then_with(|| natural_cmp(&a.fields.name, &b.fields.name))
        });
        v
    }

    /// A project's menu, in menu order (R2).
    pub fn menu(&self, project_id: Uuid) -> Vec<MenuItem> {
        let mut v: Vec<MenuItem> = self
            .children(EntityKind::MenuItem, project_id)
            .map(|(id, fields)| MenuItem { id, fields })
            .collect();
        v.sort_by(|a, b| {
            (a.fields.class, a.fields.position)
                .cmp(&(b.fields.class, b.fields.position))
                .then_with(|| natural_cmp(&a.fields.name, &b.fields.name))
        });
        v
    }

    /// Every ballot of a project, the history included (R4: all are kept, the latest counts).
    pub fn ballots(&self, project_id: Uuid) -> Vec<BallotRecord> {
        self.ballots_where(project_id, |_| true)
    }

    /// The ballots of one household in a project, the history included, in the order of
    /// [`Replica::ballots`]; the others are passed over without being decoded.
    pub fn household_ballots(&self, project_id: Uuid, household_id: Uuid) -> Vec<BallotRecord> {
        let household = household_id.to_string();
        self.ballots_where(project_id, |r| {
            r.str_field("household_id") == Some(household.as_str())
        })
    }

    fn ballots_where(
        &self,
        project_id: Uuid,
        keep: impl Fn(&crate::sync::Record) -> bool,
    ) -> Vec<BallotRecord> {
        let mut v: Vec<BallotRecord> = self
            .child_records(EntityKind::Ballot, project_id)
            .filter(|(_, r)| keep(r))
            .filter_map(|(id, r)| {
                Some((id, r.get::<BallotFields>()?, r.fields.values().next()?.at))
            })
            .map(|(id, fields, at)| BallotRecord {
                id,
                fields,
                author: at.device,
                recorded: at.hlc,
            })
            .collect();
        v.sort_by_key(|b| (b.fields.cast_at_ms, b.id));
        v
    }

    /// The households of a building's or unit's electorate (none for the whole compound: the tally
    /// takes the compound's households for those).
    pub fn electorate_households(&self, electorate: Electorate) -> impl Iterator<Item = Uuid> + '_ {
        let units: Vec<Uuid> = match electorate {
            Electorate::Compound => vec![],
            Electorate::Building { id } => self.units(id).into_iter().map(|u| u.id).collect(),
            Electorate::Unit { id } => vec![id],
        };
        units
            .into_iter()
            .flat_map(|u| self.households(u).into_iter().map(|h| h.id))
    }

    /// The tally of a project (R4, R5, R9), from the same code as `renovation.tally`.
    pub fn tally(&self, community: &str, project_id: Uuid, rules: &RuleSet) -> Option<Tally> {
        let project = self.project(community, project_id)?;
        let menu = self.menu(project_id);
        let input = TallyInput {
            households: self
                .compound_households(community, project.compound_id)
                .into_iter()
                .map(|h| VoterHousehold {
                    id: h.id.to_string(),
                    area_m2: h.fields.area_m2,
                    owners: h.fields.owners,
                })
                .collect(),
            ballots: self
                .ballots(project_id)
                .into_iter()
                .map(|b| Ballot {
                    household_id: b.fields.household_id.to_string(),
                    agree: b.fields.agree,
                    items: b.fields.items.iter().map(Uuid::to_string).collect(),
                    cast_at: CastAt::Ms(b.fields.cast_at_ms),
                })
                .collect(),
            items: menu.iter().map(|m| m.id.to_string()).collect(),
            matter: Default::default(),
            item_matters: menu
                .iter()
                .map(|m| (m.id.to_string(), m.fields.matter))
                .collect(),
            item_electorates: menu
                .iter()
                .filter(|m| !m.fields.electorate.is_compound())
                .map(|m| {
                    (
                        m.id.to_string(),
                        self.electorate_households(m.fields.electorate)
                            .map(|h| h.to_string())
                            .collect(),
                    )
                })
                .collect(),
        };
        input.tally(&rules.renovation).ok()
    }
}
