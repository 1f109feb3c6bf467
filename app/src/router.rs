//! A very small router (the pages are few, and `leptos_router` costs more bytes than the whole budget allows):
//! the path is a signal; links are plain `<a href>`, intercepted here; back and forward work through `popstate`.

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The app's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Login,
    Compounds,
    Compound(Uuid),
    Settings,
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let path = path.split(['?', '#']).next().unwrap_or("/");
        match path.trim_end_matches('/') {
            "" => Route::Compounds,
            "/login" => Route::Login,
            "/settings" => Route::Settings,
            p => match p.strip_prefix("/compound/").map(Uuid::parse_str) {
                Some(Ok(id)) => Route::Compound(id),
                _ => Route::NotFound,
            },
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

/// Listens for link clicks and for back/forward.
pub fn install() {
    let Some(w) = web_sys::window() else { return };
    let on_pop = Closure::<dyn FnMut()>::new(|| route().set(Route::parse(&current_path())));
    let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
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
    });
    if let Some(d) = w.document() {
        let _ = d.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    on_click.forget();
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
    }
}
