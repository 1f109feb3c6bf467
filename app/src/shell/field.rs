//! Common form components: a labelled text input that shows the rule error for its own field beside it, a
//! form-level error line, and plain labelled inputs (date, number…) and checkboxes.

use crate::data::state::SaveError;
use leptos::prelude::*;
use linli_core::Lang;

/// One input with its visible label. `fields` are the core's field names this input edits (e.g. "area_m2").
#[component]
pub fn Field(
    lang: Lang,
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<SaveError>>,
    fields: &'static [&'static str],
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let mine = move || {
        error
            .get()
            .filter(|e| e.field().is_some_and(|f| fields.contains(&f)))
            .map(|e| e.message(lang))
    };
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input
                name=name
                type="text"
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || mine().is_some().to_string()
            />
            {move || mine().map(|m| view! { <span class="field-error" data-testid="field-error" role="alert">{m}</span> })}
        </label>
    }
}

/// The error of a form that belongs to none of its inputs (a missing parent, a storage failure).
#[component]
pub fn FormError(
    lang: Lang,
    error: RwSignal<Option<SaveError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !e.field().is_some_and(|f| fields.contains(&f)))
            .map(|e| view! { <p class="field-error" data-testid="field-error" role="alert">{e.message(lang)}</p> })
    }
}

/// A labelled input of `kind` ("date", "number"…) bound to `value`.
#[component]
pub fn Input(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input
                name=name
                type=kind.unwrap_or("text")
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

/// A labelled checkbox bound to `value`.
#[component]
pub fn Check(label: &'static str, name: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
}
