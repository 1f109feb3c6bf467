//! Verdicts: every judgement the app and server show about a project, computed once here from the rule set.
//!
//! Survey open or closed and why (R4), results visible to residents (R4 with the rule set's minimum
//! count of answers), coverage against R5's threshold (in the tally), consultation rounds against R7 and
//! the return rate against R8. Each verdict carries its threshold, so a page never writes one.

use super::project::{ProjectFields, RenovationKind, end_of_day_ms, start_of_day_ms};
use crate::date::Date;
use crate::rules::RenovationRules;
use serde::{Deserialize, Serialize};

/// Where a project's survey stands (R4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyPhase {
    /// Before the start of the opening day (China time).
    NotYetOpen,
    /// From the start of the opening day to the end of the closing day.
    Open,
    /// After the closing day; ballots cast before the close may still arrive until `late_until`.
    Closed,
}

/// The survey's phase at a moment, with the dates that explain it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyStatus {
    pub phase: SurveyPhase,
    pub opens: Date,
    pub closes: Date,
    /// The last day on which a ballot cast before the close, collected offline, is still received.
    pub late_until: Date,
}

/// Whether residents may see the aggregate results now (R4; the minimum count protects secrecy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ResultsVisibility {
    Visible,
    /// Running results are not shown for this project: they appear after the close.
    AfterClose {
        closes: Date,
    },
    /// Running results are shown, but only once `need` households have answered (`have` so far).
    TooFewAnswers {
        have: u64,
        need: u32,
    },
    /// The survey has closed, but ballots cast before the close may still arrive until the end of
    /// `until`: results wait, so no one learns the outcome while an answer can still come in.
    AfterGrace {
        until: Date,
    },
}

/// A count held against a minimum (R7 consultation rounds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountVerdict {
    pub held: u32,
    pub min: u32,
    pub met: bool,
}

/// A percentage against a minimum (R8 return rate).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PctVerdict {
    pub value: f64,
    pub min: f64,
    pub met: bool,
}

/// The survey's phase at `now_ms` from its dates (R4): the project's, or a resident's copy of them.
pub fn survey_status(opens: Date, closes: Date, grace_days: u32, now_ms: u64) -> SurveyStatus {
    let now = now_ms as i64;
    let phase = if now < start_of_day_ms(opens) {
        SurveyPhase::NotYetOpen
    } else if now < end_of_day_ms(closes) {
        SurveyPhase::Open
    } else {
        SurveyPhase::Closed
    };
    SurveyStatus {
        phase,
        opens,
        closes,
        late_until: closes.add_days(grace_days as i64),
    }
}

impl ProjectFields {
    /// The survey's phase at `now_ms` (R4).
    pub fn survey_status(&self, now_ms: u64) -> SurveyStatus {
        survey_status(
            self.survey_opens,
            self.survey_closes,
            self.grace_days,
            now_ms,
        )
    }

    /// The end (exclusive, ms since the epoch) of the last day a ballot cast before the close is received.
    pub fn late_ballots_until_ms(&self) -> i64 {
        end_of_day_ms(self.survey_closes) + self.grace_days as i64 * 86_400_000
    }

    /// Whether the survey is open at `now_ms`.
    pub fn is_open(&self, now_ms: u64) -> bool {
        self.survey_status(now_ms).phase == SurveyPhase::Open
    }

    /// Whether the survey has closed at `now_ms`.
    pub fn is_closed(&self, now_ms: u64) -> bool {
        self.survey_status(now_ms).phase == SurveyPhase::Closed
    }

    /// Whether residents may see the aggregate results at `now_ms`, with `responded` households answered:
    /// after the close once the grace period for late-arriving ballots has ended (not while an answer can
    /// still arrive); before the close only where the project shows running results, and then only once at
    /// least `running_results_min_households` have answered, so a small count reveals no one.
    pub fn results_visibility(
        &self,
        now_ms: u64,
        responded: u64,
        rules: &RenovationRules,
    ) -> ResultsVisibility {
        if self.is_closed(now_ms) {
            if (now_ms as i64) < self.late_ballots_until_ms() {
                ResultsVisibility::AfterGrace {
                    until: self.survey_closes.add_days(self.grace_days as i64),
                }
            } else {
                ResultsVisibility::Visible
            }
        } else if !self.show_running_results {
            ResultsVisibility::AfterClose {
                closes: self.survey_closes,
            }
        } else if responded < rules.running_results_min_households as u64 {
            ResultsVisibility::TooFewAnswers {
                have: responded,
                need: rules.running_results_min_households,
            }
        } else {
            ResultsVisibility::Visible
        }
    }

    /// R7: rounds of opinion-gathering held during design, against the minimum.
    pub fn consultation_verdict(&self, rules: &RenovationRules) -> CountVerdict {
        let held = self.consultation_rounds.len() as u32;
        CountVerdict {
            held,
            min: rules.consultation_rounds_min,
            met: held >= rules.consultation_rounds_min,
        }
    }

    /// R8: the return rate of a demolish-and-rebuild project against the minimum; `None` for other
    /// projects or while no rate is recorded.
    pub fn return_rate_verdict(&self, rules: &RenovationRules) -> Option<PctVerdict> {
        if self.kind != RenovationKind::DemolishRebuild {
            return None;
        }
        let value = self.return_rate_pct?;
        Some(PctVerdict {
            value,
            min: rules.return_rate_min_pct,
            met: value >= rules.return_rate_min_pct,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use uuid::Uuid;

    fn project() -> ProjectFields {
        ProjectFields {
            compound_id: Uuid::nil(),
            name: "幸福里".into(),
            kind: RenovationKind::DemolishRebuild,
            year_built: None,
            dangerous_c: 0,
            dangerous_d: 0,
            survey_opens: Date::parse("2026-05-06").unwrap(),
            survey_closes: Date::parse("2026-05-15").unwrap(),
            grace_days: 3,
            show_running_results: true,
            notice_posted: None,
            design_notice_posted: None,
            consultation_rounds: vec![Date::parse("2026-06-01").unwrap()],
            representative_meeting: None,
            return_rate_pct: Some(59.5),
        }
    }

    #[test]
    fn survey_phase_turns_at_midnight_china_time() {
        let p = project();
        // 2026-05-06 00:00 China time = 2026-05-05 16:00 UTC = 1_777_996_800_000 ms (ten days before the close below).
        let opens = 1_777_996_800_000u64;
        assert_eq!(p.survey_status(opens - 1).phase, SurveyPhase::NotYetOpen);
        assert_eq!(p.survey_status(opens).phase, SurveyPhase::Open);
        // 2026-05-15 ends at 16:00 UTC = 1_778_860_800_000 ms.
        assert_eq!(
            p.survey_status(1_778_860_800_000 - 1).phase,
            SurveyPhase::Open
        );
        let s = p.survey_status(1_778_860_800_000);
        assert_eq!(s.phase, SurveyPhase::Closed);
        assert_eq!(s.late_until.to_string(), "2026-05-18");
    }

    #[test]
    fn results_need_the_minimum_answers_while_open() {
        let mut rules = RuleSet::default().renovation;
        assert_eq!(rules.running_results_min_households, 10, "RULES default K");
        let p = project();
        let open = 1_777_996_800_000u64;
        assert_eq!(
            p.results_visibility(open, 9, &rules),
            ResultsVisibility::TooFewAnswers { have: 9, need: 10 }
        );
        assert_eq!(
            p.results_visibility(open, 10, &rules),
            ResultsVisibility::Visible
        );
        rules.running_results_min_households = 3;
        assert_eq!(
            p.results_visibility(open, 3, &rules),
            ResultsVisibility::Visible
        );
        let hidden = ProjectFields {
            show_running_results: false,
            ..project()
        };
        assert_eq!(
            hidden.results_visibility(open, 50, &rules),
            ResultsVisibility::AfterClose {
                closes: Date::parse("2026-05-15").unwrap()
            }
        );
        // Closed 15 May, grace 3 days: results wait until the end of 18 May (16:00 UTC), then show.
        let closed = 1_778_860_800_000u64;
        assert_eq!(
            hidden.results_visibility(closed, 0, &rules),
            ResultsVisibility::AfterGrace {
                until: Date::parse("2026-05-18").unwrap()
            }
        );
        assert_eq!(
            hidden.results_visibility(closed + 3 * 86_400_000 - 1, 0, &rules),
            ResultsVisibility::AfterGrace {
                until: Date::parse("2026-05-18").unwrap()
            }
        );
        assert_eq!(
            hidden.results_visibility(closed + 3 * 86_400_000, 0, &rules),
            ResultsVisibility::Visible
        );
    }

    #[test]
    fn rounds_and_return_rate_follow_the_rule_set() {
        let mut rules = RuleSet::default().renovation;
        let p = project();
        assert_eq!(
            p.consultation_verdict(&rules),
            CountVerdict {
                held: 1,
                min: 2,
                met: false
            }
        );
        assert_eq!(
            p.return_rate_verdict(&rules),
            Some(PctVerdict {
                value: 59.5,
                min: 60.0,
                met: false
            })
        );
        rules.consultation_rounds_min = 1;
        rules.return_rate_min_pct = 55.0;
        assert!(p.consultation_verdict(&rules).met);
        assert!(p.return_rate_verdict(&rules).unwrap().met);
        let comprehensive = ProjectFields {
            kind: RenovationKind::Comprehensive,
            ..project()
        };
        assert_eq!(
            comprehensive.return_rate_verdict(&rules),
            None,
            "R8 is for demolish-and-rebuild only"
        );
    }
}
