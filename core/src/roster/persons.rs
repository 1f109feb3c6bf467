//! The roster's persons (居民): the people of a household, its next level (RULES H1), with the key-group
//! flags of RULES H4. Shared by volunteers (a volunteer who lives in the community links to their person,
//! so they count once) and, later, by surveys (S1's service ledger per person).

use super::fields::check_text;
use crate::error::{ErrorCode, RuleError};
use crate::personal::check_phone;
use crate::rules::RosterRules;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// 性别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

/// 重点服务对象 (RULES H4): the key service groups a person belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyGroup {
    /// 老年人
    Elderly,
    /// 未成年人
    Minor,
    /// 失业人员
    Unemployed,
    /// 残疾人
    Disabled,
    /// 低收入家庭
    LowIncome,
    /// 空巢老人 (V5: a weekly visit)
    EmptyNest,
    /// 独居老人 (V5: a daily call)
    SolitaryElderly,
    /// 80岁以上老人 (V5: a weekly visit when they ask)
    Aged80Plus,
    /// 65岁以上配备呼叫器 (S2)
    HelperDevice65Plus,
    /// 刑满释放帮教对象
    ReleasedPrisoner,
    /// 优抚对象
    SpecialCare,
}

/// A person (居民) of a household.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    pub household_id: Uuid,
    /// 姓名
    pub name: String,
    #[serde(default)]
    pub sex: Option<Sex>,
    /// 出生年份
    #[serde(default)]
    pub birth_year: Option<u16>,
    /// 电话; shown masked in lists (`personal::mask_phone`).
    #[serde(default)]
    pub phone: String,
    /// 重点服务对象 (H4).
    #[serde(default)]
    pub key_groups: Vec<KeyGroup>,
    /// 党员 (V4)
    #[serde(default)]
    pub party_member: bool,
    /// 学生 (V4)
    #[serde(default)]
    pub student: bool,
}

impl PersonFields {
    pub fn check(&self, r: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", r.name_max_chars, true)?;
        if let Some(y) = self.birth_year
            && !(r.year_built_min..=r.year_built_max).contains(&y)
        {
            return Err(RuleError::field(ErrorCode::OutOfRange, "birth_year")
                .with_detail(format!("{}–{}", r.year_built_min, r.year_built_max)));
        }
        check_phone(&self.phone, "phone")?;
        let mut groups = self.key_groups.clone();
        groups.sort();
        groups.dedup();
        if groups.len() != self.key_groups.len() {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "key_groups")
                .with_detail("each group once"));
        }
        Ok(())
    }
}

/// A person as views list them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Person {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: PersonFields,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_checks_name_the_field() {
        let r = crate::rules::RuleSet::default().roster;
        let mut p = PersonFields {
            household_id: Uuid::nil(),
            name: "张桂兰".into(),
            sex: Some(Sex::Female),
            birth_year: Some(1941),
            phone: "13812341234".into(),
            key_groups: vec![KeyGroup::SolitaryElderly, KeyGroup::Aged80Plus],
            party_member: false,
            student: false,
        };
        assert!(p.check(&r).is_ok());
        p.phone = "1381234".into();
        assert!(p.check(&r).is_ok(), "a 7-digit landline");
        p.phone = "138123412345678901".into();
        assert_eq!(p.check(&r).unwrap_err().field.as_deref(), Some("phone"));
        p.phone.clear();
        p.birth_year = Some(1800);
        assert_eq!(
            p.check(&r).unwrap_err().field.as_deref(),
            Some("birth_year")
        );
        p.birth_year = None;
        p.key_groups = vec![KeyGroup::Elderly, KeyGroup::Elderly];
        assert_eq!(
            p.check(&r).unwrap_err().field.as_deref(),
            Some("key_groups")
        );
        p.key_groups.clear();
        p.name = " ".into();
        assert_eq!(p.check(&r).unwrap_err().code, ErrorCode::Required);
    }
}
