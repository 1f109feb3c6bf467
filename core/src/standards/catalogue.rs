//! The catalogue (指标目录): every indicator of STANDARDS.md §1 as data, `core/data/standards/*.json`,
//! embedded, parsed once and validated (RULES E7; ids unchanged).
//!
//! The files are generated from STANDARDS.md by `core/data/standards/generate.py` (by hand, never by the
//! build) and committed. Loading checks every row: a known kind, comparator, period and class; an exact
//! threshold (never a float); a unit for every row that is not a checklist; a whole-number threshold for
//! counts and cadences; a group the file declares; ids unique across the catalogue. An error names the
//! file, the row and the field (`six-type.json: SIX-29.threshold: 0,1: not a number`).

use crate::error::Lang;
use crate::exact::Exact;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded files, in the order the catalogue lists the standards.
pub const FILES: &[(&str, &str)] = &[
    (
        "zhengzhou",
        include_str!("../../data/standards/zhengzhou.json"),
    ),
    (
        "shanghai",
        include_str!("../../data/standards/shanghai.json"),
    ),
    (
        "six-type",
        include_str!("../../data/standards/six-type.json"),
    ),
    (
        "learning",
        include_str!("../../data/standards/learning.json"),
    ),
    (
        "plans-003",
        include_str!("../../data/standards/plans-003.json"),
    ),
    (
        "opinions-004",
        include_str!("../../data/standards/opinions-004.json"),
    ),
];

/// How an indicator's value is obtained and judged (issue 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 比率: numerator ÷ denominator against a share (`{"num","den"}`).
    Share,
    /// 次数: dated events in the indicator's period, at least N (`{"dates"}`).
    Count,
    /// 频次: at least N in every sub-period — month, quarter… (`{"dates"}`).
    Cadence,
    /// 数量: a value in its unit — m², volumes, persons (`{"value"}`).
    Quantity,
    /// 是否: a yes/no item (`{"done"}`).
    Checklist,
}

include!(concat!(env!("OUT_DIR"), "/indicator_kinds.rs"));

/// An indicator's kind from the small generated table, without parsing the catalogue: what checking an
/// entry needs, on every device, in the app's first load (the catalogue's quotes travel only with the
/// self-check's own chunk).
pub fn kind_of(id: &str) -> Option<Kind> {
    INDICATOR_KINDS
        .binary_search_by(|(i, _)| (*i).cmp(id))
        .ok()
        .map(|k| INDICATOR_KINDS[k].1)
}

/// `>=`, `>`, `<=`, `<`, `=`; 以上/以下/不低于/不少于/不超过 are inclusive (STANDARDS.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Ge => ">=",
            Comparator::Gt => ">",
            Comparator::Le => "<=",
            Comparator::Lt => "<",
            Comparator::Eq => "=",
        }
    }

    /// Whether `value` passes against `threshold`, exactly.
    pub fn holds(self, value: Exact, threshold: Exact) -> bool {
        match self {
            Comparator::Ge => value >= threshold,
            Comparator::Gt => value > threshold,
            Comparator::Le => value <= threshold,
            Comparator::Lt => value < threshold,
            Comparator::Eq => value == threshold,
        }
    }
}

/// 周期: the calendar period a count or rate is taken over (STANDARDS.md §0 "Period").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A state that must hold whenever checked.
    AnyTime,
    Year,
    HalfYear,
    Quarter,
    Month,
    /// The 1st–15th and the 16th–end of each month (每半月).
    HalfMonth,
    /// Monday to Sunday; a year's weeks are those whose Thursday falls in it (ISO 8601).
    Week,
    Day,
    /// A one-off task.
    Once,
    PerProject,
    PerCase,
    NotStated,
}

/// 类别 (STANDARDS.md §0 "Class"): computed from collected data, typed with evidence, or a yes/no item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Computed,
    Manual,
    Checklist,
}

/// One indicator (指标), a row of STANDARDS.md §1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    /// The star (ZZ), standard (SH-s), second-level heading (SIX), article (LRN) or plan (003/004).
    pub group: String,
    /// A short Chinese name (名称), from the quote.
    pub name_zh: String,
    /// The seed's words as STANDARDS.md quotes them (引文; "…" marks an elision; 004 in Simplified).
    pub quote: String,
    /// English gloss (STANDARDS.md's Indicator column).
    pub gloss: String,
    pub kind: Kind,
    pub comparator: Option<Comparator>,
    pub threshold: Option<Exact>,
    /// The upper end of a range (3,000–5,000 households): the value must also be ≤ this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_max: Option<Exact>,
    /// The seed sets no number (较高, 满意度高, rising…): the value is shown, no pass mark is invented.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_threshold: bool,
    /// Encouraged or suggested, or a consequence, not a requirement: evaluated, never decides.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// STANDARDS.md's Threshold column as written.
    pub threshold_text: String,
    /// The natural unit of the value and the gap (the numerator's, for a share: `volunteers`).
    pub unit: Option<String>,
    pub unit_zh: Option<String>,
    pub period: Period,
    pub period_text: String,
    pub class: Class,
    /// 对象层级: community, sub-district, district, city, compound, town.
    pub level: String,
    /// Seed and section (`002 管理服务·社区服务 29`).
    pub source: String,
    /// Computed rows: the data and formula (STANDARDS.md's last column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Computed rows: the data sources named in the formula (ROSTER, VOL, SURVEY, ACT, MEET, REG-…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_sources: Vec<String>,
    /// Manual and checklist rows: the evidence asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The reading taken where the seed is ambiguous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Indicator {
    /// Its short name in `lang` (the English gloss in English).
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.gloss,
        }
    }
}

/// A group of indicators as the standard groups them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name_zh: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Six-type: the first-level block (GD, MS, BZ, CY).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// Six-type: the heading's weight in the overall score (a rule set may replace it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Exact>,
}

impl Group {
    /// Its name in `lang` (the Chinese one where the catalogue has no English).
    pub fn name(&self, lang: Lang) -> &str {
        match (lang, &self.name_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.name_zh,
        }
    }
}

/// A six-type first-level block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// The verdict data of a standard's file (STANDARDS.md §2), the fields of its standard only: one flat
/// struct rather than an enum, so that reading it stays small in the Wasm.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VerdictSpec {
    /// Zhengzhou: the sixteen star codes, in the seed's order (一…十六).
    pub stars: Vec<String>,
    /// Zhengzhou: stars for the city level (all 16), the district level (10, with the mandatory ones)
    /// and the sub-district level (10, with the office-area row of the rule set).
    pub city_stars: usize,
    pub district_stars: usize,
    pub district_mandatory: Vec<String>,
    pub subdistrict_stars: usize,
    /// Zhengzhou: the fire gate's row (ZZ-STAR-SAFE-9).
    pub fire_gate_row: String,
    /// Shanghai: the prerequisite titles (SH-7-8, SH-9-4).
    pub prerequisites: Vec<String>,
    /// Six-type: the first-level blocks.
    pub blocks: Vec<Block>,
    /// Six-type: the weighted share of headings met that passes (1: all).
    pub pass_score: Option<Exact>,
}

/// One standard's file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub standard: String,
    pub version: String,
    /// The seed it comes from (000–004).
    pub seed: String,
    pub name_zh: String,
    pub name_en: String,
    pub groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictSpec>,
    pub indicators: Vec<Indicator>,
}

impl Standard {
    /// Its name as people of `lang` read it.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// The whole catalogue.
#[derive(Clone, Debug)]
pub struct Catalogue {
    pub version: String,
    pub standards: Vec<Standard>,
    /// Indicator id → (standard index, row index).
    index: HashMap<String, (usize, usize)>,
}

impl Catalogue {
    /// The embedded catalogue, parsed and validated once.
    pub fn get() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| Catalogue::load(FILES).expect("embedded catalogue is valid (tested)"))
    }

    /// Parses and validates files given as (standard id, JSON text). Errors name the file, the row and
    /// the field.
    pub fn load(files: &[(&str, &str)]) -> Result<Catalogue, String> {
        let mut standards = Vec::new();
        let mut index = HashMap::new();
        let mut version: Option<String> = None;
        for (si, (name, text)) in files.iter().enumerate() {
            let file = format!("{name}.json");
            // One indicator a line: a parse error's line names the row.
            let std: Standard = serde_json::from_str(text).map_err(|e| {
                let row = text
                    .lines()
                    .nth(e.line().saturating_sub(1))
                    .and_then(|l| l.trim_start().strip_prefix(r#"{"id":""#))
                    .map(|rest| ("", rest))
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(id, _)| format!("{id}: "))
                    .unwrap_or_default();
                format!("{file}: {row}{e}")
            })?;
            if std.standard != *name {
                return Err(format!("{file}: standard: {} ≠ {name}", std.standard));
            }
            match &version {
                None => version = Some(std.version.clone()),
                Some(v) if *v != std.version => {
                    return Err(format!("{file}: version: {} ≠ {v}", std.version));
                }
                _ => {}
            }
            for (ri, ind) in std.indicators.iter().enumerate() {
                check_indicator(&std, ind).map_err(|e| format!("{file}: {}.{e}", ind.id))?;
                if index.insert(ind.id.clone(), (si, ri)).is_some() {
                    return Err(format!("{file}: {}.id: listed twice", ind.id));
                }
            }
            check_verdict(&std).map_err(|e| format!("{file}: verdict.{e}"))?;
            standards.push(std);
        }
        Ok(Catalogue {
            version: version.unwrap_or_default(),
            standards,
            index,
        })
    }

    pub fn standard(&self, id: &str) -> Option<&Standard> {
        self.standards.iter().find(|s| s.standard == id)
    }

    /// The ids of the standards, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.standards.iter().map(|s| s.standard.as_str())
    }

    /// An indicator by id, with its standard.
    pub fn indicator(&self, id: &str) -> Option<(&Standard, &Indicator)> {
        let &(s, r) = self.index.get(id)?;
        Some((&self.standards[s], &self.standards[s].indicators[r]))
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// One row's rules; the error starts with the field.
fn check_indicator(std: &Standard, ind: &Indicator) -> Result<(), String> {
    if !std.groups.iter().any(|g| g.id == ind.group) {
        return Err(format!("group: {} is not declared in groups", ind.group));
    }
    for (field, v) in [
        ("name_zh", &ind.name_zh),
        ("quote", &ind.quote),
        ("gloss", &ind.gloss),
        ("source", &ind.source),
        ("level", &ind.level),
    ] {
        if v.trim().is_empty() {
            return Err(format!("{field}: empty"));
        }
    }
    if ind.class == Class::Checklist && ind.kind != Kind::Checklist {
        return Err("kind: a checklist row is judged yes/no".into());
    }
    if ind.kind == Kind::Checklist {
        if ind.comparator.is_some() || ind.threshold.is_some() || ind.threshold_max.is_some() {
            return Err("threshold: a checklist row has no comparator or threshold".into());
        }
        return Ok(());
    }
    if ind.unit.is_none() || ind.unit_zh.is_none() {
        return Err("unit: missing".into());
    }
    if ind.class == Class::Computed && ind.formula.is_none() {
        return Err("formula: a computed row names its formula".into());
    }
    check_threshold(ind, ind.threshold)
}

/// Whether `threshold` fits the row (also used for a rule set's override).
pub(crate) fn check_threshold(ind: &Indicator, threshold: Option<Exact>) -> Result<(), String> {
    match (threshold, ind.comparator) {
        (None, _) if ind.no_threshold => Ok(()),
        (None, _) => Err("threshold: missing (or mark the row no_threshold)".into()),
        (Some(_), None) => Err("comparator: a threshold needs one".into()),
        (Some(t), Some(c)) => {
            if t.is_negative() {
                return Err(format!("threshold: {t} is negative"));
            }
            if matches!(ind.kind, Kind::Count | Kind::Cadence) {
                if c != Comparator::Ge {
                    return Err("comparator: a count or cadence is \"at least\" (>=)".into());
                }
                if !t.is_integer() {
                    return Err(format!("threshold: {t} is not a whole number of events"));
                }
            }
            if ind.kind == Kind::Cadence
                && !matches!(
                    ind.period,
                    Period::HalfYear
                        | Period::Quarter
                        | Period::Month
                        | Period::HalfMonth
                        | Period::Week
                        | Period::Day
                )
            {
                return Err("period: a cadence repeats within the year".into());
            }
            if ind
                .threshold_max
                .is_some_and(|max| max < t || c != Comparator::Ge)
            {
                return Err("threshold_max: a range is >= threshold and <= max".into());
            }
            Ok(())
        }
    }
}

fn check_verdict(std: &Standard) -> Result<(), String> {
    let group = |code: &String| std.groups.iter().any(|g| g.id == *code);
    let row = |id: &String| std.indicator(id).is_some();
    let v = std.verdict.clone().unwrap_or_default();
    match std.standard.as_str() {
        "zhengzhou" => {
            if v.stars.is_empty() || v.city_stars != v.stars.len() {
                return Err("stars: the sixteen stars, city_stars their number".into());
            }
            if let Some(s) = v.stars.iter().find(|s| !group(s)) {
                return Err(format!("stars: {s} is not a group"));
            }
            if let Some(m) = v.district_mandatory.iter().find(|m| !v.stars.contains(m)) {
                return Err(format!("district_mandatory: {m} is not a star"));
            }
            if !row(&v.fire_gate_row) {
                return Err(format!("fire_gate_row: {} is not a row", v.fire_gate_row));
            }
            Ok(())
        }
        "shanghai" => match v.prerequisites.iter().find(|p| !row(p)) {
            Some(p) => Err(format!("prerequisites: {p} is not a row")),
            None => Ok(()),
        },
        "six-type" => {
            if v.pass_score.is_none() {
                return Err("pass_score: missing".into());
            }
            for g in &std.groups {
                match &g.block {
                    Some(b) if v.blocks.iter().any(|x| x.id == *b) => {}
                    _ => return Err(format!("blocks: heading {} has no block", g.id)),
                }
                if g.weight.is_none_or(|w| w.is_negative()) {
                    return Err(format!("groups: heading {} has no weight", g.id));
                }
            }
            Ok(())
        }
        _ if std.verdict.is_some() => Err("this standard has no verdict data".into()),
        _ => Ok(()),
    }
}
