//! Renovation survey tally (RULES R4, R5, R9): coverage, agreement by households and area, support per item,
//! and the Civil Code art. 278 double test. The same code runs on the phone and on the server.

use super::words::{Words, pct};
use crate::error::{ErrorCode, Lang, RuleError};
use crate::i18n::fill;
use crate::rules::{Fraction, RenovationRules};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the tally hashes 100,000 short ids per run; the default SipHash costs twice as much in Wasm,
/// and these maps hold no attacker-chosen keys that could matter (a collision only slows one tally).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, Default::default())
}

fn one() -> u32 {
    1
}

/// A household as the tally weighs it: its exclusive floor area and its owners by headcount (R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoterHousehold {
    pub id: String,
    pub area_m2: f64,
    #[serde(default = "one")]
    pub owners: u32,
}

/// When a ballot was cast: milliseconds since the epoch, or an RFC 3339 text in one time zone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CastAt {
    Ms(u64),
    Text(String),
}

/// One household's answer (菜单式改造调查表, R4): agree to renovation or not, and the menu items it wants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    pub household_id: String,
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<String>,
    pub cast_at: CastAt,
}

/// Whether a decision is an ordinary or a special matter under art. 278 (R9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Matter {
    #[default]
    Ordinary,
    Special,
}

/// The input of `renovation.tally`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TallyInput {
    pub households: Vec<VoterHousehold>,
    pub ballots: Vec<Ballot>,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub matter: Matter,
    /// Per-item matter where it differs from `matter` (an item that is a special matter, R9).
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub item_matters: HashMap<String, Matter>,
    /// Items decided by part of the compound (a lift by the households of its unit): the household ids
    /// of the item's electorate. The item's support, coverage and art. 278 test run over them alone.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub item_electorates: HashMap<String, Vec<String>>,
}

/// R5: the share of households that answered, against the rule set's threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub responded: u64,
    pub total: u64,
    pub ratio: f64,
    /// The rule set's minimum (`coverage_min`), e.g. ≥ 2/3.
    pub threshold: Fraction,
    /// Whether `responded / total` meets it.
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Households that agreed, and their share of all households.
    pub households: u64,
    pub households_ratio: f64,
    /// Their floor area, and its share of the compound's area.
    pub area_m2: f64,
    pub area_ratio: f64,
    /// Shares among the households that answered.
    pub households_ratio_of_responded: f64,
    pub area_ratio_of_responded: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSupport {
    pub id: String,
    pub households: u64,
    pub area_m2: f64,
    /// Share of the households that answered (of the item's electorate, where it has one).
    pub ratio_of_responded: f64,
    /// Coverage within the item's electorate, for an item decided by part of the compound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electorate: Option<Coverage>,
    /// The art. 278 test applied to this item, for items that are owners' joint decisions.
    pub art278: Art278,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub area_m2: f64,
    pub area_ratio: f64,
    pub owners: u64,
    pub owners_ratio: f64,
    pub threshold: String,
    pub meets: bool,
}

/// The double test of Civil Code art. 278 (R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Art278 {
    pub matter: Matter,
    /// Owners who took part, against all owners (area and headcount).
    pub participation: Share,
    /// Owners who consented, against those who took part.
    pub consent: Share,
    pub passed: bool,
    pub explanation_zh: String,
    pub explanation_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub coverage: Coverage,
    pub agreement: Agreement,
    pub items: Vec<ItemSupport>,
    pub art278: Art278,
    /// Ballots ignored because their household is not on the roster.
    pub unknown_ballots: u64,
    /// Households whose counted ballot is a later one that replaced an earlier answer (R4).
    pub changed_answers: u64,
}

impl Coverage {
    /// R5: `responded` of `total` households against the rule set's `coverage_min`.
    fn of(responded: u128, total: u128, rules: &RenovationRules) -> Coverage {
        Coverage {
            responded: responded as u64,
            total: total as u64,
            ratio: ratio(responded, total),
            threshold: rules.coverage_min,
            met: rules.coverage_min.met_by(responded, total),
        }
    }
}

/// The error for an answer that disagrees with renovation and still chooses items (R4).
pub fn disagree_with_items(field: String) -> RuleError {
    RuleError::field(ErrorCode::ItemsWithoutAgreement, field)
}

/// Households counted with their area (hundredths of m²) and owners: the weights of R5 and R9.
#[derive(Clone, Copy, Default)]
struct Weight {
    households: u128,
    area: u128,
    owners: u128,
}

impl Weight {
    fn add(&mut self, area: u128, owners: u128) {
        self.households += 1;
        self.area += area;
        self.owners += owners;
    }

    /// (area, owners), as the art. 278 test takes them.
    fn weights(self) -> (u128, u128) {
        (self.area, self.owners)
    }
}

/// Area in hundredths of a square metre, so sums and thresholds are exact.
fn centi(area: f64) -> u128 {
    (area * 100.0).round() as u128
}

fn m2(centi: u128) -> f64 {
    centi as f64 / 100.0
}

fn ratio(part: u128, whole: u128) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Orders ballots of one household: the latest cast wins (R4); equal times fall back to the content, so the
/// result never depends on the order ballots arrive in.
fn ballot_order(a: &Ballot, b: &Ballot) -> Ordering {
    a.cast_at
        .cmp(&b.cast_at)
        .then_with(|| a.agree.cmp(&b.agree))
        .then_with(|| {
            let (mut x, mut y) = (a.items.clone(), b.items.clone());
            x.sort();
            y.sort();
            x.cmp(&y)
        })
}

fn art278(
    rules: &RenovationRules,
    matter: Matter,
    (part_area, part_owners): (u128, u128),
    (yes_area, yes_owners): (u128, u128),
    (total_area, total_owners): (u128, u128),
) -> Art278 {
    let p = rules.art278_participation_min;
    let c: Fraction = match matter {
        Matter::Special => rules.art278_special_consent,
        Matter::Ordinary => rules.art278_ordinary_consent,
    };
    let part_area_ok = p.met_by(part_area, total_area);
    let part_owners_ok = p.met_by(part_owners, total_owners);
    let yes_area_ok = c.met_by(yes_area, part_area);
    let yes_owners_ok = c.met_by(yes_owners, part_owners);
    let participation = Share {
        area_m2: m2(part_area),
        area_ratio: ratio(part_area, total_area),
        owners: part_owners as u64,
        owners_ratio: ratio(part_owners, total_owners),
        threshold: p.label(),
        meets: part_area_ok && part_owners_ok,
    };
    let consent = Share {
        area_m2: m2(yes_area),
        area_ratio: ratio(yes_area, part_area),
        owners: yes_owners as u64,
        owners_ratio: ratio(yes_owners, part_owners),
        threshold: c.label(),
        meets: yes_area_ok && yes_owners_ok,
    };
    let passed = participation.meets && consent.meets;
    let mut fails = Vec::new();
    if !part_area_ok {
        fails.push((Words::FailAreaTookPart, p));
    }
    if !part_owners_ok {
        fails.push((Words::FailOwnersTookPart, p));
    }
    if participation.meets {
        if !yes_area_ok {
            fails.push((Words::FailAreaConsent, c));
        }
        if !yes_owners_ok {
            fails.push((Words::FailOwnersConsent, c));
        }
    }
    let explain = |lang: Lang| {
        let result = if passed {
            Words::Art278Passed.text(lang).to_string()
        } else {
            let list: Vec<String> = fails
                .iter()
                .map(|(w, f)| fill(w.text(lang), &[&crate::i18n::fraction_words(*f, lang)]))
                .collect();
            fill(
                Words::Art278NotPassed.text(lang),
                &[&list.join(Words::Art278ListSeparator.text(lang))],
            )
        };
        fill(
            Words::Art278Explanation.text(lang),
            &[
                matter.words().text(lang),
                &pct(participation.area_ratio),
                &pct(participation.owners_ratio),
                &p.label(),
                &pct(consent.area_ratio),
                &pct(consent.owners_ratio),
                &c.label(),
                &result,
            ],
        )
    };
    let (explanation_zh, explanation_en) = (explain(Lang::Zh), explain(Lang::En));
    Art278 {
        matter,
        participation,
        consent,
        passed,
        explanation_zh,
        explanation_en,
    }
}

impl TallyInput {
    /// Checks the roster part of the input, naming the field at fault.
    pub fn check(&self) -> Result<(), RuleError> {
        self.household_index()?;
        self.check_ballots()
    }

    /// A household that does not agree to renovation chooses no items (R4).
    fn check_ballots(&self) -> Result<(), RuleError> {
        match self
            .ballots
            .iter()
            .position(|b| !b.agree && !b.items.is_empty())
        {
            Some(i) => Err(disagree_with_items(format!("ballots[{i}].items"))),
            None => Ok(()),
        }
    }

    /// Households by id, checking each one on the way.
    fn household_index(&self) -> Result<FastMap<&str, usize>, RuleError> {
        let mut seen = fast_map(self.households.len());
        for (i, h) in self.households.iter().enumerate() {
            if h.id.is_empty() {
                return Err(RuleError::field(
                    ErrorCode::Required,
                    format!("households[{i}].id"),
                ));
            }
            if !h.area_m2.is_finite() || h.area_m2 < 0.0 || h.area_m2 > 1.0e7 {
                return Err(RuleError::field(
                    ErrorCode::OutOfRange,
                    format!("households[{i}].area_m2"),
                )
                .with_detail("0–10,000,000 m²"));
            }
            if h.owners == 0 {
                return Err(RuleError::field(
                    ErrorCode::OutOfRange,
                    format!("households[{i}].owners"),
                )
                .with_detail("≥ 1"));
            }
            if seen.insert(h.id.as_str(), i).is_some() {
                return Err(RuleError::field(
                    ErrorCode::InvalidRequest,
                    format!("households[{i}].id"),
                )
                .with_detail("duplicate household id"));
            }
        }
        Ok(seen)
    }

    /// One item's support, coverage and art. 278 test over its electorate (households of a building or
    /// unit): only their answers count, against only their area and owners.
    fn item_over_electorate(
        &self,
        rules: &RenovationRules,
        id: &str,
        matter: Matter,
        members: &[String],
        index: &FastMap<&str, usize>,
        last: &[Option<&Ballot>],
    ) -> ItemSupport {
        let (mut all, mut resp, mut yes) =
            (Weight::default(), Weight::default(), Weight::default());
        let mut seen = vec![false; self.households.len()];
        for m in members {
            let Some(&i) = index.get(m.as_str()) else {
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let h = &self.households[i];
            let (area, owners) = (centi(h.area_m2), h.owners as u128);
            all.add(area, owners);
            let Some(b) = last[i] else { continue };
            resp.add(area, owners);
            if b.items.iter().any(|x| x == id) {
                yes.add(area, owners);
            }
        }
        ItemSupport {
            id: id.to_string(),
            households: yes.households as u64,
            area_m2: m2(yes.area),
            ratio_of_responded: ratio(yes.households, resp.households),
            electorate: Some(Coverage::of(resp.households, all.households, rules)),
            art278: art278(rules, matter, resp.weights(), yes.weights(), all.weights()),
        }
    }

    /// Tallies the ballots: only each household's last ballot counts (R4).
    pub fn tally(&self, rules: &RenovationRules) -> Result<Tally, RuleError> {
        let index = self.household_index()?;
        self.check_ballots()?;
        let mut last: Vec<Option<&Ballot>> = vec![None; self.households.len()];
        let mut ballots_per: Vec<u32> = vec![0; self.households.len()];
        let mut unknown = 0;
        for b in &self.ballots {
            let Some(&i) = index.get(b.household_id.as_str()) else {
                unknown += 1;
                continue;
            };
            ballots_per[i] += 1;
            match last[i] {
                Some(prev) if ballot_order(prev, b) != Ordering::Less => {}
                _ => last[i] = Some(b),
            }
        }
        let item_index: FastMap<&str, usize> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut item_hh = vec![0u128; self.items.len()];
        let mut item_area = vec![0u128; self.items.len()];
        let mut item_owners = vec![0u128; self.items.len()];
        let (mut all, mut resp, mut yes) =
            (Weight::default(), Weight::default(), Weight::default());
        let mut changed = 0;
        let mut chosen = vec![false; self.items.len()];
        for (i, h) in self.households.iter().enumerate() {
            let (area, owners) = (centi(h.area_m2), h.owners as u128);
            all.add(area, owners);
            let Some(b) = last[i] else { continue };
            resp.add(area, owners);
            changed += (ballots_per[i] > 1) as u64;
            if b.agree {
                yes.add(area, owners);
            }
            chosen.iter_mut().for_each(|c| *c = false);
            for item in &b.items {
                if let Some(&k) = item_index.get(item.as_str()) {
                    chosen[k] = true;
                }
            }
            for (k, c) in chosen.iter().enumerate() {
                if *c {
                    item_hh[k] += 1;
                    item_area[k] += area;
                    item_owners[k] += owners;
                }
            }
        }
        let total = self.households.len() as u128;
        let coverage = Coverage::of(resp.households, total, rules);
        let agreement = Agreement {
            households: yes.households as u64,
            households_ratio: ratio(yes.households, total),
            area_m2: m2(yes.area),
            area_ratio: ratio(yes.area, all.area),
            households_ratio_of_responded: ratio(yes.households, resp.households),
            area_ratio_of_responded: ratio(yes.area, resp.area),
        };
        let totals = all.weights();
        let participation = resp.weights();
        let items = self
            .items
            .iter()
            .enumerate()
            .map(|(k, id)| {
                let matter = self.item_matters.get(id).copied().unwrap_or(self.matter);
                match self.item_electorates.get(id) {
                    None => ItemSupport {
                        id: id.clone(),
                        households: item_hh[k] as u64,
                        area_m2: m2(item_area[k]),
                        ratio_of_responded: ratio(item_hh[k], resp.households),
                        electorate: None,
                        art278: art278(
                            rules,
                            matter,
                            participation,
                            (item_area[k], item_owners[k]),
                            totals,
                        ),
                    },
                    Some(members) => {
                        self.item_over_electorate(rules, id, matter, members, &index, &last)
                    }
                }
            })
            .collect();
        Ok(Tally {
            coverage,
            agreement,
            items,
            art278: art278(rules, self.matter, participation, yes.weights(), totals),
            unknown_ballots: unknown,
            changed_answers: changed,
        })
    }
}
