//! A labelled text input that shows the rule error for its own field beside it, and a form-level error line.

use crate::i18n::T;
use crate::state::{self, SaveError};
use leptos::prelude::*;

/// One input with its visible label. `fields` are the core's field names this input edits (e.g. "area_m2").
#[component]
pub fn Field(
    label: T,
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<SaveError>>,
    fields: &'static [&'static str],
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let lang = state::ui().map(|u| u.lang).unwrap_or_else(|| RwSignal::new(Default::default()));
    let mine = move || {
        error.get().filter(|e| e.field().is_some_and(|f| fields.contains(&f))).map(|e| e.message(lang.get()))
    };
    view! {
        <label class="field">
            <span class="label">{move || label.in_lang(lang.get())}</span>
            <input
                name=name
                type="text"
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || if mine().is_some() { "true" } else { "false" }
            />
            {move || mine().map(|m| view! { <span class="field-error" data-testid="field-error" role="alert">{m}</span> })}
        </label>
    }
}

/// The error of a form that belongs to none of its inputs (a missing parent, a storage failure).
#[component]
pub fn FormError(error: RwSignal<Option<SaveError>>, fields: &'static [&'static str]) -> impl IntoView {
    let lang = state::ui().map(|u| u.lang).unwrap_or_else(|| RwSignal::new(Default::default()));
    let other = move || {
        error.get().filter(|e| !e.field().is_some_and(|f| fields.contains(&f))).map(|e| e.message(lang.get()))
    };
    move || other().map(|m| view! { <p class="field-error" data-testid="field-error" role="alert">{m}</p> })
}
