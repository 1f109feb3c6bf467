//! QR codes for the voting slips (投票码通知单): the core's SVG renderer (`linli_core::qr`).

use crate::http::ApiError;

/// An SVG QR code of `text` (see `linli_core::qr::qr_svg`).
pub fn qr_svg(text: &str) -> Result<String, ApiError> {
    linli_core::qr::qr_svg(text).map_err(ApiError::internal)
}
