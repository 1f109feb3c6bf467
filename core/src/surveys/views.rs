//! Views of the merged surveys state (`impl Replica`): form versions, assignments, a household's visits,
//! responses and status, the revisit list, coverage (S4), due lists (S1, S2), satisfaction (S5), the
//! service ledger (S1), and "collect once" prefill and conflicts (S6). Built on `children`, `get` and
//! `root_records`; every order is by stamp or name, never by merge order.

use super::coverage::{Coverage, CoverageHousehold, coverage};
use super::due::{
    NeedsDue, NeedsPerson, SatisfactionRate, VisitedPerson, VisitsDue, needs_due,
    satisfaction_rates, visits_due,
};
use super::forms::{Bind, Form, Purpose};
use super::ledger::{
    BoundAnswer, Conflict, LedgerEntry, LedgerItem, StatusEvent, conflicts, order_ledger, status_of,
};
use super::records::*;
use crate::date::Date;
use crate::roster::{Door, KeyGroup};
use crate::rules::SurveyRules;
use crate::sync::{EntityKind, Replica, Stamp};
use crate::volunteers::EntryStatus;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A published form version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormVersion {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: FormVersionFields,
    #[serde(skip)]
    pub stamp: Stamp,
}

/// A visit with its stamp.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitView {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: VisitFields,
    #[serde(skip)]
    pub stamp: Stamp,
}

/// A response with what the merged state says of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseView {
    pub id: Uuid,
    pub fields: SurveyResponseFields,
    /// The latest review (by stamp), if any.
    pub review: Option<ResponseReviewFields>,
    /// The responses that fix this one.
    pub fixed_by: Vec<Uuid>,
    #[serde(skip)]
    pub stamp: Stamp,
}

impl ResponseView {
    /// Whether it counts in figures and due lists: not rejected, not replaced by a fix.
    pub fn counts(&self) -> bool {
        self.fixed_by.is_empty()
            && self
                .review
                .as_ref()
                .is_none_or(|r| r.verdict != Verdict::Rejected)
    }
}

impl Replica {
    /// The community's form versions, by form, version number, then stamp.
    pub fn form_versions(&self, community: &str) -> Vec<FormVersion> {
        let mut v: Vec<FormVersion> = self
            .root_records(community, EntityKind::FormVersion)
            .filter_map(|(id, r)| {
                Some(FormVersion {
                    id,
                    fields: r.get()?,
                    stamp: r.written()?,
                })
            })
            .collect();
        v.sort_by_key(|f| (f.fields.form_id, f.fields.version, f.stamp));
        v
    }

    /// One version record.
    pub fn form_version(&self, community: &str, id: Uuid) -> Option<FormVersionFields> {
        self.get(community, EntityKind::FormVersion, id)
    }

    /// The newest version of a form (the one a new response starts under).
    pub fn latest_form_version(&self, community: &str, form_id: Uuid) -> Option<FormVersion> {
        self.form_versions(community)
            .into_iter()
            .rfind(|f| f.fields.form_id == form_id)
    }

    /// The collectors a building is assigned to.
    pub fn survey_assignments(&self, building_id: Uuid) -> Vec<(Uuid, SurveyAssignmentFields)> {
        let mut v: Vec<_> = self
            .children(EntityKind::SurveyAssignment, building_id)
            .collect();
        v.sort_by(|a: &(Uuid, SurveyAssignmentFields), b| {
            (&a.1.collector, a.0).cmp(&(&b.1.collector, b.0))
        });
        v
    }

    /// Every household of the community with its building and unit, compound by compound.
    pub fn community_doors(&self, community: &str) -> Vec<Door> {
        let mut compounds: Vec<(Uuid, String)> = self
            .root_records(community, EntityKind::Compound)
            .filter_map(|(id, r)| Some((id, r.str_field("name")?.to_string())))
            .collect();
        compounds.sort_by(|a, b| crate::roster::natural_cmp(&a.1, &b.1).then(a.0.cmp(&b.0)));
        compounds
            .into_iter()
            .flat_map(|(id, _)| self.doors(id))
            .collect()
    }

    /// The doors of the buildings assigned to `collector`: their phone's list, building → unit → door.
    pub fn collector_doors(&self, community: &str, collector: &str) -> Vec<Door> {
        self.community_doors(community)
            .into_iter()
            .filter(|d| {
                self.survey_assignments(d.building_id)
                    .iter()
                    .any(|(_, a)| a.collector == collector)
            })
            .collect()
    }

    /// A household's visits, by date then stamp.
    pub fn household_visits(&self, household: Uuid) -> Vec<VisitView> {
        let mut v: Vec<VisitView> = self
            .child_records(EntityKind::Visit, household)
            .filter_map(|(id, r)| {
                Some(VisitView {
                    id,
                    fields: r.get()?,
                    stamp: r.written()?,
                })
            })
            .collect();
        v.sort_by_key(|x| (x.fields.date, x.stamp));
        v
    }

    /// A household's responses in the order they were made (stamp), each with its latest review and the
    /// responses that fix it.
    pub fn household_responses(&self, household: Uuid) -> Vec<ResponseView> {
        let mut v: Vec<ResponseView> = self
            .child_records(EntityKind::SurveyResponse, household)
            .filter_map(|(id, r)| {
                let review = self
                    .child_records(EntityKind::ResponseReview, id)
                    .filter_map(|(_, rr)| Some((rr.written()?, rr.get::<ResponseReviewFields>()?)))
                    .max_by_key(|(s, _)| *s)
                    .map(|(_, f)| f);
                Some(ResponseView {
                    id,
                    fields: r.get()?,
                    review,
                    fixed_by: vec![],
                    stamp: r.written()?,
                })
            })
            .collect();
        v.sort_by_key(|x| x.stamp);
        let fixes: Vec<(Uuid, Uuid)> = v
            .iter()
            .filter_map(|r| Some((r.fields.fixes?, r.id)))
            .collect();
        for (target, by) in fixes {
            if let Some(t) = v.iter_mut().find(|r| r.id == target) {
                t.fixed_by.push(by);
            }
        }
        v
    }

    /// One response.
    pub fn survey_response(&self, community: &str, id: Uuid) -> Option<SurveyResponseFields> {
        self.get(community, EntityKind::SurveyResponse, id)
    }

    /// S4: the household's status — its latest visit or (not rejected) response by date and stamp, on or
    /// after `since` (a survey round's start) when given.
    pub fn household_survey_status(&self, household: Uuid, since: Option<Date>) -> HouseholdStatus {
        let mut events: Vec<StatusEvent> = self
            .household_visits(household)
            .into_iter()
            .map(|v| StatusEvent {
                date: v.fields.date,
                stamp: v.stamp,
                status: v.fields.status,
            })
            .collect();
        events.extend(
            self.household_responses(household)
                .into_iter()
                .filter(|r| {
                    r.review
                        .as_ref()
                        .is_none_or(|x| x.verdict != Verdict::Rejected)
                })
                .map(|r| StatusEvent {
                    date: r.fields.date(),
                    stamp: r.stamp,
                    status: HouseholdStatus::Answered,
                }),
        );
        status_of(&events, since)
    }

    /// S4: the doors of a compound whose status is "not at home", to visit again.
    pub fn revisit_list(&self, compound: Uuid, since: Option<Date>) -> Vec<Door> {
        self.doors(compound)
            .into_iter()
            .filter(|d| {
                self.household_survey_status(d.household.id, since) == HouseholdStatus::NotHome
            })
            .collect()
    }

    /// S4: coverage of a compound by building (natural order) and in total — `survey.coverage` on the
    /// merged state.
    pub fn survey_coverage(&self, compound: Uuid, since: Option<Date>) -> Coverage {
        let rows: Vec<CoverageHousehold> = self
            .doors(compound)
            .into_iter()
            .map(|d| CoverageHousehold {
                id: d.household.id.to_string(),
                status: self.household_survey_status(d.household.id, since),
                building: d.building,
            })
            .collect();
        coverage(&rows)
    }

    /// The purpose of the version a response answered.
    fn purpose_of(&self, community: &str, r: &SurveyResponseFields) -> Option<Purpose> {
        Some(self.form_version(community, r.form_version_id)?.purpose)
    }

    /// S1: the community's key-group persons (H4: any key group) whose last needs survey is due as of
    /// `as_of` (see `due.rs`), never surveyed included; door order. A needs response naming a person
    /// surveys that person; one naming no person surveys everyone of the household. Rejected or fixed
    /// responses do not count (their fix does).
    pub fn needs_survey_due(&self, community: &str, as_of: Date, r: &SurveyRules) -> Vec<NeedsDue> {
        let mut people = Vec::new();
        for d in self.community_doors(community) {
            let needs: Vec<ResponseView> = self
                .household_responses(d.household.id)
                .into_iter()
                .filter(|x| {
                    x.counts() && self.purpose_of(community, &x.fields) == Some(Purpose::Needs)
                })
                .collect();
            for p in self.persons(d.household.id) {
                if p.fields.key_groups.is_empty() {
                    continue;
                }
                let last = needs
                    .iter()
                    .filter(|x| x.fields.person_id.is_none_or(|q| q == p.id))
                    .map(|x| x.fields.date())
                    .filter(|x| *x <= as_of)
                    .max();
                people.push(NeedsPerson {
                    person_id: p.id,
                    last_survey: last,
                });
            }
        }
        needs_due(&people, as_of, r)
    }

    /// S2: persons 65+ with a helper device short of the year's visits as of `as_of` (visits that found
    /// someone, and responses, one per date; see `due.rs`); door order.
    pub fn helper_visits_due(
        &self,
        community: &str,
        as_of: Date,
        r: &SurveyRules,
    ) -> Vec<VisitsDue> {
        let mut people = Vec::new();
        for d in self.community_doors(community) {
            let h = d.household.id;
            let persons: Vec<_> = self
                .persons(h)
                .into_iter()
                .filter(|p| p.fields.key_groups.contains(&KeyGroup::HelperDevice65Plus))
                .collect();
            if persons.is_empty() {
                continue;
            }
            let visits: Vec<Date> = self
                .household_visits(h)
                .into_iter()
                .filter(|v| v.fields.status == HouseholdStatus::Answered)
                .map(|v| v.fields.date)
                .collect();
            let responses = self.household_responses(h);
            for p in persons {
                let mut dates = visits.clone();
                dates.extend(
                    responses
                        .iter()
                        .filter(|x| x.fields.person_id.is_none_or(|q| q == p.id))
                        .map(|x| x.fields.date()),
                );
                people.push(VisitedPerson {
                    person_id: p.id,
                    visit_dates: dates,
                });
            }
        }
        visits_due(&people, as_of, r)
    }

    /// S5: satisfaction rates of the community's satisfaction responses submitted from `from` to `to`
    /// (China-time dates, inclusive) that count.
    pub fn satisfaction(
        &self,
        community: &str,
        from: Date,
        to: Date,
        r: &SurveyRules,
    ) -> Vec<SatisfactionRate> {
        let mut forms: BTreeMap<Uuid, Form> = BTreeMap::new();
        let mut answers: Vec<(Uuid, BTreeMap<String, Value>)> = Vec::new();
        for d in self.community_doors(community) {
            for x in self.household_responses(d.household.id) {
                let date = x.fields.date();
                if !x.counts() || date < from || date > to {
                    continue;
                }
                let Some(v) = self.form_version(community, x.fields.form_version_id) else {
                    continue;
                };
                if v.purpose != Purpose::Satisfaction {
                    continue;
                }
                forms
                    .entry(x.fields.form_version_id)
                    .or_insert_with(|| v.form());
                answers.push((x.fields.form_version_id, x.fields.answers));
            }
        }
        let input: Vec<_> = answers.iter().map(|(f, a)| (&forms[f], a)).collect();
        satisfaction_rates(&input, r)
    }

    /// The volunteers' confirmed service entries that count, for pairs (V5) with the given persons.
    fn pair_services(&self, community: &str, persons: &BTreeSet<Uuid>) -> Vec<LedgerEntry> {
        let mut out = Vec::new();
        for v in self.volunteers(community) {
            let pairs: BTreeMap<Uuid, Uuid> = self
                .pairs(v.id)
                .into_iter()
                .filter(|(_, p)| persons.contains(&p.person_id))
                .map(|(id, p)| (id, p.person_id))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            for e in self.volunteer_entries(community, v.id) {
                let Some(pair) = e.fields.pair_id.filter(|p| pairs.contains_key(p)) else {
                    continue;
                };
                if !e.counts || e.status != EntryStatus::Confirmed {
                    continue;
                }
                out.push(LedgerEntry {
                    date: e.fields.date,
                    id: e.id,
                    stamp: e.stamp,
                    item: LedgerItem::Service {
                        volunteer_id: v.id,
                        pair_id: pair,
                        person_id: pairs[&pair],
                        minutes: e.fields.minutes,
                        content: e.fields.content.clone(),
                    },
                });
            }
        }
        out
    }

    fn ledger_of(
        &self,
        community: &str,
        household: Uuid,
        person: Option<Uuid>,
    ) -> Vec<LedgerEntry> {
        let mut out = Vec::new();
        for x in self.household_responses(household) {
            if person.is_some() && x.fields.person_id.is_some_and(|p| Some(p) != person) {
                continue;
            }
            let v = self.form_version(community, x.fields.form_version_id);
            out.push(LedgerEntry {
                date: x.fields.date(),
                id: x.id,
                stamp: x.stamp,
                item: LedgerItem::Response {
                    form_id: x.fields.form_id,
                    form_version: x.fields.form_version,
                    title_zh: v.as_ref().map(|v| v.title_zh.clone()).unwrap_or_default(),
                    title_en: v.as_ref().map(|v| v.title_en.clone()).unwrap_or_default(),
                    person_id: x.fields.person_id,
                    collector: x.fields.collector.clone(),
                    verdict: x.review.as_ref().map(|r| r.verdict),
                    fixes: x.fields.fixes,
                },
            });
        }
        for v in self.household_visits(household) {
            out.push(LedgerEntry {
                date: v.fields.date,
                id: v.id,
                stamp: v.stamp,
                item: LedgerItem::Visit {
                    status: v.fields.status,
                    collector: v.fields.collector,
                    note: v.fields.note,
                },
            });
        }
        let persons: BTreeSet<Uuid> = match person {
            Some(p) => [p].into(),
            None => self.persons(household).into_iter().map(|p| p.id).collect(),
        };
        out.extend(self.pair_services(community, &persons));
        order_ledger(out)
    }

    /// S1: a household's service ledger (服务台账): every response, visit, and volunteers' confirmed
    /// pair service (V5) with its persons, by date then stamp.
    pub fn household_ledger(&self, community: &str, household: Uuid) -> Vec<LedgerEntry> {
        self.ledger_of(community, household, None)
    }

    /// S1: a person's ledger: the responses about them or their whole household, their household's
    /// visits, and the confirmed services of their pairs.
    pub fn person_ledger(&self, community: &str, person: Uuid) -> Vec<LedgerEntry> {
        match self.person(community, person) {
            Some(p) => self.ledger_of(community, p.fields.household_id, Some(person)),
            None => vec![],
        }
    }

    fn bound_answers(&self, community: &str, household: Uuid) -> Vec<BoundAnswer> {
        let mut out = Vec::new();
        for x in self.household_responses(household) {
            if !x.counts() {
                continue;
            }
            let Some(v) = self.form_version(community, x.fields.form_version_id) else {
                continue;
            };
            for q in &v.questions {
                let (Some(bind), Some(value)) = (q.binds, x.fields.answers.get(&q.id)) else {
                    continue;
                };
                if !super::conditions::is_answered(Some(value)) {
                    continue;
                }
                out.push(BoundAnswer {
                    response_id: x.id,
                    person_id: if bind.is_person() {
                        x.fields.person_id
                    } else {
                        None
                    },
                    bind,
                    value: value.clone(),
                    seen: x.fields.seen.clone(),
                    stamp: x.stamp,
                });
            }
        }
        out
    }

    /// The roster register a bound field fills, with its value and stamp.
    fn roster_register(
        &self,
        community: &str,
        household: Uuid,
        bind: Bind,
        person: Option<Uuid>,
    ) -> Option<(Value, Stamp)> {
        let field = bind.roster_field()?;
        let rec = if bind.is_person() {
            self.live(community, EntityKind::Person, person?)?
        } else {
            self.live(community, EntityKind::Household, household)?
        };
        let reg = rec.fields.get(field)?;
        Some((reg.value.clone(), reg.at))
    }

    /// S6 "collect once": the values to show for confirmation in a new form about `household` (and
    /// `person`), per bound field — the latest by stamp of the roster's field and the answers of the
    /// responses that count.
    pub fn bound_values(
        &self,
        community: &str,
        household: Uuid,
        person: Option<Uuid>,
    ) -> BTreeMap<Bind, Value> {
        let mut latest: BTreeMap<Bind, (Stamp, Value)> = BTreeMap::new();
        let mut offer = |bind: Bind, stamp: Stamp, value: Value| {
            if latest.get(&bind).is_none_or(|(s, _)| *s < stamp) {
                latest.insert(bind, (stamp, value));
            }
        };
        for a in self.bound_answers(community, household) {
            if a.bind.is_person() && a.person_id != person {
                continue;
            }
            offer(a.bind, a.stamp, a.value);
        }
        for bind in [
            Bind::HouseholdAreaM2,
            Bind::HouseholdOwners,
            Bind::PersonName,
            Bind::PersonSex,
            Bind::PersonBirthYear,
            Bind::PersonPhone,
            Bind::PersonKeyGroups,
        ] {
            if let Some((value, stamp)) = self.roster_register(community, household, bind, person)
                && !value.is_null()
            {
                offer(bind, stamp, value);
            }
        }
        latest.into_iter().map(|(b, (_, v))| (b, v)).collect()
    }

    /// S6: the household's and its persons' fields that two collections changed differently without
    /// seeing each other, with both values, for staff to settle field by field (see `ledger.rs`).
    pub fn survey_conflicts(&self, community: &str, household: Uuid) -> Vec<Conflict> {
        let answers = self.bound_answers(community, household);
        conflicts(&answers, &|bind, person| {
            self.roster_register(community, household, bind, person)
                .map(|(_, s)| s)
        })
    }
}
