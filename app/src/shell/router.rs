//! A very small router (the pages are few, and `leptos_router` costs more bytes than the whole budget allows):
//! the path is a signal; links are plain `<a href>`, intercepted here; back and forward work through `popstate`.

use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The app's pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Login,
    Compounds,
    Compound(Uuid),
    Settings,
    /// A renovation project (staff): facts, notices and menu.
    Project(Uuid),
    /// Door-to-door ballots of a project (staff).
    Door(Uuid),
    /// Voting codes of a project (staff).
    Codes(Uuid),
    /// The printable voting-code slips of a project (staff).
    Slips(Uuid),
    /// Printable paper survey forms of a project (staff).
    Forms(Uuid),
    /// Results of a project (staff).
    Results(Uuid),
    /// The printable public notice of a project (staff).
    Notice(Uuid),
    /// The community's volunteers (staff).
    Volunteers,
    /// One volunteer's record (staff).
    Volunteer(Uuid),
    /// The community's volunteer activities (staff).
    Activities,
    /// One activity: sign-ups and check-ins (staff).
    Activity(Uuid),
    /// A certificate of service record, by number (staff).
    Certificate(String),
    /// The check of a certificate from its QR code (no login).
    Verify,
    /// The community's survey forms, what is due and coverage (staff).
    Surveys,
    /// The form builder of a survey form (staff).
    SurveyEdit(Uuid),
    /// The doors of a survey with their status (staff, collectors).
    SurveyVisits(Uuid),
    /// The responses of a survey form, their review and exports (staff).
    SurveyResponses(Uuid),
    /// A form being filled at a door, from its draft on this phone.
    Draft(Uuid),
    /// A household's service ledger (staff).
    Ledger(Uuid),
    /// A volunteer registering on their own phone, at their community's join link (no login yet).
    Join(String),
    /// An activity's check-in, opened from its QR code on a volunteer's own phone.
    CheckIn(Uuid),
    /// A volunteer's own code scanned by staff: check them in on their behalf.
    VolunteerCode(Uuid),
    /// The standards self-check: the six standards (staff).
    Standards,
    /// One standard's rows (staff).
    Standard(String),
    /// One standard's printable self-check report (staff).
    StandardReport(String),
    /// One standard's application (申报材料): per group, each row with its numbers, explanation and
    /// photos (staff).
    StandardApplication(String),
    /// One of Shanghai's application forms (附件1–5), printable (staff).
    ShanghaiForm(u8),
    /// The activities or meetings log (staff; `?row=` the self-check row whose records it lists).
    Log(linli_core::standards::logs::Log),
    /// Recording an activity or meeting (`None`), or correcting one (staff).
    LogEntry(linli_core::standards::logs::Log, Option<Uuid>),
    /// A resident's vote, with the code from the QR link or typed in (no staff login).
    Vote(Option<String>),
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let path = path.split(['?', '#']).next().unwrap_or("/");
        match path.trim_end_matches('/') {
            "" => Route::Compounds,
            "/login" => Route::Login,
            "/settings" => Route::Settings,
            "/v" => Route::Vote(None),
            "/volunteers" => Route::Volunteers,
            "/activities" => Route::Activities,
            "/verify" => Route::Verify,
            "/surveys" => Route::Surveys,
            "/standards" => Route::Standards,
            p => {
                if let Some(code) = p.strip_prefix("/v/") {
                    return Route::Vote(Some(code.to_string()));
                }
                if let Some(s) = p
                    .strip_prefix("/standards/")
                    .filter(|s| !s.is_empty() && !s.contains('/'))
                {
                    return Route::Standard(s.to_string());
                }
                if let Some(s) = p
                    .strip_prefix("/standards/")
                    .and_then(|s| s.strip_suffix("/application"))
                    .filter(|s| !s.is_empty() && !s.contains('/'))
                {
                    return Route::StandardApplication(s.to_string());
                }
                if let Some(s) = p
                    .strip_prefix("/standards/")
                    .and_then(|s| s.strip_suffix("/report"))
                    .filter(|s| !s.is_empty() && !s.contains('/'))
                {
                    return Route::StandardReport(s.to_string());
                }
                if let Some(n) = p
                    .strip_prefix("/standards/shanghai/form/")
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=5).contains(n))
                {
                    return Route::ShanghaiForm(n);
                }
                if let Some(rest) = p.strip_prefix("/logs/") {
                    use linli_core::standards::logs::Log;
                    let (log, sub) = rest.split_once('/').unwrap_or((rest, ""));
                    return match (Log::parse(log), sub) {
                        (Some(log), "") => Route::Log(log),
                        (Some(log), "new") => Route::LogEntry(log, None),
                        (Some(log), id) => match Uuid::parse_str(id) {
                            Ok(id) => Route::LogEntry(log, Some(id)),
                            Err(_) => Route::NotFound,
                        },
                        (None, _) => Route::NotFound,
                    };
                }
                if let Some(c) = p
                    .strip_prefix("/join/")
                    .filter(|c| !c.is_empty() && !c.contains('/'))
                {
                    return Route::Join(c.to_string());
                }
                if let Some(Ok(id)) = p.strip_prefix("/vcheck/").map(Uuid::parse_str) {
                    return Route::VolunteerCode(id);
                }
                if let Some(Ok(id)) = p.strip_prefix("/checkin/").map(Uuid::parse_str) {
                    return Route::CheckIn(id);
                }
                if let Some(Ok(id)) = p.strip_prefix("/compound/").map(Uuid::parse_str) {
                    return Route::Compound(id);
                }
                if let Some(Ok(id)) = p.strip_prefix("/volunteer/").map(Uuid::parse_str) {
                    return Route::Volunteer(id);
                }
                if let Some(Ok(id)) = p.strip_prefix("/activity/").map(Uuid::parse_str) {
                    return Route::Activity(id);
                }
                if let Some(Ok(id)) = p.strip_prefix("/draft/").map(Uuid::parse_str) {
                    return Route::Draft(id);
                }
                if let Some(rest) = p.strip_prefix("/survey/") {
                    let (id, sub) = rest.split_once('/').unwrap_or((rest, ""));
                    return match (Uuid::parse_str(id), sub) {
                        (Ok(id), "edit") => Route::SurveyEdit(id),
                        (Ok(id), "visits") => Route::SurveyVisits(id),
                        (Ok(id), "responses") => Route::SurveyResponses(id),
                        _ => Route::NotFound,
                    };
                }
                if let Some(Ok(id)) = p
                    .strip_prefix("/household/")
                    .and_then(|r| r.strip_suffix("/ledger"))
                    .map(Uuid::parse_str)
                {
                    return Route::Ledger(id);
                }
                if let Some(n) = p.strip_prefix("/certificate/").filter(|n| !n.contains('/')) {
                    return Route::Certificate(n.to_string());
                }
                let Some(rest) = p.strip_prefix("/project/") else {
                    return Route::NotFound;
                };
                let (id, sub) = rest.split_once('/').unwrap_or((rest, ""));
                match (Uuid::parse_str(id), sub) {
                    (Ok(id), "") => Route::Project(id),
                    (Ok(id), "door") => Route::Door(id),
                    (Ok(id), "codes") => Route::Codes(id),
                    (Ok(id), "slips") => Route::Slips(id),
                    (Ok(id), "forms") => Route::Forms(id),
                    (Ok(id), "results") => Route::Results(id),
                    (Ok(id), "notice") => Route::Notice(id),
                    _ => Route::NotFound,
                }
            }
        }
    }
}

thread_local! {
    static ROUTE: std::cell::Cell<Option<RwSignal<Route>>> = const { std::cell::Cell::new(None) };
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The current route, as a signal.
pub fn route() -> RwSignal<Route> {
    ROUTE.with(|r| match r.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(Route::parse(&current_path()));
            r.set(Some(s));
            s
        }
    })
}

/// Goes to `path` (adds a history entry, or replaces the current one).
pub fn navigate(path: &str, replace: bool) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = if replace {
            h.replace_state_with_url(&JsValue::NULL, "", Some(path))
        } else {
            h.push_state_with_url(&JsValue::NULL, "", Some(path))
        };
    }
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    route().set(Route::parse(path));
}

/// Listens for link clicks and for back/forward (for the life of the page).
pub fn install() {
    let Some(w) = web_sys::window() else { return };
    EventListener::new(&w, "popstate", |_| {
        route().set(Route::parse(&current_path()))
    })
    .forget();
    let Some(d) = w.document() else { return };
    // Not passive: a link inside the app is followed here, so the browser's navigation is prevented.
    let opts = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&d, "click", opts, |ev| {
        let Some(ev) = ev.dyn_ref::<web_sys::MouseEvent>() else {
            return;
        };
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(a) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if a.has_attribute("download") || a.get_attribute("target").is_some_and(|t| t != "_self") {
            return;
        }
        let href = a.get_attribute("href").unwrap_or_default();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/api/") {
            ev.prevent_default();
            navigate(&href, false);
        }
    })
    .forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths() {
        assert_eq!(Route::parse("/"), Route::Compounds);
        assert_eq!(Route::parse("/login?x=1"), Route::Login);
        assert_eq!(Route::parse("/settings/"), Route::Settings);
        let id = Uuid::nil();
        assert_eq!(
            Route::parse(&format!("/compound/{id}")),
            Route::Compound(id)
        );
        assert_eq!(Route::parse("/compound/nope"), Route::NotFound);
        assert_eq!(Route::parse("/standards"), Route::Standards);
        {
            use linli_core::standards::logs::Log;
            assert_eq!(
                Route::parse("/logs/meeting?row=SIX-12"),
                Route::Log(Log::Meeting)
            );
            assert_eq!(
                Route::parse("/logs/activity/new?type=fitness"),
                Route::LogEntry(Log::Activity, None)
            );
            let id = Uuid::now_v7();
            assert_eq!(
                Route::parse(&format!("/logs/meeting/{id}")),
                Route::LogEntry(Log::Meeting, Some(id))
            );
            assert_eq!(Route::parse("/logs/party"), Route::NotFound);
            assert_eq!(
                Route::parse("/standards/shanghai/form/3"),
                Route::ShanghaiForm(3)
            );
            assert_eq!(Route::parse("/standards/shanghai/form/6"), Route::NotFound);
            assert_eq!(Route::parse("/logs/meeting/nope"), Route::NotFound);
        }
        assert_eq!(
            Route::parse("/standards/six-type"),
            Route::Standard("six-type".into())
        );
        assert_eq!(
            Route::parse("/standards/six-type/report"),
            Route::StandardReport("six-type".into())
        );
        assert_eq!(
            Route::parse("/standards/zhengzhou/application"),
            Route::StandardApplication("zhengzhou".into())
        );
        assert_eq!(Route::parse("/standards/six-type/other"), Route::NotFound);
        assert_eq!(
            Route::parse("/join/community-1"),
            Route::Join("community-1".into())
        );
        assert_eq!(Route::parse("/join/"), Route::NotFound);
        let a = Uuid::now_v7();
        assert_eq!(Route::parse(&format!("/checkin/{a}")), Route::CheckIn(a));
        assert_eq!(
            Route::parse(&format!("/vcheck/{a}")),
            Route::VolunteerCode(a)
        );
        assert_eq!(Route::parse(&format!("/project/{id}")), Route::Project(id));
        assert_eq!(
            Route::parse(&format!("/project/{id}/door")),
            Route::Door(id)
        );
        assert_eq!(
            Route::parse(&format!("/project/{id}/results/")),
            Route::Results(id)
        );
        assert_eq!(Route::parse("/v"), Route::Vote(None));
        assert_eq!(Route::parse("/volunteers/"), Route::Volunteers);
        assert_eq!(
            Route::parse(&format!("/volunteer/{id}")),
            Route::Volunteer(id)
        );
        assert_eq!(Route::parse("/volunteer/x"), Route::NotFound);
        assert_eq!(
            Route::parse("/v/AB12-CD34"),
            Route::Vote(Some("AB12-CD34".into()))
        );
    }
}
