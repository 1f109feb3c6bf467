//! The sub-district's side-by-side view (街道汇总, RULES H1 and E6): each community a login may read, its
//! standing against every standard, sorted by gap — the community with the most indicators not met first.
//! The server builds it from its replicas with the same `Replica::self_check` as the phones' pages.

use super::Evaluation;
use super::evaluate::Status;
use crate::date::Date;
use serde::{Deserialize, Serialize};

/// `GET /api/standards/overview?as_of=YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub as_of: Date,
    pub communities: Vec<CommunityStanding>,
}

/// One community's standing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunityStanding {
    pub community: String,
    pub name: String,
    /// The login's own community (the others are read through a grant).
    pub own: bool,
    /// Indicators not met, all standards together: the gap it is sorted by.
    pub not_met: u32,
    pub standards: Vec<StandardStanding>,
}

/// One standard of one community.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandardStanding {
    pub standard: String,
    pub groups_met: u32,
    pub groups: u32,
    pub not_met: u32,
    /// Zhengzhou's recommendation level (`city`, `district`, `sub-district`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

impl CommunityStanding {
    /// The standing of `community` from its evaluations.
    pub fn of(community: &str, name: &str, own: bool, evaluations: &[Evaluation]) -> Self {
        let standards: Vec<StandardStanding> = evaluations
            .iter()
            .map(|e| StandardStanding {
                standard: e.standard.clone(),
                groups_met: e.groups_met() as u32,
                groups: e.groups.len() as u32,
                not_met: e
                    .indicators
                    .iter()
                    .filter(|r| r.status == Status::NotMet)
                    .count() as u32,
                level: e.level().map(str::to_string),
            })
            .collect();
        CommunityStanding {
            community: community.to_string(),
            name: name.to_string(),
            own,
            not_met: standards.iter().map(|s| s.not_met).sum(),
            standards,
        }
    }
}

/// Most indicators not met first; ties by community id, so the order is the same on every call.
pub fn sort_by_gap(list: &mut [CommunityStanding]) {
    list.sort_by(|a, b| {
        b.not_met
            .cmp(&a.not_met)
            .then_with(|| a.community.cmp(&b.community))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Exact;
    use crate::rules::RuleSet;
    use crate::standards::Input;
    use std::collections::HashMap;

    fn six_type(num: i64, den: i64) -> Evaluation {
        let inputs = HashMap::from([(
            "SIX-29".to_string(),
            Input::Share {
                num: Exact::int(num),
                den: Exact::int(den),
            },
        )]);
        let as_of = Date::parse("2026-06-30").unwrap();
        super::super::evaluate(
            "six-type",
            &RuleSet::default(),
            "default",
            2026,
            as_of,
            &inputs,
        )
        .unwrap()
    }

    #[test]
    fn the_community_with_more_rows_not_met_comes_first() {
        // SIX-29 (volunteers ≥ 10% of residents): 18 of 200 is not met; 20 of 200 is met, exactly at the
        // threshold. Every other row has no input: no data, which is never "not met".
        let mut list = vec![
            CommunityStanding::of("c-a", "甲社区", true, &[six_type(20, 200)]),
            CommunityStanding::of("c-b", "乙社区", false, &[six_type(18, 200)]),
            CommunityStanding::of("c-c", "丙社区", false, &[six_type(20, 200)]),
        ];
        assert_eq!(
            list.iter().map(|c| c.not_met).collect::<Vec<_>>(),
            [0, 1, 0]
        );
        sort_by_gap(&mut list);
        assert_eq!(
            list.iter()
                .map(|c| c.community.as_str())
                .collect::<Vec<_>>(),
            ["c-b", "c-a", "c-c"]
        );
        let s = &list[0].standards[0];
        assert_eq!(
            (s.standard.as_str(), s.not_met, s.level.as_deref()),
            ("six-type", 1, None)
        );
        assert!(s.groups > 0 && s.groups_met < s.groups);
        let json = serde_json::to_value(&list[1]).unwrap();
        assert_eq!(
            (json["own"].as_bool(), json["name"].as_str()),
            (Some(true), Some("甲社区"))
        );
    }
}
