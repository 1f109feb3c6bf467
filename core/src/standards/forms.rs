//! Shanghai's application forms (申报表, 001 附件1–5; RULES E3): who applies, what each form asks, and
//! its sign-off chain — the boxes, in order, each holding an opinion, a stamp and a date.
//!
//! Forms 1–2 (示范/模范街道(镇)) are the sub-district's: 街道(镇)名称, 负责人, 联系人, 电话; signed by the
//! district civil-affairs bureau (申报意见), the district government (审核意见) and the city civil-affairs
//! bureau (审批意见). Forms 3–5 (示范/模范/和谐社区示范居委会) are the committee's: 居委会名称, 负责人, 地址
//! (not a contact person), 电话; signed by the sub-district, the district civil-affairs bureau and the city
//! civil-affairs bureau — with no district-government box — and each box's verb as the seed words it
//! (form 3: 验收 → 审核 → 审批; form 4: 申报 → 审核 → 审批; form 5: 申报 → 申报 → 申报).
//! Every form ends with 基本情况 and 申报依据（材料可另附）, which the app fills from the self-check.

use crate::error::Lang;
use serde::Serialize;

/// Who fills the form in and applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicant {
    /// 街道(镇): forms 1–2.
    SubDistrict,
    /// 居委会: forms 3–5.
    Committee,
}

/// One box of the sign-off chain: the authority and the verb of its opinion (申报/审核/审批/验收意见).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SignOff {
    pub authority_zh: &'static str,
    pub authority_en: &'static str,
    pub opinion_zh: &'static str,
    pub opinion_en: &'static str,
}

impl SignOff {
    /// 「区(县)民政局申报意见」.
    pub fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}{}", self.authority_zh, self.opinion_zh),
            Lang::En => format!("{}: {}", self.authority_en, self.opinion_en),
        }
    }
}

/// One application form (附件N).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApplicationForm {
    /// 1–5, as the seed numbers them.
    pub number: u8,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub applicant: Applicant,
    /// The heading fields, in order, as the seed lays them out (`name_zh`, `name_en`).
    pub fields: &'static [(&'static str, &'static str)],
    /// The sign-off chain, first box first.
    pub chain: [SignOff; 3],
}

impl ApplicationForm {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }
}

const DISTRICT_CA: (&str, &str) = ("区(县)民政局", "District civil-affairs bureau");
const DISTRICT_GOV: (&str, &str) = ("区(县)人民政府", "District government");
const CITY_CA: (&str, &str) = ("市民政局", "City civil-affairs bureau");
const SUB_DISTRICT: (&str, &str) = ("街道(镇)", "Sub-district (town)");

const fn box_of(who: (&'static str, &'static str), verb: Verb) -> SignOff {
    let (opinion_zh, opinion_en) = match verb {
        Verb::Apply => ("申报意见", "opinion on the application"),
        Verb::Review => ("审核意见", "review opinion"),
        Verb::Approve => ("审批意见", "approval opinion"),
        Verb::Accept => ("验收意见", "acceptance opinion"),
    };
    SignOff {
        authority_zh: who.0,
        authority_en: who.1,
        opinion_zh,
        opinion_en,
    }
}

enum Verb {
    Apply,
    Review,
    Approve,
    Accept,
}

const SUB_DISTRICT_FIELDS: &[(&str, &str)] = &[
    ("街道(镇)名称", "Sub-district (town)"),
    ("负责人", "Person in charge"),
    ("联系人", "Contact person"),
    ("电话", "Telephone"),
];

const COMMITTEE_FIELDS: &[(&str, &str)] = &[
    ("居委会名称", "Residents' committee"),
    ("负责人", "Person in charge"),
    ("地址", "Address"),
    ("电话", "Telephone"),
];

/// Forms 1–2's chain: district civil affairs → district government → city.
const SUB_DISTRICT_CHAIN: [SignOff; 3] = [
    box_of(DISTRICT_CA, Verb::Apply),
    box_of(DISTRICT_GOV, Verb::Review),
    box_of(CITY_CA, Verb::Approve),
];

/// Forms 3–5's chain: the sub-district's box with `first`, the district civil affairs' with `second`,
/// the city's with `third`.
const fn committee_chain(first: Verb, second: Verb, third: Verb) -> [SignOff; 3] {
    [
        box_of(SUB_DISTRICT, first),
        box_of(DISTRICT_CA, second),
        box_of(CITY_CA, third),
    ]
}

/// The five forms of 001's annex, in order.
pub const FORMS: [ApplicationForm; 5] = [
    ApplicationForm {
        number: 1,
        title_zh: "上海市社区建设示范街道(镇)申报表",
        title_en: "Shanghai community-building demonstration sub-district (town): application",
        applicant: Applicant::SubDistrict,
        fields: SUB_DISTRICT_FIELDS,
        chain: SUB_DISTRICT_CHAIN,
    },
    ApplicationForm {
        number: 2,
        title_zh: "上海市社区建设模范街道(镇)申报表",
        title_en: "Shanghai community-building model sub-district (town): application",
        applicant: Applicant::SubDistrict,
        fields: SUB_DISTRICT_FIELDS,
        chain: SUB_DISTRICT_CHAIN,
    },
    ApplicationForm {
        number: 3,
        title_zh: "上海市社区建设示范居委会申报表",
        title_en: "Shanghai community-building demonstration residents' committee: application",
        applicant: Applicant::Committee,
        fields: COMMITTEE_FIELDS,
        chain: committee_chain(Verb::Accept, Verb::Review, Verb::Approve),
    },
    ApplicationForm {
        number: 4,
        title_zh: "上海市社区建设模范居委会申报表",
        title_en: "Shanghai community-building model residents' committee: application",
        applicant: Applicant::Committee,
        fields: COMMITTEE_FIELDS,
        chain: committee_chain(Verb::Apply, Verb::Review, Verb::Approve),
    },
    ApplicationForm {
        number: 5,
        title_zh: "上海市和谐社区示范居委会申报表",
        title_en: "Shanghai harmonious-community demonstration residents' committee: application",
        applicant: Applicant::Committee,
        fields: COMMITTEE_FIELDS,
        chain: committee_chain(Verb::Apply, Verb::Apply, Verb::Apply),
    },
];

/// Form `number` (1–5).
pub fn form(number: u8) -> Option<&'static ApplicationForm> {
    FORMS.iter().find(|f| f.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RULES E3, hand-read from 001's annex: forms 1–2 go district civil affairs → district government →
    /// city; forms 3–5 go sub-district → district civil affairs → city, with no district-government box and
    /// an address instead of a contact person; each box's verb as the seed has it.
    #[test]
    fn the_two_sign_off_chains() {
        let chain = |n: u8| {
            form(n)
                .unwrap()
                .chain
                .iter()
                .map(|b| b.title(Lang::Zh))
                .collect::<Vec<_>>()
        };
        for n in [1, 2] {
            assert_eq!(
                chain(n),
                [
                    "区(县)民政局申报意见",
                    "区(县)人民政府审核意见",
                    "市民政局审批意见"
                ]
            );
            assert_eq!(form(n).unwrap().applicant, Applicant::SubDistrict);
            assert!(form(n).unwrap().fields.iter().any(|f| f.0 == "联系人"));
        }
        assert_eq!(
            chain(3),
            [
                "街道(镇)验收意见",
                "区(县)民政局审核意见",
                "市民政局审批意见"
            ]
        );
        assert_eq!(
            chain(4),
            [
                "街道(镇)申报意见",
                "区(县)民政局审核意见",
                "市民政局审批意见"
            ]
        );
        assert_eq!(
            chain(5),
            [
                "街道(镇)申报意见",
                "区(县)民政局申报意见",
                "市民政局申报意见"
            ]
        );
        for n in [3, 4, 5] {
            let f = form(n).unwrap();
            assert_eq!(f.applicant, Applicant::Committee);
            assert!(f.chain.iter().all(|b| b.authority_zh != "区(县)人民政府"));
            assert!(f.fields.iter().any(|f| f.0 == "地址"));
            assert!(!f.fields.iter().any(|f| f.0 == "联系人"));
        }
        assert!(form(6).is_none());
    }

    /// Every form's title and field names are the seed's words.
    #[test]
    fn titles_and_fields_are_in_the_seed() {
        // The seeds are copied into the crate for the catalogue's quote test (core/tests/standards.rs).
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/shared/seeds/001_9e468fee05741da9.txt"
        ))
        .unwrap();
        let flat: String = seed.chars().filter(|c| !c.is_whitespace()).collect();
        for f in &FORMS {
            assert!(flat.contains(f.title_zh), "{}", f.title_zh);
            for (zh, _) in f.fields {
                assert!(flat.contains(zh), "{zh}");
            }
            for b in &f.chain {
                assert!(flat.contains(b.authority_zh), "{}", b.authority_zh);
            }
        }
    }
}
