//! The standards self-check's words (zh, en): statuses, the gap sentence (差距) in natural units, the
//! cadence's current period, and Zhengzhou's recommendation levels — "may be recommended", never a
//! title (RULES E1, E7).

use super::catalogue::{Comparator, Indicator};
use super::evaluate::{IndicatorResult, Status};
use crate::error::Lang;
use crate::exact::Exact;
use crate::i18n::fill;

crate::catalogue! {
    /// 达标自评 (standards self-check) words.
    pub enum Words {
        Met => ("达标", "met"),
        NotMet => ("未达标", "not met"),
        InProgress => ("进行中", "in progress"),
        NoData => ("无数据", "no data"),
        NoThreshold => ("无标准值（仅展示）", "no pass mark (shown only)"),
        // The gap: {0} the amount, {1} the unit.
        Short => ("还差 {0} {1}", "{0} {1} short"),
        TooMany => ("超出 {0} {1}", "{0} {1} too many"),
        Off => ("相差 {0} {1}", "{0} {1} off"),
        // A cadence's short periods: {0} the list.
        InPeriods => ("（{0}）", " ({0})"),
        PeriodSeparator => ("、", ", "),
        // More short periods than are named: {0} the first, {1} the last, {2} how many.
        PeriodRange => ("{0} 至 {1} 共 {2} 期", "{2} periods, {0} to {1}"),
        // The current, unfinished period: {0} the period, {1} the count, {2} the number needed.
        Current => ("本期 {0} 已有 {1} 次，需 {2} 次", "this period ({0}): {1} of {2}"),
        // Zhengzhou's levels (E1).
        LevelCity => ("可推荐创建市级“星级”社区", "may be recommended at city level"),
        LevelDistrict => ("可推荐创建区级“星级”社区", "may be recommended at district level"),
        LevelSubDistrict => ("可创建办事处级“星级”社区", "may be recommended at sub-district level"),
        LevelNone => ("暂不具备推荐条件", "not yet recommendable"),
        // Photos as evidence (照片佐证), the server's refusals as the app and the API say them:
        // {0} the limit in KB.
        PhotoTooLarge => ("照片太大（最多 {0} KB），请重新拍摄", "The photo is too large (at most {0} KB); please take it again"),
        NotAnImage => ("不是照片：只接受 JPEG、PNG 或 WebP 图片", "Not a photo: only JPEG, PNG or WebP images are accepted"),
        PhotoConflict => ("已有另一张照片使用此编号，未保存", "Another photo already has this id; not saved"),
        NoSuchPhoto => ("本社区没有这张照片（可能尚未上传）", "This community has no such photo (it may not be uploaded yet)"),
        // A checklist row's value.
        Done => ("已具备", "In place"),
        Required => ("须具备", "required"),
        NotDone => ("未具备", "Not in place"),
        // The self-check report (自评报告): {0} who, {1} the date; {0} the number of photos.
        EnteredBy => ("录入：{0} {1}", "Entered by {0} on {1}"),
        Photos => ("照片 {0} 张", "{0} photo(s)"),
        GroupsMet => ("{0}/{1} 组达标", "{0} of {1} groups met"),
        StarsMet => ("已达标星级：{0}/16", "Stars met: {0} of 16"),
        ReportTitle => ("{0} 自评报告", "{0}: self-check report"),
        ReportSheet => ("自评报告", "Self-check"),
        ReportAsOf => ("社区：{0} · 截至 {1}", "Community: {0} · as of {1}"),
        ReportVersions => ("指标目录 {0} · 规则 {1}（{2}）", "Catalogue {0} · rule set {1} ({2})"),
        Verdict => ("结论", "Verdict"),
        ColId => ("编号", "Id"),
        ColIndicator => ("指标", "Indicator"),
        ColStatus => ("状态", "Status"),
        ColValue => ("现状", "Now"),
        ColThreshold => ("标准", "Standard"),
        ColGap => ("差距", "Gap"),
        ColEntry => ("录入与佐证", "Entry and evidence"),
    }
}

/// A status in words.
pub fn status(s: Status) -> Words {
    match s {
        Status::Met => Words::Met,
        Status::NotMet => Words::NotMet,
        Status::InProgress => Words::InProgress,
        Status::NoData => Words::NoData,
        Status::NoThreshold => Words::NoThreshold,
    }
}

/// A Zhengzhou verdict's level (`"city"`, `"district"`, `"sub-district"`, none) in words.
pub fn level(level: Option<&str>) -> Words {
    match level {
        Some("city") => Words::LevelCity,
        Some("district") => Words::LevelDistrict,
        Some("sub-district") => Words::LevelSubDistrict,
        _ => Words::LevelNone,
    }
}

/// Short periods named one by one up to this many; more read as a range.
const MAX_PERIODS_NAMED: usize = 4;

/// The gap as a sentence ("还差 2 名志愿者（2026-02、2026-03）", "2 volunteers short"); `None` when the
/// result has no gap.
pub fn gap_sentence(ind: &Indicator, r: &IndicatorResult, lang: Lang) -> Option<String> {
    let gap = r.gap.as_ref()?;
    let value = Exact::from_json(&r.value).and_then(Result::ok);
    let above_max = match (value, ind.threshold_max) {
        (Some(v), Some(max)) => v > max,
        _ => false,
    };
    let w = match ind.comparator {
        _ if above_max => Words::TooMany,
        Some(Comparator::Le | Comparator::Lt) => Words::TooMany,
        Some(Comparator::Eq) => Words::Off,
        _ => Words::Short,
    };
    let unit = match lang {
        Lang::Zh => ind.unit_zh.as_deref().unwrap_or_default(),
        Lang::En => gap.unit.as_str(),
    };
    let mut s = fill(w.text(lang), &[&gap.amount.to_string(), unit]);
    if let Some(periods) = gap.periods.as_ref().filter(|p| !p.is_empty()) {
        // A few short periods by name; a long run as its first and last and how many.
        let list = match periods.as_slice() {
            [first, .., last] if periods.len() > MAX_PERIODS_NAMED => fill(
                Words::PeriodRange.text(lang),
                &[first, last, &periods.len().to_string()],
            ),
            _ => periods.join(Words::PeriodSeparator.text(lang)),
        };
        s.push_str(&fill(Words::InPeriods.text(lang), &[&list]));
    }
    Some(s)
}

/// A cadence's current period in words ("本期 2026-04 已有 1 次，需 2 次").
pub fn current_sentence(r: &IndicatorResult, lang: Lang) -> Option<String> {
    let c = r.current.as_ref()?;
    Some(fill(
        Words::Current.text(lang),
        &[&c.period, &c.count.to_string(), &c.needed.to_string()],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::standards::{Catalogue, Input, evaluate_indicator};

    fn run(id: &str, input: Input, as_of: &str) -> (&'static Indicator, IndicatorResult) {
        let (_, ind) = Catalogue::get().indicator(id).unwrap();
        let r = evaluate_indicator(
            ind,
            ind.threshold,
            Some(&input),
            2026,
            Date::parse(as_of).unwrap(),
        );
        (ind, r)
    }

    fn x(s: &str) -> Exact {
        Exact::parse(s).unwrap()
    }

    #[test]
    fn every_word_in_both_languages() {
        assert_eq!(crate::catalogue_problems!(Words), Vec::<String>::new());
    }

    /// The example and one of each direction, in both languages.
    #[test]
    fn gap_sentences() {
        let (i, r) = run(
            "SIX-29",
            Input::Share {
                num: x("18"),
                den: x("200"),
            },
            "2026-03-15",
        );
        assert_eq!(gap_sentence(i, &r, Lang::Zh).unwrap(), "还差 2 名志愿者");
        assert_eq!(gap_sentence(i, &r, Lang::En).unwrap(), "2 volunteers short");
        let (i, r) = run("ZZ-OFF-AREA-2", Input::Value(x("470")), "2026-03-15");
        assert_eq!(gap_sentence(i, &r, Lang::Zh).unwrap(), "还差 30 平方米");
        let (i, r) = run("ZZ-PLAN-SIZE", Input::Value(x("5200")), "2026-03-15");
        assert_eq!(gap_sentence(i, &r, Lang::Zh).unwrap(), "超出 200 户");
        let (i, r) = run(
            "SIX-34a",
            Input::Share {
                num: x("5"),
                den: x("2500"),
            },
            "2026-03-15",
        );
        assert_eq!(gap_sentence(i, &r, Lang::En).unwrap(), "2 cases too many");
        let dates = ["2026-01-05", "2026-01-25", "2026-02-14", "2026-04-02"]
            .iter()
            .map(|s| Date::parse(s).unwrap())
            .collect();
        let (i, r) = run("SIX-68a", Input::Dates(dates), "2026-04-10");
        assert_eq!(
            gap_sentence(i, &r, Lang::Zh).unwrap(),
            "还差 3 次（2026-02、2026-03）"
        );
        assert_eq!(
            gap_sentence(i, &r, Lang::En).unwrap(),
            "3 events short (2026-02, 2026-03)"
        );
        // Nothing held all year: 11 completed months × 2 = 22 short, the months read as a range.
        let (i2, r2) = run("SIX-68a", Input::Dates(vec![]), "2026-12-10");
        assert_eq!(
            gap_sentence(i2, &r2, Lang::Zh).unwrap(),
            "还差 22 次（2026-01 至 2026-11 共 11 期）"
        );
        assert_eq!(
            gap_sentence(i2, &r2, Lang::En).unwrap(),
            "22 events short (11 periods, 2026-01 to 2026-11)"
        );
        assert_eq!(
            current_sentence(&r, Lang::Zh).unwrap(),
            "本期 2026-04 已有 1 次，需 2 次"
        );
        let (i, r) = run("ZZ-STAR-HYG-1", Input::Done(true), "2026-03-15");
        assert_eq!(gap_sentence(i, &r, Lang::Zh), None);
        assert_eq!(status(r.status).zh(), "达标");
        assert_eq!(
            level(Some("district")).en(),
            "may be recommended at district level"
        );
        assert_eq!(level(None).zh(), "暂不具备推荐条件");
    }
}
