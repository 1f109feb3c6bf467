//! A few lines of DOM building for the resident's entry, which has no Leptos (issue 8: its first load is
//! ≤ 100 KB): an element with its attributes, text and children. The page is drawn again whole on every
//! change of its state; it is five small screens.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// An element being built.
pub struct El(pub Element);

fn doc() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page has a document")
}

/// A new HTML element.
pub fn el(tag: &str) -> El {
    El(doc().create_element(tag).expect("a known tag"))
}

/// A new SVG element.
pub fn svg(tag: &str) -> El {
    El(doc()
        .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
        .expect("a known tag"))
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets the attribute when `on` (`disabled`, `checked`).
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on { self.attr(name, "") } else { self }
    }

    pub fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    /// The element's `data-testid`.
    pub fn tid(self, id: &str) -> Self {
        self.attr("data-testid", id)
    }

    /// What a click on it does (`data-act`, read by the page's one click listener).
    pub fn act(self, act: &str) -> Self {
        self.attr("data-act", act)
    }

    /// Appends a text.
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> Self {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn maybe(self, child: Option<El>) -> Self {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        children.into_iter().fold(self, El::child)
    }
}

/// The nearest element at or above an event's target that matches `selector`.
pub fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?.dyn_into::<Element>().ok()?.closest(selector).ok()?
}
