//! `/certificate/:number`: a certificate of service record (志愿服务记录证明, V6, 民政部令第67号) as issued by
//! the server, printable: the volunteer (masked ID number), hours per year, the services, the issuer with
//! its person in charge, clerk and contact, the number, the date, and a QR code linking to `/verify`.

use crate::data::state;
use crate::volunteers::hours;
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::volunteers::api::{CertificateRequest, IssuedCertificate};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A staff call about certificates (they are numbered and signed by the server: online only).
pub async fn call<B: Serialize, R: DeserializeOwned>(
    method: &str,
    path: &str,
    lang: Lang,
    body: Option<&B>,
) -> Result<R, String> {
    let offline = Volunteers::CertificateNeedsNetwork.text(lang);
    state::staff_call(method, path, lang, body, offline).await
}

/// Issues a certificate for volunteer `id` and opens it.
pub fn issue(id: Uuid, req: CertificateRequest, lang: Lang, error: RwSignal<Option<String>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let path = format!("/api/volunteers/{id}/certificate");
        match call::<_, IssuedCertificate>("POST", &path, lang, Some(&req)).await {
            Ok(c) => {
                error.set(None);
                crate::shell::router::navigate(
                    &format!("/certificate/{}", c.certificate.number),
                    false,
                );
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn CertificatePage(lang: Lang, number: String) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    let cert = RwSignal::new(None::<IssuedCertificate>);
    let error = RwSignal::new(None::<String>);
    let path = format!("/api/volunteers/certificates/{number}");
    wasm_bindgen_futures::spawn_local(async move {
        match call::<(), IssuedCertificate>("GET", &path, lang, None).await {
            Ok(c) => cert.set(Some(c)),
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <section class="page certificate">
            <a class="btn no-print" href="/volunteers">{tr(Volunteers::Back)}</a>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || cert.get().map(|c| {
                let v = c.certificate;
                view! {
                    <article class="card" data-testid="certificate" data-number=v.number.clone()>
                        <h1>{tr(Volunteers::CertificateTitle)}</h1>
                        <p>{tr(Volunteers::CertificateNumber)} " " <b data-testid="certificate-number">{v.number.clone()}</b></p>
                        <p>{tr(Volunteers::Name)} " " <b>{v.name.clone()}</b> " · " {v.id_number_masked.clone()}</p>
                        <p>{tr(Volunteers::VolunteerNumber)} " " {v.volunteer_number.clone()}</p>
                        <table class="table">
                            <thead><tr><th>{tr(Volunteers::Year)}</th><th>{tr(Volunteers::Confirmed)}</th><th>{tr(Volunteers::Services)}</th></tr></thead>
                            <tbody>
                                {v.years.iter().map(|y| view! {
                                    <tr data-year=y.year.to_string()><td>{y.year}</td><td data-testid="year-hours">{hours(y.minutes, lang)}</td><td>{y.services}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h2>{tr(Volunteers::Entries)}</h2>
                        <ul>
                            {c.services.iter().map(|s| view! {
                                <li>{format!("{} {} {} · {}", s.date, s.place, s.content, hours(u64::from(s.minutes), lang))}</li>
                            }).collect_view()}
                        </ul>
                        <p>{tr(Volunteers::Issuer)} " " {v.community_name.clone()}</p>
                        <p>{tr(Volunteers::PersonInCharge)} " " {v.person_in_charge.clone()} " · " {tr(Volunteers::Clerk)} " " {v.clerk.clone()}</p>
                        <p>{tr(Volunteers::Contact)} " " {v.contact.clone()}</p>
                        <p>{tr(Volunteers::IssuedOn)} " " {v.issued_on.to_string()}</p>
                        <div class="qr" inner_html=c.qr_svg.clone()></div>
                        <p class="sub">{tr(Volunteers::ScanToVerify)}</p>
                        <a class="no-print" data-testid="verify-link" href=c.verify_url.clone()>{tr(Volunteers::Verify)}</a>
                    </article>
                    <button type="button" class="btn primary wide no-print" on:click=|_| {
                        if let Some(w) = web_sys::window() { let _ = w.print(); }
                    }>{tr(Volunteers::Print)}</button>
                }
            })}
        </section>
    }
}
