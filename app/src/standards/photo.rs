//! Photos taken as evidence for a self-check entry (照片佐证, issue 14): shrunk on the phone (a canvas,
//! the longest side at most 1280 px, JPEG, the quality lowered — then the size — until the file is at
//! most 200 KB), kept in IndexedDB's `photos` store at once (offline), uploaded by the sync, and shown as
//! thumbnails from the store — or fetched from the server and kept there when another device took them.

use crate::data::state;
use crate::data::store::PhotoMeta;
use crate::standards::strings::Std;
use js_sys::{Array, Promise, Uint8Array};
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::standards::entries::PHOTO_MAX_BYTES;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The longest side of a photo as kept, in pixels.
pub const MAX_SIDE: f64 = 1280.0;
/// The JPEG qualities tried in turn, before the size is lowered.
const QUALITIES: [f64; 6] = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35];

fn js_err(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "image".into())
}

/// A blob's bytes, in an array of their own (never a view of the Wasm memory, which IndexedDB would copy
/// whole).
async fn blob_bytes(blob: &web_sys::Blob) -> Result<Uint8Array, String> {
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(js_err)?;
    Ok(Uint8Array::new(&buf))
}

/// `canvas.toBlob(type, quality)` as a future.
async fn to_jpeg(
    canvas: &web_sys::HtmlCanvasElement,
    quality: f64,
) -> Result<web_sys::Blob, String> {
    let mut failed = None;
    let p = Promise::new(&mut |resolve, _reject| {
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &JsValue::from_f64(quality),
        ) {
            failed = Some(js_err(e));
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let v = JsFuture::from(p).await.map_err(js_err)?;
    v.dyn_into().map_err(|_| "toBlob gave nothing".to_string())
}

/// The photo the camera (or the gallery) gave, shrunk: JPEG, longest side ≤ [`MAX_SIDE`], at most
/// [`PHOTO_MAX_BYTES`]. Its size in pixels too.
pub async fn shrink(file: &web_sys::File) -> Result<(Uint8Array, u32, u32), String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(js_err)?)
            .await
            .map_err(js_err)?
            .dyn_into()
            .map_err(|_| "not an image".to_string())?;
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    if w < 1.0 || h < 1.0 {
        return Err("empty image".into());
    }
    let document = window.document().ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js_err)?
        .unchecked_into();
    let mut scale = (MAX_SIDE / w.max(h)).min(1.0);
    loop {
        let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
        canvas.set_width(cw as u32);
        canvas.set_height(ch as u32);
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .map_err(js_err)?
            .ok_or("no 2d context")?
            .unchecked_into();
        // A transparent PNG becomes JPEG on white, not black.
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, cw, ch);
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch)
            .map_err(js_err)?;
        for q in QUALITIES {
            let blob = to_jpeg(&canvas, q).await?;
            if blob.size() as usize <= PHOTO_MAX_BYTES {
                return Ok((blob_bytes(&blob).await?, cw as u32, ch as u32));
            }
        }
        if cw <= 64.0 {
            return Err("cannot make it small enough".into());
        }
        scale *= 0.75;
    }
}

/// Takes a photo for an entry: shrunk, then kept in the `photos` store (its own strict transaction) before
/// the entry is even saved — so it is on the phone whatever happens next. Answers its id.
pub async fn take(file: web_sys::File) -> Result<Uuid, String> {
    let (bytes, _, _) = shrink(&file).await?;
    let db = state::db().ok_or("no store")?;
    let meta = PhotoMeta {
        id: Uuid::now_v7(),
        community: state::community(),
        content_type: "image/jpeg".into(),
        size: bytes.length(),
        taken_at_ms: state::now_ms(),
        uploaded: false,
        refused: None,
    };
    db.put_photo(&meta, &bytes).await.map_err(|e| e.0)?;
    Ok(meta.id)
}

thread_local! {
    /// The photos taken for the entry being made, by indicator id, until it is saved: the form is
    /// rendered again whenever the state changes (a sync), and must not forget them.
    static TAKEN: std::cell::RefCell<std::collections::HashMap<String, Vec<Uuid>>> = Default::default();
}

/// The photos taken for `indicator`'s next entry.
pub fn taken(indicator: &str) -> Vec<Uuid> {
    TAKEN.with(|t| t.borrow().get(indicator).cloned().unwrap_or_default())
}

pub fn add_taken(indicator: &str, id: Uuid) {
    TAKEN.with(|t| {
        t.borrow_mut()
            .entry(indicator.to_string())
            .or_default()
            .push(id)
    });
}

/// A photo taken for `indicator`'s next entry is removed before saving: forgotten by the form and
/// deleted from the phone (no entry names it, so it must not be uploaded either).
pub async fn discard(indicator: &str, id: Uuid) -> Result<(), String> {
    TAKEN.with(|t| {
        if let Some(list) = t.borrow_mut().get_mut(indicator) {
            list.retain(|p| *p != id);
        }
    });
    let db = state::db().ok_or("no store")?;
    db.delete_photo(&id).await.map_err(|e| e.0)
}

/// The entry was saved with its photos.
pub fn clear_taken(indicator: &str) {
    TAKEN.with(|t| t.borrow_mut().remove(indicator));
}

/// Where a thumbnail's image comes from, and its state.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Loading,
    /// An object URL of the bytes, and the photo's state on the phone.
    Image(String, PhotoMeta),
    /// Neither on the phone nor (yet) on the server.
    Missing,
}

/// A photo's bytes as an object URL.
fn object_url(bytes: &Uint8Array, content_type: &str) -> Option<String> {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(content_type);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&Array::of1(bytes), &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The photo from the store, or from the server (then kept in the store, marked uploaded).
async fn load(id: Uuid) -> Option<(String, PhotoMeta)> {
    let db = state::db()?;
    if let Ok(Some((meta, bytes))) = db.photo(&id).await {
        return Some((object_url(&bytes, &meta.content_type)?, meta));
    }
    let token = state::with(|l| l.session.as_ref().map(|s| s.token.clone()))?;
    let blob = crate::data::net::get_blob(&format!("/api/standards/evidence/{id}"), Some(&token))
        .await
        .ok()?;
    let bytes = blob_bytes(&blob).await.ok()?;
    let meta = PhotoMeta {
        id,
        community: state::community(),
        content_type: blob.type_(),
        size: bytes.length(),
        taken_at_ms: state::now_ms(),
        uploaded: true,
        refused: None,
    };
    let _ = db.put_photo(&meta, &bytes).await;
    Some((object_url(&bytes, &meta.content_type)?, meta))
}

/// One photo as a thumbnail with its text alternative (`alt`), and whether it waits for the network or
/// was refused by the server.
#[component]
pub fn Thumb(lang: Lang, id: Uuid, alt: String) -> impl IntoView {
    let shown = RwSignal::new(Shown::Loading);
    wasm_bindgen_futures::spawn_local(async move {
        let got = load(id).await;
        let next = match got {
            Some((url, meta)) => Shown::Image(url, meta),
            None => Shown::Missing,
        };
        // The row may have been rendered again meanwhile: then the URL is nobody's.
        if let Some(Shown::Image(url, _)) = shown.try_set(next) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    on_cleanup(move || {
        if let Some(Shown::Image(url, _)) = shown.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let tr = move |k: Std| k.text(lang);
    view! {
        <figure class="photo-thumb" data-testid="entry-photo" data-photo=id.to_string()>
            {move || match shown.get() {
                Shown::Loading => view! { <span class="sub">"…"</span> }.into_any(),
                Shown::Missing => view! { <span class="sub" data-testid="photo-missing">{tr(Std::PhotoMissing)}</span> }.into_any(),
                Shown::Image(url, meta) => {
                    let note = match &meta.refused {
                        Some(code) => Some(format!("{}：{}", tr(Std::PhotoRefused), crate::standards::strings::photo_refusal(code, lang))),
                        None if !meta.uploaded => Some(tr(Std::PhotoWaiting).to_string()),
                        None => None,
                    };
                    view! {
                        <img src=url alt=alt.clone() data-uploaded=if meta.uploaded { "yes" } else { "no" } />
                        {note.map(|n| view! { <figcaption class="sub">{n}</figcaption> })}
                    }.into_any()
                }
            }}
        </figure>
    }
}

/// Taking photos for a record being made (an entry, a meeting): the camera button, the count, each photo
/// with its remove button, and what is happening (shrinking, a failure). `key` names the record's photos
/// among those taken and not yet saved ([`taken`]); `about` goes into each photo's text alternative.
#[component]
pub fn Picker(
    lang: Lang,
    key: String,
    photos: RwSignal<Vec<Uuid>>,
    about: String,
) -> impl IntoView {
    use linli_core::i18n::fill;
    use linli_core::standards::entries::PHOTOS_MAX;
    let tr = move |k: Std| k.text(lang);
    let note = RwSignal::new(None::<String>);
    let key_for_take = key.clone();
    let on_photo = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        let room = PHOTOS_MAX.saturating_sub(photos.get_untracked().len());
        if files.len() > room {
            note.set(Some(fill(tr(Std::PhotoLimit), &[&PHOTOS_MAX.to_string()])));
        }
        let key = key_for_take.clone();
        wasm_bindgen_futures::spawn_local(async move {
            for file in files.into_iter().take(room) {
                note.try_set(Some(tr(Std::PhotoShrinking).to_string()));
                match take(file).await {
                    Ok(pid) => {
                        add_taken(&key, pid);
                        photos.try_set(taken(&key));
                        note.try_set(None);
                    }
                    Err(e) => {
                        note.try_set(Some(fill(tr(Std::PhotoFailed), &[&e])));
                    }
                }
            }
        });
    };
    view! {
        <label class="btn photo-take" class:disabled=move || { photos.get().len() >= PHOTOS_MAX }>
            <span class="photo-icon" aria-hidden="true"></span> {tr(Std::TakePhoto)}
            <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                data-testid="entry-photo-input" disabled=move || { photos.get().len() >= PHOTOS_MAX }
                on:change=on_photo />
        </label>
        {move || {
            let list = photos.get();
            (!list.is_empty()).then(|| view! {
                <p class="sub" data-testid="entry-photo-count">{fill(tr(Std::PhotoCount), &[&list.len().to_string(), &PHOTOS_MAX.to_string()])}</p>
                <div class="photo-row">
                    {list.into_iter().enumerate().map(|(i, pid)| {
                        let key = key.clone();
                        let remove = move |_| {
                            let key = key.clone();
                            wasm_bindgen_futures::spawn_local(async move {
                                // Taken for this form and not yet saved: the photo is the form's
                                // alone and leaves the phone; one a saved record names (a record being
                                // edited) is only dropped from the form, kept until the record is saved.
                                let done = if taken(&key).contains(&pid) {
                                    discard(&key, pid).await
                                } else {
                                    Ok(())
                                };
                                photos.try_update(|p| p.retain(|x| *x != pid));
                                note.try_set(done.err().map(|e| fill(tr(Std::PhotoFailed), &[&e])));
                            });
                        };
                        view! {
                            <div class="photo-taken">
                                <Thumb lang=lang id=pid alt=fill(tr(Std::PhotoAlt), &[&(i + 1).to_string(), &about]) />
                                <button type="button" class="btn" data-testid="photo-remove" on:click=remove>
                                    {fill(tr(Std::RemovePhoto), &[&(i + 1).to_string()])}
                                </button>
                            </div>
                        }
                    }).collect_view()}
                </div>
            })
        }}
        {move || note.get().map(|n| view! { <p class="sub" role="status" data-testid="entry-photo-note">{n}</p> })}
    }
}
