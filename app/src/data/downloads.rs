//! File downloads made in the browser: a blob (or text) handed to the person as a file, through an object URL
//! on a temporary link. Used for the unsent-changes file and the exports.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;

/// Starts the download of `blob` as `name` (an object URL on a temporary link, revoked a minute later).
pub fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "blob".to_string())?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(|_| "a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}

/// Downloads text as a file of type `mime` (a CSV's text starts with its byte-order mark, so spreadsheet
/// programs read the Chinese right).
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "blob".to_string())?;
    download_blob(&blob, name)
}
