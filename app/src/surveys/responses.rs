//! `/survey/:form/responses`: every response to the form in the community, newest first, each with its
//! household, collector, time, version and answers (labels in the user's language), and staff's review:
//! approve, return with a comment the collector sees (their fix is a new response naming this one), or
//! reject. Exports of the responses (CSV, XLSX) and of the form (XLSForm) come from the server.

use crate::data::state::{self, SaveError};
use crate::renovation::common::download_from_server;
use crate::shell::field::FormError;
use crate::shell::i18n::{colon, format_time};
use crate::shell::router::navigate;
use crate::surveys::draft;
use crate::surveys::strings::Surveys;
use crate::surveys::{answer_text, form_title};
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::surveys::{ResponseReviewFields, ResponseView, Verdict};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// The review state of a response in words, and its CSS/test name.
pub fn review_words(r: &ResponseView, lang: Lang) -> (&'static str, &'static str) {
    if !r.fixed_by.is_empty() {
        return (Surveys::Fixed.text(lang), "fixed");
    }
    match r.review.as_ref().map(|r| r.verdict) {
        None => (Surveys::Pending.text(lang), "pending"),
        Some(Verdict::Approved) => (Surveys::Approved.text(lang), "approved"),
        Some(Verdict::HasIssues) => (Surveys::Issues.text(lang), "has_issues"),
        Some(Verdict::Rejected) => (Surveys::Rejected.text(lang), "rejected"),
    }
}

#[component]
pub fn ResponsesPage(lang: Lang, form: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Surveys| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let export_error = RwSignal::new(None::<String>);
    let title = move || {
        ui.rev.get();
        let c = state::community();
        state::with(|l| l.view.latest_form_version(&c, form))
            .map(|v| form_title(&v.fields.form(), lang))
    };
    // (place, response), newest first.
    let rows = move || {
        ui.rev.get();
        let c = state::community();
        state::with(|l| {
            let mut v: Vec<(String, ResponseView)> = l
                .view
                .community_doors(&c)
                .into_iter()
                .flat_map(|d| {
                    let place = d.place();
                    l.view
                        .household_responses(d.household.id)
                        .into_iter()
                        .filter(|r| r.fields.form_id == form)
                        .map(move |r| (place.clone(), r))
                })
                .collect();
            v.sort_by_key(|(_, r)| std::cmp::Reverse(r.fields.submitted_at_ms));
            v
        })
    };
    let review = move |response_id: Uuid, verdict: Verdict, comment: String| {
        let body = Body::ResponseReviewAdd(ResponseReviewFields {
            response_id,
            verdict,
            comment,
            by: state::username(),
            at_ms: state::now_ms(),
        });
        let entity = EntityRef {
            kind: EntityKind::ResponseReview,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let download = move |path: String, name: &'static str| {
        wasm_bindgen_futures::spawn_local(async move {
            export_error.set(download_from_server(&path, name, lang).await.err());
        });
    };
    let lang_q = if lang == Lang::Zh { "zh" } else { "en" };
    view! {
        <section class="page responses">
            <h1>{title} " · " {tr(Surveys::Responses)}</h1>
            <div class="row-actions">
                <a class="btn" href="/surveys">{tr(Surveys::Title)}</a>
                <button type="button" class="btn" data-testid="export-csv"
                    on:click=move |_| download(format!("/api/surveys/forms/{form}/responses.csv?lang={lang_q}"), "responses.csv")>{tr(Surveys::ExportCsv)}</button>
                <button type="button" class="btn" data-testid="export-xlsx"
                    on:click=move |_| download(format!("/api/surveys/forms/{form}/responses.xlsx?lang={lang_q}"), "responses.xlsx")>{tr(Surveys::ExportXlsx)}</button>
            </div>
            {move || export_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <FormError lang=lang error=error fields=&[] />
            {move || {
                let v = rows();
                if v.is_empty() {
                    return view! { <p class="empty">{tr(Surveys::NoResponses)}</p> }.into_any();
                }
                let now = state::now_ms();
                v.into_iter().map(|(place, r)| {
                    let c = state::community();
                    let version = state::with(|l| l.view.form_version(&c, r.fields.form_version_id));
                    let (words, key) = review_words(&r, lang);
                    let id = r.id;
                    let household = r.fields.household_id;
                    let version_id = r.fields.form_version_id;
                    let comment = RwSignal::new(String::new());
                    let answers = version.as_ref().map(|v| v.questions.iter().filter_map(|q| {
                        let a = r.fields.answers.get(&q.id)?;
                        Some(view! { <li><span class="sub">{q.label(lang).to_string()}{colon(lang)}</span><b>{answer_text(q, a, lang)}</b></li> })
                    }).collect_view());
                    let returned = r.review.as_ref().filter(|x| x.verdict == Verdict::HasIssues && r.fixed_by.is_empty()).map(|x| x.comment.clone());
                    let open = r.fixed_by.is_empty();
                    let door_attr = place.clone();
                    view! {
                        <article class="card response" data-testid="response" data-door=door_attr data-review=key>
                            <p><b class="big">{place}</b> " " <span class=format!("badge {key}") data-testid="review-state">{words}</span></p>
                            <p class="sub">{fill(tr(Surveys::CollectedBy), &[&r.fields.collector, &format_time(r.fields.submitted_at_ms, now)])}
                                " · " {fill(tr(Surveys::Version), &[&r.fields.form_version.to_string()])}
                                {r.fields.fixes.map(|_| format!(" · {}", tr(Surveys::FixOf)))}</p>
                            <ul class="answers">{answers}</ul>
                            {returned.map(|c| view! {
                                <p class="warn" data-testid="review-comment">{c}</p>
                                <button type="button" class="btn primary" data-testid="fix-response" on:click=move |_| {
                                    wasm_bindgen_futures::spawn_local(async move {
                                        match draft::start(version_id, household, Some(id)).await {
                                            Ok(d) => navigate(&format!("/draft/{}", d.id), false),
                                            Err(e) => error.set(Some(e)),
                                        }
                                    });
                                }>{tr(Surveys::FixIt)}</button>
                            })}
                            <Show when=move || open>
                                <label class="field">
                                    <span class="label">{tr(Surveys::Comment)}</span>
                                    <input class="input" name="review-comment" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev)) />
                                </label>
                                <div class="row-actions">
                                    <button type="button" class="btn primary" data-testid="approve-response" on:click=move |_| review(id, Verdict::Approved, comment.get_untracked())>{tr(Surveys::Approve)}</button>
                                    <button type="button" class="btn" data-testid="return-response" on:click=move |_| review(id, Verdict::HasIssues, comment.get_untracked())>{tr(Surveys::HasIssues)}</button>
                                    <button type="button" class="btn danger" data-testid="reject-response" on:click=move |_| review(id, Verdict::Rejected, comment.get_untracked())>{tr(Surveys::Reject)}</button>
                                </div>
                            </Show>
                        </article>
                    }
                }).collect_view().into_any()
            }}
            {move || {
                ui.rev.get();
                let c = state::community();
                state::with(|l| l.view.latest_form_version(&c, form)).map(|v| {
                    let vid = v.id;
                    view! { <button type="button" class="btn wide" data-testid="export-xlsform"
                        on:click=move |_| download(format!("/api/surveys/forms/{vid}/xlsform"), "form.xlsx")>{tr(Surveys::ExportXlsForm)}</button> }
                })
            }}
        </section>
    }
}
